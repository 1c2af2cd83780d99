import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseKind } from './data-source';

/** What runs a unit of work in a transaction: the store, or a job's group of batches (WriteGroup). */
export interface Transactional {
  transaction<T>(work: (manager: EntityManager) => Promise<T>, options?: { rollback?: boolean }): Promise<T>;
}

/**
 * The one way the service talks to the database. better-sqlite3 gives TypeORM a single
 * connection that every caller shares, so on SQLite each unit of work (transaction or read)
 * takes its turn; MySQL has a pool, and units run side by side.
 */
export class Store implements Transactional {
  readonly kind: DatabaseKind;
  private readonly turn = new Mutex();
  /** Units of work waiting for their turn (SQLite). */
  private waiting = 0;

  /**
   * @param dataSource the connection(s) that write.
   * @param reader on SQLite, a read-only connection: reads go there and need not wait their turn.
   */
  constructor(
    readonly dataSource: DataSource,
    private readonly reader?: DataSource,
  ) {
    this.kind = dataSource.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.kind !== 'sqlite') return work();
    const letGo = await this.holdTurn();
    try {
      return await work();
    } finally {
      letGo();
    }
  }

  /** SQLite: waits for the turn and keeps it until the returned function is called (see WriteGroup). */
  async holdTurn(): Promise<() => void> {
    this.waiting++;
    try {
      return await this.turn.acquire();
    } finally {
      this.waiting--;
    }
  }

  /** Whether another unit of work is waiting for its turn (SQLite). */
  get contended(): boolean {
    return this.waiting > 0;
  }

  /** SQLite: whether the connection is inside a transaction (the database may roll one back by itself). */
  inTransaction(): boolean {
    return (this.dataSource.driver as unknown as { databaseConnection?: { inTransaction?: boolean } }).databaseConnection?.inTransaction === true;
  }

  /** Runs `work` in a transaction; with `rollback`, nothing it wrote is kept (dry runs). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, options: { rollback?: boolean } = {}): Promise<T> {
    return this.exclusive(async () => {
      const runner = this.dataSource.createQueryRunner();
      await runner.connect();
      // MySQL connections are READ COMMITTED (data-source.ts): each statement sees what other
      // transactions committed (a batch that waited for a lock then reads the sessions the
      // other wrote), not a snapshot from its first read.
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        if (options.rollback) await runner.rollbackTransaction();
        else await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        throw error;
      } finally {
        await runner.release();
      }
    });
  }

  /** Reads what is committed. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.reader) return work(this.reader.manager);
    return this.exclusive(() => work(this.dataSource.manager));
  }

  async close(): Promise<void> {
    await this.turn.waitForUnlock();
    for (const source of [this.reader, this.dataSource]) if (source?.isInitialized) await source.destroy();
  }
}
