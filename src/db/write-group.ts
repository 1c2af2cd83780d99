import type { EntityManager, QueryRunner } from 'typeorm';
import type { Store, Transactional } from './store';

/**
 * A batch of a group failed and the group's transaction was rolled back with it: the batches
 * before it, which had ended well, are undone too. The job goes back to its last committed
 * checkpoint and does them again, as after a restart.
 */
export class GroupRolledBackError extends Error {
  constructor(cause: unknown) {
    super(`a batch failed and the batches committed with it were rolled back: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * SQLite: the batches of one job committed several at a time, in one transaction. A commit
 * writes to the WAL every page its transaction dirtied, and consecutive batches dirty the same
 * index pages again (rows come in file order, not key order): a 1M-row import spent 2 s in 200
 * commits (BENCHMARKS.md). The group holds the store's turn until it commits (`due`:
 * GROUP_COMMIT_MS after it opened, or at once when another unit of work waits), so a request
 * waits at most one batch, as before. Batches get no savepoint of their own: SQLite copies every
 * page a savepoint changes to a sub-journal, which cost as much as the commits saved. So a batch
 * that fails rolls its whole group back: alone in its group, it is retried as before; with
 * batches before it, GroupRolledBackError sends the job back to its checkpoint. Each batch keeps
 * its checkpoint in the transaction: a crash loses the group's batches and their checkpoints
 * together, and the job resumes after the last group committed.
 */
export class WriteGroup implements Transactional {
  private runner: QueryRunner | null = null;
  private letGo: (() => void) | null = null;
  private batches = 0;
  private openedAt = 0;

  /** @param ms how long the first batch of a group may wait for its commit. */
  constructor(
    private readonly store: Store,
    private readonly ms: number,
  ) {}

  /** Runs one batch's work in the group's transaction (a group keeps what it writes: no `rollback`). */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>, options: { rollback?: boolean } = {}): Promise<T> {
    if (options.rollback) throw new Error('WriteGroup: a batch rolled back on its own (a dry run) has no place in a group');
    const runner = await this.begin();
    try {
      const result = await work(runner.manager);
      this.batches++;
      return result;
    } catch (error) {
      const undone = this.batches;
      await this.end(runner, 'ROLLBACK');
      throw undone > 0 ? new GroupRolledBackError(error) : error;
    }
  }

  /** Whether batches wait in the group for their commit. */
  get open(): boolean {
    return this.runner !== null;
  }

  /** Whether the group should commit now. */
  get due(): boolean {
    if (this.runner === null) return false;
    return Date.now() - this.openedAt >= this.ms || this.store.contended;
  }

  /** Commits the batches of the group and lets the store's turn go; when the commit fails, they are rolled back (GroupRolledBackError). */
  async commit(): Promise<void> {
    const runner = this.runner;
    if (runner === null) return;
    try {
      await this.end(runner, 'COMMIT');
    } catch (error) {
      throw new GroupRolledBackError(error);
    }
  }

  private async begin(): Promise<QueryRunner> {
    if (this.runner) return this.runner;
    const letGo = await this.store.holdTurn();
    try {
      const runner = await this.store.connect();
      await runner.startTransaction();
      this.runner = runner;
      this.letGo = letGo;
      this.openedAt = Date.now();
      this.batches = 0;
      return runner;
    } catch (error) {
      letGo();
      throw error;
    }
  }

  /** Ends the transaction (unless the database already did: SQLite rolls back by itself after a full disk, say) and lets the turn go. */
  private async end(runner: QueryRunner, how: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    this.runner = null;
    this.batches = 0;
    try {
      if (how === 'COMMIT') await runner.commitTransaction();
      else if (this.store.inTransaction()) await runner.rollbackTransaction();
    } catch (error) {
      if (this.store.inTransaction()) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await this.store.release(runner);
      const letGo = this.letGo;
      this.letGo = null;
      letGo?.();
    }
  }
}
