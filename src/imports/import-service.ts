import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { Brackets, In, type FindOptionsWhere } from 'typeorm';
import { z } from 'zod';
import type { AnyAdapter } from '../adapters/define-adapter';
import type { AdapterRegistry } from '../adapters/registry';
import type { Config } from '../config/config';
import type { Store } from '../db/store';
import { apiError } from '../graphql/errors';
import type { JobQueue } from '../jobs/job-queue';
import type { ProgressBus } from '../jobs/progress-bus';
import { jobFinished } from '../jobs/watch-job';
import { CHECK_SAMPLE_BYTES, checkStoredFile } from '../pipeline/check-file';
import { checkPackage, removeMembers } from '../pipeline/check-package';
import { mapHeader } from '../pipeline/header';
import { countRecords, type FileEncoding } from '../pipeline/read-items';
import { XLSX_ENCODING, type SheetChoice } from '../pipeline/xlsx';
import { isSplit, type Partitions } from '../pipeline/partitions';
import { renderMessage } from '../i18n/messages';
import type { Language } from '../i18n/localized';
import { ImportMode, ImportStatus, IssueSeverity, OnExisting, finishedStatuses } from './enums';
import { PayloadTooLargeError, type FileStore } from './file-store';
import { ImportFile } from './import-file.entity';
import { ImportJob, outcomeOf } from './import-job.entity';
import { refuseConcurrentSync, syncOptions, type SyncRequest } from '../sync/sync-options';
import type { ColumnMappingService } from '../mappings/column-mapping-service';

export interface ImportServiceDeps {
  store: Store;
  registry: AdapterRegistry;
  files: FileStore;
  queue: JobQueue;
  bus: ProgressBus;
  config: Config;
  /** The saved column mappings an upload's header may match. */
  mappings: Pick<ColumnMappingService, 'forAdapter'>;
  /** Split imports (their parts are cancelled and resumed with them). */
  partitions?: Pick<Partitions, 'cancel' | 'reopen'>;
}

/** Options every adapter understands; the rest of `options` goes to the adapter's own schema. */
const coreOptions = z.object({
  allowDuplicate: z.boolean().optional(),
  /** The file's header name → the adapter's column name (a file with a header only). */
  columnMap: z.record(z.string(), z.string()).optional(),
  /** Import a file the check step found to read as another adapter's (LIKELY_WRONG_ADAPTER). */
  allowAdapterMismatch: z.boolean().optional(),
  /** An Excel workbook's sheet: its name, or its position from 1 (default: the first with records). */
  sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
});

export interface RunImportRequest extends SyncRequest {
  fileId: number;
  onExisting?: OnExisting | null;
  enrollIfNeeded?: boolean | null;
  dryRun?: boolean | null;
  options?: Record<string, unknown> | null;
  /** The job whose rejected records this file corrects: same adapter. */
  fixesJobId?: number | null;
}

/** Today in the server's time zone (set TZ), as `YYYY-MM-DD`. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The operations of the wizard and of scripts: upload and check, run, cancel. */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  adapter(name: string): AnyAdapter {
    const adapter = this.deps.registry.get(name);
    if (!adapter) {
      const known = this.deps.registry.list().map((a) => a.name).join(', ');
      throw apiError('UNKNOWN_ADAPTER', `Unknown adapter "${name}" (known: ${known})`);
    }
    return adapter;
  }

  uploadLimit(adapterName: string): number {
    return this.deps.config.MAX_UPLOAD_BYTES_BY_ADAPTER[adapterName] ?? this.deps.config.MAX_UPLOAD_BYTES;
  }

  /** Steps 1 and 2: store the bytes as received, then check them; nothing is imported yet. */
  async upload(request: {
    /** The bytes, or a function opening them (see FileStore.save). */
    stream: Readable | (() => Readable);
    fileName: string;
    adapter: string;
    hasHeader: boolean | null;
    tokenId: number | null;
  }): Promise<ImportFile> {
    const { store, files, config } = this.deps;
    const adapter = this.adapter(request.adapter);
    const limit = this.uploadLimit(adapter.name);
    let stored;
    try {
      stored = await files.save(request.stream, limit);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) throw apiError('PAYLOAD_TOO_LARGE', error.message, { limit });
      throw error;
    }
    let members: ImportFile['members'] = null;
    try {
      const check = adapter.package ? await this.checkPackage(stored.storedName, adapter, request.hasHeader) : await checkStoredFile(files.uploadPath(stored.storedName), await files.head(stored.storedName, CHECK_SAMPLE_BYTES), {
        adapter,
        hasHeader: request.hasHeader,
        utf8: stored.utf8,
        maxRecordSize: config.MAX_RECORD_SIZE,
        adapters: this.deps.registry.list(),
        savedMappings: await this.deps.mappings.forAdapter(adapter.name),
      });
      members = 'members' in check ? check.members : null;
      const file = Object.assign(new ImportFile(), {
        adapter: adapter.name,
        fileName: request.fileName.slice(0, 255),
        storedName: stored.storedName,
        size: stored.size,
        sha256: stored.sha256,
        ...check,
        uploadedByTokenId: request.tokenId,
      });
      return await store.transaction((m) => m.save(file));
    } catch (error) {
      // A file without its row would never be imported nor cleaned up.
      await files.remove(stored.storedName);
      await removeMembers(files, members);
      throw error;
    }
  }

  /** A package's check: its members extracted and checked; the upload's own columns are no CSV's. */
  private async checkPackage(storedName: string, adapter: AnyAdapter, hasHeader: boolean | null) {
    const { files, config } = this.deps;
    const check = await checkPackage(files.uploadPath(storedName), {
      adapter,
      files,
      hasHeader,
      maxRecordSize: config.MAX_RECORD_SIZE,
      memberLimit: (member) => this.uploadLimit(member.name),
    });
    return { encoding: 'binary', delimiter: '', hasHeader: true, columns: check.members.map((member) => member.file), preview: [], problems: check.problems, members: check.members };
  }

  async file(id: number): Promise<ImportFile | null> {
    return this.deps.store.read((m) => m.findOneBy(ImportFile, { id }));
  }

  async job(id: number): Promise<ImportJob | null> {
    return this.deps.store.read((m) => m.findOneBy(ImportJob, { id }));
  }

  /** The jobs that imported corrected records of a job (runImport's fixesJobId). */
  async fixesOf(id: number): Promise<ImportJob[]> {
    return this.deps.store.read((m) => m.find(ImportJob, { where: { fixesJobId: id }, order: { id: 'ASC' } }));
  }

  /** Steps 3 and 4: validate the options, then queue the job. */
  async run(request: RunImportRequest, tokenId: number | null, lang: Language = 'en'): Promise<ImportJob> {
    const { store, queue } = this.deps;
    const file = await this.file(request.fileId);
    if (!file) throw apiError('NOT_FOUND', `No uploaded file with id ${request.fileId}`);
    const adapter = this.adapter(file.adapter);
    const onExisting = request.onExisting ?? adapter.onExisting.default;
    if (!adapter.onExisting.choices.includes(onExisting)) {
      throw apiError(
        'BAD_USER_INPUT',
        `onExisting ${onExisting} is not available for ${adapter.name} (choices: ${adapter.onExisting.choices.join(', ')})`,
      );
    }
    if (request.enrollIfNeeded && !adapter.enrollIfNeeded) {
      const supported = this.deps.registry.list().filter((a) => a.enrollIfNeeded).map((a) => a.name).join(', ');
      throw apiError('BAD_USER_INPUT', renderMessage('ENROLL_NOT_SUPPORTED', { adapter: adapter.name, supported }, lang));
    }
    const options = this.parseOptions(adapter, request.options ?? {});
    const checked = await this.checkedSheet(file, adapter, options.sheet as SheetChoice | undefined, lang);
    const given = options.columnMap as Record<string, string> | undefined;
    // Without a header there are no names to map; mapping by position would only restate the columns' order.
    if (given && (!file.hasHeader || adapter.package)) throw apiError('BAD_USER_INPUT', renderMessage('COLUMN_MAP_WITHOUT_HEADER', {}, lang));
    // The saved mapping the check applied goes on to the job, the user's own entries over it.
    const columnMap = file.savedMapping ? { ...file.savedMapping.map, ...given } : given;
    if (columnMap) options.columnMap = columnMap;
    const problems = this.fileProblems(checked, adapter, given && columnMap, options.allowAdapterMismatch === true);
    const errors = problems.filter((problem) => problem.severity === IssueSeverity.ERROR);
    if (errors.length > 0) {
      throw apiError('BAD_USER_INPUT', `The file cannot be imported: ${errors.map((e) => e.message).join('; ')}`, {
        problems: errors,
      });
    }
    await this.refuseTooManyRecords(file, adapter, options.sheet as SheetChoice | undefined);
    const fixesJobId = request.fixesJobId ?? null;
    if (fixesJobId !== null) {
      const fixed = await this.job(fixesJobId);
      if (!fixed) throw apiError('NOT_FOUND', `No import job with id ${fixesJobId}`);
      if (fixed.adapter !== adapter.name) {
        throw apiError('BAD_USER_INPUT', `Job ${fixesJobId} imported ${fixed.adapter} records; this file is for ${adapter.name}`);
      }
    }
    const sync = syncOptions(request, adapter, this.deps.registry);
    if (sync.mode === ImportMode.SNAPSHOT && !request.dryRun) await refuseConcurrentSync(this.deps.store, adapter.name, sync.dataSet!);
    const dryRun = request.dryRun ?? false;
    // A nightly sync may well be the same file as last night's: it changes nothing then, and retires nothing.
    if (!dryRun && !options.allowDuplicate && sync.mode !== ImportMode.SNAPSHOT) await this.refuseDuplicate(file);
    const job = Object.assign(new ImportJob(), {
      adapter: adapter.name,
      fileId: file.id,
      status: ImportStatus.PENDING,
      dryRun,
      onExisting,
      enrollIfNeeded: request.enrollIfNeeded ?? false,
      options,
      importDate: today(),
      fixesJobId,
      ...sync,
      tokenId,
    });
    const saved = await store.transaction((m) => m.save(job));
    await queue.enqueue(saved.id);
    return saved;
  }

  private parseOptions(adapter: AnyAdapter, raw: Record<string, unknown>): Record<string, unknown> {
    const { allowDuplicate, columnMap, allowAdapterMismatch, sheet, ...rest } = raw;
    const core = coreOptions.safeParse({ allowDuplicate, columnMap, allowAdapterMismatch, sheet });
    const own = adapter.options
      ? adapter.options.safeParse(rest)
      : Object.keys(rest).length === 0
        ? { success: true as const, data: {} }
        : z.object({}).strict().safeParse(rest);
    const issues = [...(core.success ? [] : core.error.issues), ...(own.success ? [] : own.error.issues)];
    if (issues.length > 0) {
      const detail = issues.map((issue) => `${['options', ...issue.path].join('.')}: ${issue.message}`).join('; ');
      throw apiError('BAD_USER_INPUT', `Invalid options: ${detail}`);
    }
    const parsed = { ...(own.data as object), ...core.data };
    return Object.fromEntries(Object.entries(parsed).filter(([, value]) => value !== undefined));
  }

  /**
   * The file as the check step saw it, or, for a workbook's sheet chosen by options.sheet,
   * that sheet checked now (its columns and problems): an unknown sheet is refused here, with
   * the workbook's sheets.
   */
  private async checkedSheet(file: ImportFile, adapter: AnyAdapter, sheet: SheetChoice | undefined, lang: Language): Promise<ImportFile> {
    if (sheet === undefined) return file;
    if (file.encoding !== XLSX_ENCODING) throw apiError('BAD_USER_INPUT', renderMessage('SHEET_WITHOUT_WORKBOOK', {}, lang));
    const { files, config, registry } = this.deps;
    const stored = files.uploadPath(file.storedName);
    const check = await checkStoredFile(stored, await files.head(file.storedName, CHECK_SAMPLE_BYTES), {
      adapter,
      hasHeader: file.hasHeader,
      utf8: false,
      maxRecordSize: config.MAX_RECORD_SIZE,
      adapters: registry.list(),
      sheet,
    });
    const unknown = check.problems.find((problem) => problem.code === 'UNKNOWN_SHEET');
    if (unknown) throw apiError('BAD_USER_INPUT', renderMessage('UNKNOWN_SHEET', unknown.params as Record<string, string>, lang), { sheets: check.sheets });
    return Object.assign(new ImportFile(), file, { columns: check.columns, problems: check.problems });
  }

  /**
   * The check step's problems, with the header mapped again when the user gave a column map (a
   * file mapped by the user for this adapter is not another adapter's), and without
   * LIKELY_WRONG_ADAPTER when the user says to import it anyway.
   */
  private fileProblems(file: ImportFile, adapter: AnyAdapter, columnMap: Record<string, string> | undefined, allowAdapterMismatch: boolean) {
    const problems = allowAdapterMismatch || columnMap ? file.problems.filter((problem) => problem.code !== 'LIKELY_WRONG_ADAPTER') : file.problems;
    if (!columnMap) return problems;
    const headerCodes = ['MISSING_COLUMN', 'UNKNOWN_COLUMN', 'DUPLICATE_COLUMN', 'HEADER_NOT_RECOGNISED'];
    const remapped = mapHeader(file.columns, adapter, { columnMap }).problems;
    return [...problems.filter((problem) => !headerCodes.includes(problem.code)), ...remapped];
  }

  /** An administrator may cap the records of a file per adapter (MAX_RECORDS_BY_ADAPTER). */
  private async refuseTooManyRecords(file: ImportFile, adapter: AnyAdapter, sheet: SheetChoice | undefined): Promise<void> {
    const max = this.deps.config.MAX_RECORDS_BY_ADAPTER[adapter.name];
    if (max === undefined || adapter.package) return;
    const count = await countRecords(this.deps.files.uploadPath(file.storedName), file.encoding as FileEncoding, {
      delimiter: file.delimiter,
      sheet,
      escape: adapter.format?.escape,
      maxRecordSize: this.deps.config.MAX_RECORD_SIZE,
      hasHeader: file.hasHeader || file.problems.some((problem) => problem.code === 'HEADER_SKIPPED'),
      limit: max,
    });
    if (count > max) {
      const params = { max: String(max) };
      const message = renderMessage('TOO_MANY_RECORDS', params, 'en');
      throw apiError('BAD_USER_INPUT', `The file cannot be imported: ${message}`, {
        problems: [{ line: null, column: null, severity: IssueSeverity.ERROR, code: 'TOO_MANY_RECORDS', message, params }],
      });
    }
  }

  /**
   * The same bytes were imported already by the same adapter: by a job on its way (PENDING,
   * RUNNING), done (SUCCEEDED), or stopped (CANCELLED, FAILED) after it wrote rows — those rows
   * would be written a second time. A stopped job that wrote nothing, and a dry run, do not count.
   */
  private async refuseDuplicate(file: ImportFile): Promise<void> {
    const previous = await this.deps.store.read((m) =>
      m
        .createQueryBuilder(ImportJob, 'job')
        .innerJoin(ImportFile, 'file', 'file.id = job.file_id')
        .where('file.sha256 = :sha256 AND job.adapter = :adapter AND job.dry_run = :dry AND job.parent_id IS NULL AND job.undoes_job_id IS NULL', {
          sha256: file.sha256,
          adapter: file.adapter,
          dry: false,
        })
        .andWhere(
          new Brackets((statuses) =>
            statuses
              .where('job.status IN (:...counted)', { counted: [ImportStatus.PENDING, ImportStatus.RUNNING, ImportStatus.SUCCEEDED] })
              .orWhere('(job.status IN (:...stopped) AND job.added + job.updated > 0)', { stopped: [ImportStatus.CANCELLED, ImportStatus.FAILED] }),
          ),
        )
        .orderBy('job.id', 'DESC')
        .getOne(),
    );
    if (previous) {
      const stopped = previous.status === ImportStatus.CANCELLED || previous.status === ImportStatus.FAILED;
      const how = stopped ? `was partly imported with ${file.adapter} (job ${previous.id}, ${previous.status}; resumeImport goes on with it)` : `was already imported with ${file.adapter} (job ${previous.id})`;
      throw apiError('DUPLICATE_FILE', `The same file ${how}; pass options: {allowDuplicate: true} to import it again`, {
        jobId: String(previous.id),
      });
    }
  }

  /** Stops a job: a queued one at once, a running one at the end of its current batch. */
  async cancel(id: number): Promise<ImportJob> {
    const { store, queue, bus } = this.deps;
    const job = await this.job(id);
    if (!job) throw apiError('NOT_FOUND', `No import job with id ${id}`);
    if (finishedStatuses.includes(job.status)) return job;
    // Asked first in the job row: a run that takes the job from now on (another worker, a
    // restart) sees it and does not start.
    await store.transaction((m) => m.update(ImportJob, { id }, { cancelRequested: true }));
    const split = isSplit(job);
    if (split) await this.deps.partitions?.cancel(job);
    if (split || (await queue.cancel(id)) === 'running') {
      // The runner stops after its batch; wait (bounded) so that the answer shows CANCELLED.
      await Promise.race([jobFinished(bus, (jobId) => this.job(jobId), id), sleep(10_000, undefined, { ref: false })]);
      return (await this.job(id)) as ImportJob;
    }
    await store.transaction((m) =>
      m.update(ImportJob, { id, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }, {
        status: ImportStatus.CANCELLED,
        finishedAt: new Date(),
        outcome: outcomeOf(job), // a queued job's counters do not move
      }),
    );
    const current = (await this.job(id)) as ImportJob;
    bus.publish(current);
    return current;
  }

  /**
   * Goes on with a cancelled job from its checkpoint: the same job, its counters continuing, as
   * after a restart. A failed job too, once it committed batches: running its file again would
   * write them twice (one that committed nothing can simply be run again).
   */
  async resume(id: number): Promise<ImportJob> {
    const { store, queue, bus } = this.deps;
    const job = await this.job(id);
    if (!job) throw apiError('NOT_FOUND', `No import job with id ${id}`);
    // A package job past its first member committed batches too, even at record 0 of the next one.
    const resumable = job.status === ImportStatus.CANCELLED || (job.status === ImportStatus.FAILED && (job.recordsDone > 0 || job.memberIndex > 0));
    if (!resumable) {
      throw apiError(
        'BAD_USER_INPUT',
        `Job ${id} is ${job.status}: only a cancelled job, or a failed one that committed batches, can be resumed`,
        { status: job.status },
      );
    }
    const undoing = await store.read((m) => m.findOneBy(ImportJob, { undoesJobId: id, dryRun: false, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }));
    if (undoing) throw apiError('BAD_USER_INPUT', `Job ${id} is being undone by job ${undoing.id}: it cannot be resumed meanwhile`, { status: job.status });
    const { affected } = await store.transaction((m) =>
      m.update(ImportJob, { id, status: job.status }, { status: ImportStatus.PENDING, cancelRequested: false, finishedAt: null, failure: null, outcome: null }),
    );
    if (!affected) throw apiError('BAD_USER_INPUT', `Job ${id} changed meanwhile: it is no longer ${job.status}`);
    if (isSplit(job)) await this.deps.partitions?.reopen(id);
    // Read and announced before it is queued: the run may start at once, and its own news must come after.
    const current = (await this.job(id)) as ImportJob;
    bus.publish(current);
    await queue.enqueue(id);
    return current;
  }

  /** Jobs left RUNNING or PENDING by a previous process: queued again, resumed from their checkpoint. */
  async resumeUnfinished(): Promise<number[]> {
    const jobs = await this.deps.store.read((m) =>
      m.find(ImportJob, {
        where: [{ status: ImportStatus.RUNNING }, { status: ImportStatus.PENDING }] as FindOptionsWhere<ImportJob>[],
        order: { id: 'ASC' },
      }),
    );
    for (const job of jobs) await this.deps.queue.enqueue(job.id);
    return jobs.map((job) => job.id);
  }

  exampleCsv(adapter: AnyAdapter): string {
    return fs.readFileSync(adapter.exampleFile, 'utf8');
  }
}
