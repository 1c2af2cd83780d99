import fs from 'node:fs';
import type { Logger } from 'pino';
import { In, IsNull, type EntityManager } from 'typeorm';
import type { AnyAdapter } from '../adapters/define-adapter';
import { CellNote, CellProblem } from '../adapters/fields';
import type { Config } from '../config/config';
import type { Store } from '../db/store';
import { ImportMode, ImportStatus, finishedStatuses } from '../imports/enums';
import type { FileStore } from '../imports/file-store';
import type { ImportFile } from '../imports/import-file.entity';
import { ImportJob, counterNames, outcomeOf, type Counters } from '../imports/import-job.entity';
import type { JobQueue } from '../jobs/job-queue';
import type { ProgressBus } from '../jobs/progress-bus';
import type { PendingRecord } from './batch';
import type { CsvItem } from './csv-reader';
import { cellAt, type ColumnMapping } from './header';
import { updateLeased } from './lease';
import { mergeIndexedRejects } from './rejects-writer';
import { rowPlan } from './validate';

/** Parts of a split import when PARTITIONS is 0: twice the worker processes seen, within these bounds. */
const AUTO_PARTS = { min: 2, max: 16 };

/** A job split into parts (not one of its parts): it runs as its parts, and collects them. */
export const isSplit = (job: Pick<ImportJob, 'partitions' | 'parentId'>) => job.partitions > 0 && job.parentId === null;

/** FNV-1a over the key's UTF-16 code units: the same part for the same key, on every worker and every run. */
export function partitionOf(key: string, parts: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % parts;
}

/**
 * Which records of the file a part of a split import applies: those whose key — the value of
 * the adapter's `partitionKey` column — hashes to it; a record without one (its key cell
 * invalid, or a record that did not parse) is part 0's, rejected there and reported once.
 * When the row schema checks that column without zod, the key is read from its cell before the
 * rest of the record is validated (`keep`: a part validates only its own records); otherwise
 * from the validated row (`owns`: every record is validated, a record invalid anywhere is part 0's).
 */
export interface PartRule {
  keep?: (item: CsvItem, mapping: ColumnMapping) => boolean;
  owns?: (record: PendingRecord) => boolean;
}

export function partRule(job: Pick<ImportJob, 'partitions' | 'partitionIndex'>, adapter: Pick<AnyAdapter, 'partitionKey' | 'rowSchema'>): PartRule | null {
  const column = adapter.partitionKey;
  if (job.partitionIndex === null || !column) return null;
  const { partitions, partitionIndex } = job;
  const partOf = (key: unknown) => (key === undefined || key === null ? 0 : partitionOf(String(key), partitions));
  const plan = rowPlan(adapter);
  const at = plan ? plan.keys.indexOf(column) : -1;
  if (!plan || at < 0) return { owns: (record) => partOf((record.data as Record<string, unknown> | undefined)?.[column]) === partitionIndex };
  const check = plan.checks[at];
  const positions = new WeakMap<ColumnMapping, number>();
  return {
    keep(item, mapping) {
      if (item.kind === 'problem') return partitionIndex === 0;
      let position = positions.get(mapping);
      if (position === undefined) positions.set(mapping, (position = mapping.positions[mapping.names.indexOf(column)] ?? -1));
      const key = check(cellAt(item.fields, position));
      return partOf(key instanceof CellProblem ? null : key instanceof CellNote ? key.value : key) === partitionIndex;
    },
  };
}

/** Lines of a file (its newline bytes): what PARTITION_MIN_RECORDS is compared with. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return lines;
}

export interface PartitionDeps {
  store: Store;
  files: FileStore;
  bus: ProgressBus;
  config: Pick<Config, 'PARTITION_MIN_RECORDS' | 'PARTITIONS' | 'REDIS_URL'>;
  logger: Logger;
}

/**
 * One large import run by several workers at once (MySQL/MariaDB, jobs on Redis). The job is
 * split into parts, each a job of its own (own checkpoint, lease, attempts) that reads the whole
 * file and applies only the records whose `partitionKey` hashes to it, in file order. Parts run
 * wherever the queue sends them; the job itself sums their counters while they run, and once
 * every part has finished, is finished once: issues and rejects merged in file order, counters
 * summed, its status that of its parts. The result is the one stream's: rows with the same key,
 * which alone touch the same database rows, are applied by one part in file order.
 */
export class Partitions {
  private queue: JobQueue | null = null;
  /** Parents whose counters are being summed (one summing at a time each). */
  private readonly summing = new Set<number>();

  constructor(private readonly deps: PartitionDeps) {}

  /** The queue the parts go to; without it nothing is split. */
  attach(queue: JobQueue): void {
    this.queue = queue;
  }

  /** How many parts to split a job into (0: it is read in one stream). */
  async partsFor(job: ImportJob, file: ImportFile, adapter: AnyAdapter): Promise<number> {
    const { store, config, files } = this.deps;
    // A package's members are read one after the other by one run: it is never split.
    if (!this.queue?.workers || !config.REDIS_URL || store.kind !== 'mysql' || !adapter.partitionKey || adapter.package) return 0;
    if (job.dryRun || job.parentId !== null || job.recordsDone > 0 || config.PARTITIONS === 1) return 0;
    // A sync retires what its whole file lacks, once it is read: one stream.
    if (job.mode === ImportMode.SNAPSHOT) return 0;
    // Every record takes a line and its line break: a smaller file cannot have enough.
    if (file.size < config.PARTITION_MIN_RECORDS * 2) return 0;
    const records = (await countLines(files.uploadPath(file.storedName))) - (file.hasHeader ? 1 : 0);
    if (records < config.PARTITION_MIN_RECORDS) return 0;
    if (config.PARTITIONS > 1) return config.PARTITIONS;
    const workers = await this.queue.workers();
    return Math.min(AUTO_PARTS.max, Math.max(AUTO_PARTS.min, 2 * workers));
  }

  /** Splits a job (its lease held) into `parts` jobs and queues them; the job stays RUNNING until they end. */
  async split(job: ImportJob, parts: number): Promise<void> {
    const { store, bus, logger } = this.deps;
    job.status = ImportStatus.RUNNING;
    job.startedAt ??= new Date();
    job.partitions = parts;
    const ids = await store.transaction(async (m) => {
      await updateLeased(m, job, { status: job.status, startedAt: job.startedAt, partitions: parts });
      const rows = Array.from({ length: parts }, (_, index) =>
        m.create(ImportJob, {
          adapter: job.adapter,
          fileId: job.fileId,
          status: ImportStatus.PENDING,
          dryRun: false,
          onExisting: job.onExisting,
          enrollIfNeeded: job.enrollIfNeeded,
          options: job.options,
          importDate: job.importDate,
          tokenId: job.tokenId,
          partitions: parts,
          parentId: job.id,
          partitionIndex: index,
        }),
      );
      return (await m.save(ImportJob, rows)).map((row) => row.id);
    });
    logger.info({ jobId: job.id, parts: ids }, 'large import split across workers');
    bus.publish({ ...job });
    for (const id of ids) await this.queue!.enqueue(id);
  }

  /**
   * A split job run again (a part ended, it was resumed, its worker stopped): finished once every
   * part has; otherwise the parts still to run are queued (again: queuing a queued job is one job).
   */
  async supervise(job: ImportJob): Promise<void> {
    const parts = await this.parts(job.id);
    const open = parts.filter((part) => !finishedStatuses.includes(part.status));
    if (open.length === 0) return this.finish(job, parts);
    if (job.status !== ImportStatus.RUNNING) {
      job.status = ImportStatus.RUNNING;
      await this.deps.store.transaction((m) => updateLeased(m, job, { status: job.status }));
      this.deps.bus.publish({ ...job });
    }
    for (const part of open) await this.queue!.enqueue(part.id);
  }

  /** A part ended (or was found ended): a failed one stops the others; the job collects them. */
  async partEnded(part: ImportJob): Promise<void> {
    if (part.parentId === null || !this.queue) return;
    if (part.status === ImportStatus.FAILED) {
      // The job fails with it: what the other parts would still write is not worth waiting for.
      const siblings = (await this.parts(part.parentId)).filter((sibling) => !finishedStatuses.includes(sibling.status));
      await this.deps.store.transaction((m) => m.update(ImportJob, { parentId: part.parentId!, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }, { cancelRequested: true }));
      for (const sibling of siblings) await this.queue.cancel(sibling.id);
    }
    await this.queue.enqueueAfter(part.parentId, part.id);
  }

  /** Cancels a split job: every part stops at its next batch (or does not start), then the job collects them. */
  async cancel(job: ImportJob): Promise<void> {
    await this.deps.store.transaction((m) => m.update(ImportJob, { parentId: job.id, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }, { cancelRequested: true }));
    const parts = await this.parts(job.id);
    for (const part of parts) if (!finishedStatuses.includes(part.status)) await this.queue?.cancel(part.id);
    // A part taken off the queue is queued again by the job, sees the cancel and ends at once.
    await this.queue?.enqueue(job.id);
  }

  /** Resumes a cancelled or failed split job: its unfinished parts go on from their checkpoints. */
  async reopen(jobId: number): Promise<void> {
    await this.deps.store.transaction((m) =>
      m.update(ImportJob, { parentId: jobId, status: In([ImportStatus.CANCELLED, ImportStatus.FAILED]) }, {
        status: ImportStatus.PENDING,
        cancelRequested: false,
        finishedAt: null,
        failure: null,
        outcome: null,
      }),
    );
  }

  /** A part committed batches: the job's counters become the sum of its parts', for the history and the subscribers. */
  progress(part: ImportJob): void {
    const parentId = part.parentId;
    if (parentId === null || this.summing.has(parentId)) return;
    this.summing.add(parentId);
    this.sum(parentId)
      .catch((error) => this.deps.logger.warn({ err: error, jobId: parentId }, 'could not sum the progress of a split import'))
      .finally(() => this.summing.delete(parentId));
  }

  private async sum(parentId: number): Promise<void> {
    const { store, bus } = this.deps;
    const totals = totalsOf(await this.parts(parentId));
    // Only while the job runs: its final counters are written once, when it is finished.
    const { affected } = await store.transaction((m) => m.update(ImportJob, { id: parentId, status: ImportStatus.RUNNING }, totals));
    if (!affected) return;
    const job = await store.read((m) => m.findOneBy(ImportJob, { id: parentId }));
    if (job) bus.publish(job);
  }

  private parts(parentId: number): Promise<ImportJob[]> {
    return this.deps.store.read((m) => m.find(ImportJob, { where: { parentId }, order: { partitionIndex: 'ASC' } }));
  }

  /** Every part has ended: the job's status, counters, issues and rejects file, written once (the lease decides). */
  private async finish(job: ImportJob, parts: ImportJob[]): Promise<void> {
    const { store, files, bus } = this.deps;
    const failed = parts.find((part) => part.status === ImportStatus.FAILED);
    const status = failed ? ImportStatus.FAILED : parts.some((part) => part.status === ImportStatus.CANCELLED) ? ImportStatus.CANCELLED : ImportStatus.SUCCEEDED;
    const rejectsBytes = await mergeIndexedRejects(
      parts.map((part) => files.rejectsPath(part.id)),
      files.rejectsPath(job.id),
      job.lease,
    );
    const totals = totalsOf(parts);
    Object.assign(job, totals, {
      status,
      rejectsBytes,
      progress: status === ImportStatus.SUCCEEDED ? 1 : totals.progress,
      failure: failed ? failed.failure : null,
      finishedAt: new Date(),
    });
    job.outcome = outcomeOf(job);
    const { recordsDone, progress, failure, finishedAt, outcome } = job;
    await store.transaction(async (m) => {
      await moveIssues(m, job.id);
      await updateLeased(m, job, { ...totals, recordsDone, rejectsBytes, progress, status, failure, finishedAt, outcome });
    });
    // A cancelled or failed job may be resumed: its parts go on from their checkpoints, with their files.
    if (status === ImportStatus.SUCCEEDED) for (const part of parts) await fs.promises.rm(files.rejectsPath(part.id), { force: true });
    this.deps.logger.info({ jobId: job.id, status }, 'split import finished');
    bus.publish({ ...job });
  }
}

/** The job's counters: the sum of its parts'; its progress their mean; its checkpoint the furthest part's. */
function totalsOf(parts: ImportJob[]): Counters & { recordsDone: number; progress: number } {
  const totals = Object.fromEntries(counterNames.map((name) => [name, parts.reduce((sum, part) => sum + part[name], 0)])) as Counters;
  return {
    ...totals,
    recordsDone: Math.max(0, ...parts.map((part) => part.recordsDone)),
    progress: Math.min(0.99, parts.reduce((sum, part) => sum + part.progress, 0) / Math.max(1, parts.length)),
  };
}

/**
 * The parts' issues become the job's, in file order (by line; on one line, part 0's file-level
 * issues first, as one stream writes them before the records of its first batch). A job resumed
 * after a cancel already holds the issues of its first finish: they are written again with the
 * rest, in order (theirs first on a line: the file-level issues came with the first batches).
 */
async function moveIssues(manager: EntityManager, parentId: number): Promise<void> {
  const [{ kept }] = await manager.query('SELECT MAX(id) AS kept FROM import_issues WHERE job_id = ?', [parentId]);
  const columns = 'line, `column`, severity, code, message, params';
  await manager.query(
    `INSERT INTO import_issues (job_id, ${columns})
     SELECT ?, ${columns} FROM (
       SELECT i.id, i.line, i.\`column\`, i.severity, i.code, i.message, i.params, -1 AS part
       FROM import_issues i WHERE i.job_id = ?
       UNION ALL
       SELECT i.id, i.line, i.\`column\`, i.severity, i.code, i.message, i.params, p.partition_index AS part
       FROM import_issues i JOIN import_jobs p ON p.id = i.job_id WHERE p.parent_id = ?
     ) merged
     ORDER BY line, part, id`,
    [parentId, parentId, parentId],
  );
  if (kept !== null) await manager.query('DELETE FROM import_issues WHERE job_id = ? AND id <= ?', [parentId, kept]);
  await manager.query('DELETE i FROM import_issues i JOIN import_jobs p ON p.id = i.job_id WHERE p.parent_id = ?', [parentId]);
}

/** The history lists jobs, not their parts. */
export const notAPart = { parentId: IsNull() };
