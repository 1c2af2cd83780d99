import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseKind } from './data-source';

/**
 * The one way the service talks to the database. better-sqlite3 gives TypeORM a single
 * connection that every caller shares, so on SQLite each unit of work (transaction or read)
 * takes its turn; MySQL has a pool, and units run side by side.
 */
export class Store {
  readonly kind: DatabaseKind;
  private readonly turn = new Mutex();

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

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.kind === 'sqlite' ? this.turn.runExclusive(work) : work();
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
