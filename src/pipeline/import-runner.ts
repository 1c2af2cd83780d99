import type { Logger } from 'pino';
import { In } from 'typeorm';
import type { AdapterRegistry } from '../adapters/registry';
import type { Config } from '../config/config';
import type { Store } from '../db/store';
import { ImportMode, ImportStatus } from '../imports/enums';
import type { FileStore } from '../imports/file-store';
import { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
import { ImportJob, counterNames, outcomeOf, undoOutcomeOf } from '../imports/import-job.entity';
import { LEASE_LOST, SHUTDOWN, type JobQueue } from '../jobs/job-queue';
import type { ProgressBus } from '../jobs/progress-bus';
import type { Metrics } from '../metrics/metrics';
import { FileProblemError, JobRun } from './job-run';
import { isLeaseLost, updateLeased } from './lease';
import { runPackage } from './package-run';
import { isSplit, Partitions } from './partitions';
import { UndoRun } from '../undo/undo-run';
import { RetireRun } from '../sync/retire-run';
import { SyncKey } from '../sync/sync-key.entity';
import type { EntityManager } from 'typeorm';

export interface RunnerDeps {
  store: Store;
  registry: AdapterRegistry;
  files: FileStore;
  bus: ProgressBus;
  config: Config;
  logger: Logger;
  /** Batch commit latency and records processed, for /metrics. */
  metrics?: Pick<Metrics, 'batchCommit' | 'records'>;
}

/**
 * The one import pipeline: stored file → decode → tokenize → map header → validate →
 * adapter resolve/persist in batches, each batch committed together with the job's
 * checkpoint (records done, counters, issues, rejects file length) → final status.
 */
export class ImportRunner {
  /** Large imports split across workers (MySQL/MariaDB, jobs on Redis). */
  readonly partitions: Partitions;

  constructor(private readonly deps: RunnerDeps) {
    this.partitions = new Partitions(deps);
  }

  /** The queue jobs run from: the parts of a split import go to it. */
  attach(queue: JobQueue): void {
    this.partitions.attach(queue);
  }

  /** Runs a job, or resumes it from its checkpoint; a problem in the file never throws. */
  async run(jobId: number, signal: AbortSignal): Promise<void> {
    // Every run (a first one, a resume, a job taken over from a worker that stalled) takes the
    // next lease, then reads the checkpoint as the run it follows committed it.
    const job = await this.takeLease(jobId);
    if (!job) {
      // A part that ended, delivered again (its worker stopped before its job heard of it).
      const ended = await this.deps.store.read((m) => m.findOneBy(ImportJob, { id: jobId }));
      if (ended?.parentId != null) await this.partitions.partEnded(ended);
      return;
    }
    try {
      await this.runLeased(job, signal);
    } catch (error) {
      if (isLeaseLost(error) || signal.reason === LEASE_LOST) {
        this.deps.logger.warn({ jobId, lease: job.lease }, 'import job taken over by another run; this one stopped without writing more');
        return;
      }
      if (signal.reason === SHUTDOWN) return; // stays RUNNING: resumed at the next start (or by another worker)
      throw error;
    }
  }

  /** The run of a job this run holds the lease of; a lost lease or a stop throws, to run(). */
  private async runLeased(job: ImportJob, signal: AbortSignal): Promise<void> {
    // A split import runs as its parts: run again, it collects them.
    if (isSplit(job)) return this.partitions.supervise(job);
    if (job.cancelRequested) {
      // Cancelled while it was being handed over (queue, restart): it does not start.
      await this.finish(job, ImportStatus.CANCELLED);
      return;
    }
    if (job.undoesJobId !== null) return this.runUndo(job, signal);
    const file = await this.deps.store.read((m) => m.findOneByOrFail(ImportFile, { id: job.fileId }));
    const adapter = this.deps.registry.get(job.adapter);
    const parts = adapter ? await this.partitions.partsFor(job, file, adapter) : 0;
    if (parts > 1) return this.partitions.split(job, parts);
    if (job.dryRun && job.recordsDone > 0) await this.restart(job);
    job.status = ImportStatus.RUNNING;
    job.startedAt ??= new Date();
    await this.save(job);
    // Stopped for a shutdown or by another run taking the job over: it stays RUNNING.
    const handedOver = () => signal.reason === SHUTDOWN || signal.reason === LEASE_LOST;
    let status: ImportStatus;
    try {
      if (!adapter) throw new FileProblemError(`The adapter "${job.adapter}" is not loaded`);
      const onPublish = (part: ImportJob) => this.partitions.progress(part);
      let completed = adapter.package
        ? await runPackage(this.deps, job, file, adapter, signal, onPublish)
        : await new JobRun(this.deps, job, file, adapter, signal, onPublish).execute();
      // A sync: once the whole file is in, the rows of its data set that it no longer has are retired.
      if (completed && job.mode === ImportMode.SNAPSHOT) completed = await new RetireRun(this.deps, job, adapter, signal).execute();
      if (!completed && handedOver()) return;
      status = completed ? ImportStatus.SUCCEEDED : ImportStatus.CANCELLED;
      if (completed) job.progress = 1;
    } catch (error) {
      if (isLeaseLost(error) || handedOver()) throw error;
      status = ImportStatus.FAILED;
      job.failure = error instanceof FileProblemError ? error.message : `Unexpected error: ${(error as Error).message}`;
      if (!(error instanceof FileProblemError)) this.deps.logger.error({ err: error, jobId: job.id }, 'import job failed');
    }
    await this.finish(job, status);
  }

  /**
   * An undo job (undoImport): its import's rows taken back in batches, each committed with its
   * checkpoint. Once it succeeded (and is not a dry run), the import is UNDONE in the same
   * transaction as the undo job's end.
   */
  private async runUndo(job: ImportJob, signal: AbortSignal): Promise<void> {
    // Checked again at each run: a cancelled undo resumed after another undo of the same import
    // succeeded, or an import resumed meanwhile, must not be undone (twice, or while it writes).
    const target = await this.deps.store.read((m) => m.findOneBy(ImportJob, { id: job.undoesJobId! }));
    const wrong = !target
      ? 'it no longer exists'
      : target.status === ImportStatus.UNDONE
        ? 'it was undone already'
        : target.status === ImportStatus.PENDING || target.status === ImportStatus.RUNNING
          ? `it is ${target.status} again`
          : null;
    if (wrong !== null) {
      job.failure = `Job ${job.undoesJobId} cannot be undone: ${wrong}`;
      await this.finish(job, ImportStatus.FAILED);
      return;
    }
    job.status = ImportStatus.RUNNING;
    job.startedAt ??= new Date();
    await this.save(job);
    const handedOver = () => signal.reason === SHUTDOWN || signal.reason === LEASE_LOST;
    let status: ImportStatus;
    let undone = false;
    try {
      const end = await new UndoRun(this.deps, job, signal).execute();
      if (end === 'stopped' && handedOver()) return;
      status = end === 'completed' ? ImportStatus.SUCCEEDED : end === 'stopped' ? ImportStatus.CANCELLED : ImportStatus.FAILED;
      if (end === 'completed') job.progress = 1;
      if (end === 'refused') {
        job.failure = `${job.conflicts} conflict(s) with later jobs (see the issues): nothing was undone. conflicts: SKIP undoes the rest, FORCE overwrites the later changes`;
      }
      undone = end === 'completed' && !job.dryRun;
    } catch (error) {
      if (isLeaseLost(error) || handedOver()) throw error;
      status = ImportStatus.FAILED;
      job.failure = `Unexpected error: ${(error as Error).message}`;
      this.deps.logger.error({ err: error, jobId: job.id }, 'undo job failed');
    }
    const undoesJobId = job.undoesJobId!;
    await this.finish(job, status, undone ? (m) => m.update(ImportJob, { id: undoesJobId }, { status: ImportStatus.UNDONE }) : undefined);
    if (undone) this.deps.bus.publish((await this.deps.store.read((m) => m.findOneByOrFail(ImportJob, { id: undoesJobId }))) as ImportJob);
  }

  /** A job the queue gave up on (its workers stalled too often): FAILED, unless it ended meanwhile. */
  async giveUp(jobId: number, reason: string): Promise<void> {
    const job = await this.takeLease(jobId);
    if (!job) return;
    job.failure = `The job queue gave up on it: ${reason}`;
    await this.finish(job, ImportStatus.FAILED);
  }

  /** The next lease of a job still to run (PENDING or RUNNING), and the job as committed; null for a finished one. */
  private takeLease(jobId: number): Promise<ImportJob | null> {
    return this.deps.store.transaction(async (m) => {
      const { affected } = await m.increment(ImportJob, { id: jobId, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }, 'lease', 1);
      return affected ? m.findOneBy(ImportJob, { id: jobId }) : null;
    });
  }

  /** `also`: more to write in the same transaction (an undo job marks its import UNDONE). */
  private async finish(job: ImportJob, status: ImportStatus, also?: (m: EntityManager) => Promise<unknown>): Promise<void> {
    job.status = status;
    job.finishedAt = new Date();
    job.outcome = job.undoesJobId !== null ? undoOutcomeOf(job) : outcomeOf(job);
    await this.save(job, also);
    if (job.parentId !== null) await this.partitions.partEnded(job);
  }

  /**
   * A dry run writes nothing but the report, and what adapters remember across batches
   * (ctx.state) is lost with the process: a resumed dry run starts over.
   */
  private async restart(job: ImportJob): Promise<void> {
    const reset = { recordsDone: 0, rejectsBytes: 0, memberIndex: 0, progress: 0, retired: 0, restored: 0, syncPhase: null, ...Object.fromEntries(counterNames.map((name) => [name, 0])) };
    await this.deps.store.transaction(async (m) => {
      await updateLeased(m, job, reset);
      await m.delete(ImportIssue, { jobId: job.id });
      await m.delete(SyncKey, { jobId: job.id });
    });
    Object.assign(job, reset);
  }

  private async save(job: ImportJob, also?: (m: EntityManager) => Promise<unknown>): Promise<void> {
    const { status, startedAt, finishedAt, progress, failure, outcome } = job;
    await this.deps.store.transaction(async (m) => {
      await updateLeased(m, job, { status, startedAt, finishedAt, progress, failure, outcome });
      await also?.(m);
    });
    this.deps.bus.publish({ ...job });
  }
}
