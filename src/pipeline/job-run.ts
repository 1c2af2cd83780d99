import type { EntityManager } from 'typeorm';
import type { AnyAdapter, ImportContext, PlannedRow, Row, RowDecision } from '../adapters/define-adapter';
import { insertRows } from '../db/bulk';
import { GroupRolledBackError } from '../db/write-group';
import { IssueSeverity } from '../imports/enums';
import type { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
import { ImportJob } from '../imports/import-job.entity';
import type { IssueData } from '../imports/issue-data';
import { RowVersion } from '../model/row-version.entity';
import { applyDecisions, isAccepted, toIssueData, type PendingRecord } from './batch';
import type { RunnerDeps } from './import-runner';
import { openJobSource } from './record-source';
import { RejectsWriter } from './rejects-writer';
import { BatchBeforeFailedError, deferred, PredecessorFailedError, type Flight, type Overlap } from './flight';
import { countersOf, JobCommits } from './job-commits';
import { isLeaseLost, updateLeased } from './lease';
import { isRetryable, withRetry } from './retry';
import { partRule, type PartRule } from './partitions';
import { mapHeader } from './header';
import { ImportMode } from '../imports/enums';
import { SyncKey } from '../sync/sync-key.entity';
import { SyncKeyCollector } from '../sync/sync-keys';
import { enterImportBatch } from '../undo/fence';

/** A problem with the file as a whole: the job fails with this message. */
export class FileProblemError extends Error {}

/** The job was stopped before this batch began: it is rolled back, the checkpoint stays before it. */
class StoppedError extends Error {}

/** Where an attempt started writing to the rejects file (null: it wrote nothing there). */
interface RejectsMark {
  from: number | null;
}

interface Decided {
  outcomes: ReturnType<typeof applyDecisions>['outcomes'];
  issues: ReturnType<typeof applyDecisions>['issues'];
  versions: Partial<RowVersion>[];
}

/** A member file of a package import, as its job reads it. */
export interface MemberRun {
  /** Its name in the package: issues carry it, its rejects file is named after it. */
  file: string;
  /** Options the package gives the member's adapter, over the job's. */
  options: Record<string, unknown>;
  /** Bytes of the members before it, and of all of them: the job's progress. */
  bytesBefore: number;
  bytesTotal: number;
}

/** One execution of a job over its file: read, batch, commit with the checkpoint. */
export class JobRun {
  /** Adapter state kept across batches. */
  private readonly state = new Map<string, unknown>();
  private readonly rejects: RejectsWriter;
  private batch: PendingRecord[] = [];
  /** Records of the file the pending batch covers: more than the batch for a part of a split import. */
  private span = 0;
  /** A part of a split import: which records are this part's. */
  private readonly part: PartRule | null;
  /** The latest batch sent to the database (the next one is read meanwhile). */
  private flight: Flight | null = null;
  private fileIssues: IssueData[] = [];
  private bytesRead = 0;
  private lastPublish = 0;
  /** A batch was not committed because the job was stopped. */
  private stopped = false;
  /** A batch failed: the job fails with it. */
  private failed = false;
  private readonly commits: JobCommits;
  /** A sync import (SNAPSHOT): the keys of its records, committed with each batch. */
  private readonly syncKeys: SyncKeyCollector | null;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly job: ImportJob,
    private readonly file: ImportFile,
    private readonly adapter: AnyAdapter,
    private readonly signal: AbortSignal,
    /** After each commit that is published (a part of a split import sums its job's counters then). */
    private readonly onPublish: (job: ImportJob) => void = () => {},
    /** A member file of a package import (file is then that member, as extracted). */
    private readonly member: MemberRun | null = null,
  ) {
    this.part = partRule(job, adapter);
    this.rejects = new RejectsWriter(deps.files.rejectsPath(job.id, member?.file), file.delimiter, job.rejectsBytes, this.part !== null);
    this.commits = new JobCommits(deps.store, deps.config, job);
    this.syncKeys = job.mode === ImportMode.SNAPSHOT && adapter.sync ? new SyncKeyCollector(adapter, job.id) : null;
  }

  /** True when the whole file was read and committed; false when the job was stopped first. */
  async execute(): Promise<boolean> {
    try {
      for (;;) {
        try {
          return await this.pass();
        } catch (error) {
          if (!(error instanceof GroupRolledBackError) || isLeaseLost(error)) throw error;
          this.restart();
          if (this.signal.aborted) return false; // stopped: the checkpoint stays where it was committed
          this.deps.logger.warn({ err: error, jobId: this.job.id }, 'batches rolled back; going on from the last checkpoint');
        }
      }
    } finally {
      this.rejects.close();
    }
  }

  /**
   * Reads the file from the checkpoint and sends its batches to the database, to the end (or
   * until the job is stopped).
   */
  private async pass(): Promise<boolean> {
    const source = openJobSource(this.deps.config, this.deps.store.kind, this.job, this.file, this.deps.files.uploadPath(this.file.storedName), this.adapter, {
      signal: this.signal,
      keep: this.part?.keep,
      // Let the batch in the database move on (its answers are I/O callbacks) while the next
      // one is being read and validated on this thread.
      turn: () => (this.flight ? new Promise((resolve) => setImmediate(resolve)) : null),
    });
    let aborted = false;
    let ended = false;
    try {
      for await (const event of source) {
        if (event.kind === 'header') {
          this.readHeader(event.fields, event.problems);
          continue;
        }
        this.bytesRead = event.bytesRead;
        this.span += event.records.length + (event.skipped ?? 0);
        if (this.part) {
          // A part: its records, gathered into batches of the usual size.
          const { owns } = this.part;
          for (const record of event.records) if (!owns || owns(record)) this.batch.push(record);
          if (this.batch.length < this.deps.config.BATCH_SIZE && !this.signal.aborted) continue;
        } else this.batch = event.records;
        await this.dispatch();
        if ((aborted = this.signal.aborted)) break;
      }
      aborted ||= this.signal.aborted;
      if (!aborted) await this.dispatch();
      await this.settle();
      ended = true;
    } finally {
      await source.close();
      await this.flight?.done.catch(() => undefined); // a failure is already on its way up
      // With an error on its way up too: the batches that ended well are kept, as they would be one at a time.
      if (!ended) await this.commits.commit().catch((error) => this.deps.logger.error({ err: error, jobId: this.job.id }, 'the last batches were rolled back'));
    }
    if (await this.commits.commit()) this.publish();
    return !aborted && !this.stopped;
  }

  /** Back to the last committed checkpoint, as after a restart: what the rolled-back batches did is forgotten. */
  private restart(): void {
    this.rejects.rollback(this.job.rejectsBytes); // the job is back at its committed checkpoint (JobCommits.rolledBack)
    this.state.clear(); // the adapter's memory may hold what the rolled-back batches wrote
    this.flight = null;
    this.failed = false;
    this.stopped = false;
    this.batch = [];
    this.span = 0;
    this.fileIssues = [];
  }

  /** Progress to the subscribers, at most every PROGRESS_INTERVAL_MS, of what is committed. */
  private publish(): void {
    const now = Date.now();
    if (now - this.lastPublish < this.deps.config.PROGRESS_INTERVAL_MS) return;
    this.lastPublish = now;
    this.deps.bus.publish({ ...this.job });
    this.onPublish(this.job);
  }

  /**
   * Hands the pending records to the database once the batch before them is committed (or,
   * when batches overlap, resolved), and returns without waiting: the next batch is read and
   * validated meanwhile. Batches commit one after the other, in file order.
   */
  private async dispatch(): Promise<void> {
    const overlap = this.overlaps();
    const predecessor = this.flight;
    if (overlap && predecessor) {
      // Two batches at most in the database: this one resolving, the one before writing (each
      // holds a connection while it waits for the one before it).
      await predecessor.resolved;
      await predecessor.before?.catch(() => undefined);
      if (this.failed) await predecessor.done; // a batch failed: the job fails with its error, nothing more is sent
    } else await this.settle();
    const records = this.batch;
    this.batch = [];
    const fileIssues = this.fileIssues;
    this.fileIssues = [];
    // Nothing to write (a part none of whose records were read yet): the records read go with the next batch.
    if (records.length === 0 && fileIssues.length === 0) return;
    const span = this.span;
    this.span = 0;
    const resolved = deferred<void>();
    const firstAttempt = deferred<boolean>();
    const done = this.flush(records, span, fileIssues, overlap ? { predecessor, resolved: resolved.resolve } : null, firstAttempt.resolve)
      .finally(() => {
        resolved.resolve();
        firstAttempt.resolve(false); // no effect once settled
      })
      .then(() => predecessor?.done); // done means every batch before is done too
    done.catch(() => (this.failed = true)); // awaited by settle(); not an unhandled rejection meanwhile
    this.flight = { done, resolved: resolved.promise, firstAttempt: firstAttempt.promise, before: predecessor?.done ?? null };
  }

  /** Batches overlap on MySQL: in a dry run, and for adapters that lock what they read. */
  private overlaps(): boolean {
    // A dry run changes nothing another batch reads: any adapter's batches may overlap, each
    // resolved after the one before it (whose memory of what it would write it then reads).
    return this.deps.store.kind === 'mysql' && (this.job.dryRun || this.adapter.overlapBatches === true);
  }

  /** Waits for the batches in the database; a failure fails the job. */
  private async settle(): Promise<void> {
    const flight = this.flight;
    this.flight = null;
    if (flight) await flight.done;
  }

  private readHeader(fields: string[], problems: IssueData[]): void {
    this.rejects.header = fields;
    // The same mapping the records were read with (a header skipped in a file without one is read as the adapter names it).
    this.syncKeys?.useMapping(mapHeader(fields, this.adapter, { columnMap: this.file.hasHeader ? (this.job.options.columnMap as Record<string, string> | undefined) : undefined }).mapping);
    // A split import's problems with the file are reported once, by its first part.
    if (this.job.recordsDone === 0 && !this.job.partitionIndex) this.fileIssues.push(...problems);
    const fatal = problems.filter((problem) => problem.severity === IssueSeverity.ERROR);
    if (fatal.length > 0) throw new FileProblemError(fatal.map((problem) => problem.message).join('; '));
  }

  /**
   * Sends a batch through the adapter and commits it with the checkpoint. `overlap`: the
   * first attempt resolves while the batch before is still in the database; if that one does
   * not commit at its first attempt, this one is rolled back and done again after it.
   */
  private async flush(records: PendingRecord[], span: number, fileIssues: IssueData[], overlap: Overlap | null, firstAttempt: (committed: boolean) => void): Promise<void> {
    let attempt = 0;
    const once = async (rowByRow: boolean) => {
      const first = attempt++ === 0;
      // Any attempt but an overlapping first one starts once the batch before is done.
      if (!first && overlap?.predecessor) await overlap.predecessor.done.catch((error) => Promise.reject(new BatchBeforeFailedError(error)));
      const rejects: RejectsMark = { from: null };
      try {
        // Stopped: nothing of this batch is done (the batches of its group are still committed).
        if (this.signal.aborted) throw new StoppedError();
        await this.commit(records, span, fileIssues, rowByRow, first ? overlap : null, rejects);
        if (first) firstAttempt(true);
      } catch (error) {
        // What this attempt wrote to the rejects file goes with it; what it had not written yet, too.
        if (rejects.from !== null) this.rejects.rollback(rejects.from);
        else this.rejects.discard();
        // The next batch (waiting for this one to write) must let go of its locks first.
        if (first) firstAttempt(false);
        throw error;
      }
    };
    try {
      try {
        await withRetry(() => once(false));
      } catch (error) {
        // The batch before failed its first attempt: this one again, once that one is done.
        if (!(error instanceof PredecessorFailedError)) throw error;
        await withRetry(() => once(false));
      }
    } catch (error) {
      if (isLeaseLost(error)) throw error; // another run holds the job: nothing more from this one
      if (error instanceof BatchBeforeFailedError) throw error.cause; // the job fails with that batch's error
      if (error instanceof GroupRolledBackError) {
        // Done again from the checkpoint, and this batch by itself: its own failure is then handled as any.
        this.commits.rolledBack(this.job.recordsDone + span);
        throw error;
      }
      if (error instanceof StoppedError) {
        this.stopped = true;
        return;
      }
      if (isRetryable(error)) throw error;
      // Something in this batch broke the adapter: row by row, so that only that row is lost.
      this.deps.logger.warn({ err: error, jobId: this.job.id }, 'batch failed; retrying it row by row');
      await withRetry(() => once(true));
    }
    // better-sqlite3 answers synchronously: without this turn, a whole chunk of the file would
    // be imported before the server could answer a request or read a cancellation.
    await new Promise((resolve) => setImmediate(resolve));
    if (await this.commits.batchDone()) this.publish();
  }

  private async commit(records: PendingRecord[], span: number, fileIssues: IssueData[], rowByRow: boolean, overlap: Overlap | null, rejects: RejectsMark): Promise<void> {
    const store = this.commits.transactional();
    const started = performance.now();
    let update: Partial<ImportJob>;
    if (this.job.dryRun) {
      // Resolve in a transaction that is rolled back; only the report is kept.
      const decided = await store.transaction((m) => this.decide(m, records, rowByRow, overlap), { rollback: true });
      update = await store.transaction((m) => this.record(m, records, span, fileIssues, decided, rejects));
    } else {
      update = await store.transaction(async (m) => this.record(m, records, span, fileIssues, await this.decide(m, records, rowByRow, overlap), rejects));
    }
    Object.assign(this.job, update);
    this.deps.metrics?.batchCommit.observe((performance.now() - started) / 1000);
    this.deps.metrics?.records.inc(records.length);
  }

  private context(manager: EntityManager, versions: Partial<RowVersion>[]): ImportContext<unknown> {
    const { job } = this;
    // The rows a part of a split import writes are its job's, as in one stream.
    const jobId = job.parentId ?? job.id;
    return {
      manager,
      db: this.deps.store.kind,
      job: {
        id: jobId,
        importDate: job.importDate,
        onExisting: job.onExisting,
        enrollIfNeeded: job.enrollIfNeeded,
        dryRun: job.dryRun,
        options: this.member ? { ...job.options, ...this.member.options } : job.options,
      },
      state: this.state,
      keepPreviousValues: (tableName, rowId, previous, line) => versions.push({ jobId, tableName, rowId, previous, line: line ?? null }),
    };
  }

  /**
   * resolve (and persist, unless dry) the accepted records of a batch. With `overlap`, the next
   * batch may start once this one is resolved, and this one writes once the one before committed.
   */
  private async decide(manager: EntityManager, records: PendingRecord[], rowByRow: boolean, overlap: Overlap | null): Promise<Decided> {
    // Cancelled or shutting down while waiting for the transaction: this batch is not committed.
    if (this.signal.aborted) throw new StoppedError();
    // No undo batch runs while this one writes; what the adapter remembers is forgotten if one ran since (see fence.ts).
    if (!this.job.dryRun) await enterImportBatch(manager, this.state);
    const versions: Partial<RowVersion>[] = [];
    const context = this.context(manager, versions);
    const write = !this.job.dryRun;
    // A pending record is a Row (its line and data): handed over as it is.
    const rows: Row<unknown>[] = records.filter(isAccepted);
    if (!rowByRow) {
      const decisions = rows.length > 0 ? await this.adapter.resolve(rows, context) : [];
      if (decisions.length !== rows.length) {
        throw new Error(`adapter ${this.adapter.name} returned ${decisions.length} decisions for ${rows.length} rows`);
      }
      if (overlap) {
        overlap.resolved();
        // Rows are written, and the checkpoint moved, only after the batch before is committed.
        if (overlap.predecessor && !(await overlap.predecessor.firstAttempt)) throw new PredecessorFailedError();
      }
      const applied = applyDecisions(records, decisions);
      if (write && applied.planned.length > 0) await this.adapter.persist(applied.planned, context);
      return { outcomes: applied.outcomes, issues: applied.issues, versions };
    }
    const decisions: RowDecision<unknown>[] = [];
    const runner = manager.queryRunner!;
    for (const row of rows) {
      const kept = versions.length;
      await runner.startTransaction(); // a savepoint inside the batch's transaction
      try {
        const [decision] = await this.adapter.resolve([row], context);
        if (write && (decision.action === 'add' || decision.action === 'update')) {
          const planned: PlannedRow<unknown, unknown> = { row, action: decision.action, plan: decision.plan };
          await this.adapter.persist([planned], context);
        }
        await runner.commitTransaction();
        decisions.push(decision);
      } catch (error) {
        await runner.rollbackTransaction();
        if (isRetryable(error)) throw error;
        versions.length = kept;
        decisions.push({ action: 'reject', issues: [{ code: 'INTERNAL_ERROR', params: { detail: (error as Error).message } }] });
      }
    }
    const applied = applyDecisions(records, decisions);
    return { outcomes: applied.outcomes, issues: applied.issues, versions };
  }

  /** How much of the job's file (of a package's members) is read. */
  private progress(): number {
    const { member } = this;
    if (member) return member.bytesTotal > 0 ? (member.bytesBefore + this.bytesRead) / member.bytesTotal : 0;
    return this.file.size > 0 ? this.bytesRead / this.file.size : 0;
  }

  /** Issues, rejects, row versions and the checkpoint, in the batch's transaction. */
  private async record(
    manager: EntityManager,
    records: PendingRecord[],
    span: number,
    fileIssues: IssueData[],
    decided: Decided,
    rejects: RejectsMark,
  ): Promise<Partial<ImportJob>> {
    const { job, adapter } = this;
    const counters = countersOf(job);
    counters.processed += records.length;
    const file = this.member?.file ?? null;
    const issues: Partial<ImportIssue>[] = fileIssues.map((issue) => ({ jobId: job.id, ...issue, file }));
    records.forEach((record, i) => {
      const outcome = decided.outcomes[i];
      counters[outcome]++;
      for (const issue of decided.issues[i]) issues.push({ jobId: job.id, ...toIssueData(issue, record.line, adapter), file });
      if (outcome === 'rejected') {
        if (record.fields) this.rejects.add(record.fields, record.line);
        else this.rejects.addRaw(record.raw ?? '', record.line);
      }
    });
    for (const issue of issues) counters[issue.severity === IssueSeverity.ERROR ? 'errors' : 'warnings']++;
    const rejectsBytes = this.rejects.lengthAfterFlush();
    await insertRows(manager, ImportIssue, issues);
    await insertRows(manager, RowVersion, decided.versions);
    if (this.syncKeys) await insertRows(manager, SyncKey, this.syncKeys.keysOf(records));
    const update = {
      ...counters,
      recordsDone: job.recordsDone + span,
      rejectsBytes,
      progress: Math.min(0.99, this.progress()),
    };
    await updateLeased(manager, job, update); // with the checkpoint: only while this run holds the job
    // The rejects file is written only now: the lease is this run's, and its job row locked until
    // the commit, so no other run (a worker that took over while this one was paused) writes it
    // meanwhile — nor has this run written anything to cut back when its lease turns out lost.
    rejects.from = job.rejectsBytes; // the last commit's length: what a failure cuts the file back to
    this.rejects.flush();
    return update;
  }
}
