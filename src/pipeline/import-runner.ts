import type { Logger } from 'pino';
import type { AdapterRegistry } from '../adapters/registry';
import type { Config } from '../config/config';
import type { Store } from '../db/store';
import { ImportStatus, finishedStatuses } from '../imports/enums';
import type { FileStore } from '../imports/file-store';
import { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
import { ImportJob, counterNames, outcomeOf } from '../imports/import-job.entity';
import { SHUTDOWN } from '../jobs/job-queue';
import type { ProgressBus } from '../jobs/progress-bus';
import { FileProblemError, JobRun } from './job-run';

export interface RunnerDeps {
  store: Store;
  registry: AdapterRegistry;
  files: FileStore;
  bus: ProgressBus;
  config: Config;
  logger: Logger;
}

/**
 * The one import pipeline: stored file → decode → tokenize → map header → validate →
 * adapter resolve/persist in batches, each batch committed together with the job's
 * checkpoint (records done, counters, issues, rejects file length) → final status.
 */
export class ImportRunner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Runs a job, or resumes it from its checkpoint; a problem in the file never throws. */
  async run(jobId: number, signal: AbortSignal): Promise<void> {
    const { store, registry, logger } = this.deps;
    const job = await store.read((m) => m.findOneBy(ImportJob, { id: jobId }));
    if (!job || finishedStatuses.includes(job.status)) return;
    const file = await store.read((m) => m.findOneByOrFail(ImportFile, { id: job.fileId }));
    if (job.dryRun && job.recordsDone > 0) await this.restart(job);
    job.status = ImportStatus.RUNNING;
    job.startedAt ??= new Date();
    await this.save(job);
    try {
      const adapter = registry.get(job.adapter);
      if (!adapter) throw new FileProblemError(`The adapter "${job.adapter}" is not loaded`);
      const completed = await new JobRun(this.deps, job, file, adapter, signal).execute();
      if (!completed && signal.reason === SHUTDOWN) return; // stays RUNNING: resumed at the next start
      job.status = completed ? ImportStatus.SUCCEEDED : ImportStatus.CANCELLED;
      if (job.status === ImportStatus.SUCCEEDED) job.progress = 1;
    } catch (error) {
      if (signal.aborted && signal.reason === SHUTDOWN) return;
      job.status = ImportStatus.FAILED;
      job.failure = error instanceof FileProblemError ? error.message : `Unexpected error: ${(error as Error).message}`;
      if (!(error instanceof FileProblemError)) logger.error({ err: error, jobId }, 'import job failed');
    }
    job.finishedAt = new Date();
    job.outcome = outcomeOf(job);
    await this.save(job);
  }

  /**
   * A dry run writes nothing but the report, and what adapters remember across batches
   * (ctx.state) is lost with the process: a resumed dry run starts over.
   */
  private async restart(job: ImportJob): Promise<void> {
    const reset = { recordsDone: 0, rejectsBytes: 0, progress: 0, ...Object.fromEntries(counterNames.map((name) => [name, 0])) };
    await this.deps.store.transaction(async (m) => {
      await m.delete(ImportIssue, { jobId: job.id });
      await m.update(ImportJob, { id: job.id }, reset);
    });
    Object.assign(job, reset);
  }

  private async save(job: ImportJob): Promise<void> {
    const { id, status, startedAt, finishedAt, progress, failure, outcome } = job;
    await this.deps.store.transaction((m) => m.update(ImportJob, { id }, { status, startedAt, finishedAt, progress, failure, outcome }));
    this.deps.bus.publish({ ...job });
  }
}
