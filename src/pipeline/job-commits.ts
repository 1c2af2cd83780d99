import type { Config } from '../config/config';
import type { Store, Transactional } from '../db/store';
import { WriteGroup } from '../db/write-group';
import { counterNames, type Counters, type ImportJob } from '../imports/import-job.entity';

/** What of a job each batch moves on, committed with it. */
export type Checkpoint = Pick<ImportJob, 'recordsDone' | 'rejectsBytes' | 'progress' | keyof Counters>;

export const countersOf = (job: ImportJob) => Object.fromEntries(counterNames.map((name) => [name, job[name]])) as Counters;

const checkpointOf = (job: ImportJob): Checkpoint => ({
  ...countersOf(job),
  recordsDone: job.recordsDone,
  rejectsBytes: job.rejectsBytes,
  progress: job.progress,
});

/**
 * Where a job's batches commit, and what of the job is committed. On MySQL, and for dry runs,
 * every batch in its own transaction; on SQLite a real run's batches in groups (WriteGroup).
 * After a group was rolled back the job goes on from `committed`, the batches of the group done
 * again one at a time up to the one that failed.
 */
export class JobCommits {
  private readonly group: WriteGroup | null;
  /** The job's checkpoint as last committed. */
  private committed: Checkpoint;
  /** Batches are grouped once this many records are done. */
  private soloUntil = 0;

  constructor(
    private readonly store: Store,
    config: Pick<Config, 'GROUP_COMMIT_MS'>,
    private readonly job: ImportJob,
  ) {
    const grouped = store.kind === 'sqlite' && config.GROUP_COMMIT_MS > 0 && !job.dryRun;
    this.group = grouped ? new WriteGroup(store, config.GROUP_COMMIT_MS) : null;
    this.committed = checkpointOf(job);
  }

  /** Where the next batch runs: the group, or a transaction of its own. */
  transactional(): Transactional {
    return this.group && this.job.recordsDone >= this.soloUntil ? this.group : this.store;
  }

  /** A batch ended well: true when what the job counts is now committed (publish it). */
  async batchDone(): Promise<boolean> {
    if (this.group?.open && !this.group.due) return false;
    await this.commit();
    return true;
  }

  /** Commits the open group, if any (true: it had batches); when that fails, the job is back at `committed` (GroupRolledBackError). */
  async commit(): Promise<boolean> {
    const grouped = this.group?.open === true;
    if (grouped) {
      try {
        await this.group!.commit();
      } catch (error) {
        this.soloUntil = Infinity; // the database refused a commit: one batch at a time from now on
        Object.assign(this.job, this.committed);
        throw error;
      }
    }
    this.committed = checkpointOf(this.job);
    return grouped;
  }

  /** The group was rolled back by the batch ending at `failedUntil` records: the job goes back to `committed`, and does that batch alone. */
  rolledBack(failedUntil: number): void {
    this.soloUntil = Math.max(this.soloUntil, failedUntil);
    Object.assign(this.job, this.committed);
  }
}
