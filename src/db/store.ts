import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
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
  /** Connections handed out for transactions, until released (see abort). */
  private readonly runners = new Set<QueryRunner>();

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
      const runner = await this.connect();
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
        await this.release(runner);
      }
    });
  }

  /** A connection for a transaction (on SQLite, the one connection); give it back with release(). */
  async connect(): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    this.runners.add(runner);
    try {
      await runner.connect();
      return runner;
    } catch (error) {
      this.runners.delete(runner);
      throw error;
    }
  }

  async release(runner: QueryRunner): Promise<void> {
    this.runners.delete(runner);
    await runner.release();
  }

  /**
   * Cuts every connection off at once, for a stop that could not wait any longer: the
   * transactions in progress are rolled back (SQLite rolls back when its connection closes, the
   * MySQL server when its connection drops) and nothing can be written after, even by work still
   * running. The store is unusable from then on: the process is meant to exit.
   */
  abort(): void {
    if (this.kind === 'sqlite') {
      for (const source of [this.dataSource, this.reader]) {
        const connection = (source?.driver as unknown as { databaseConnection?: { open?: boolean; close(): void } } | undefined)?.databaseConnection;
        if (connection?.open) connection.close();
      }
      return;
    }
    for (const runner of this.runners) (runner as unknown as { databaseConnection?: { destroy(): void } }).databaseConnection?.destroy();
    this.runners.clear();
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
