import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { coreEntities, coreMigrations, openDataSource } from '../../src/db/data-source';
import { dropTestDatabase, mysqlServer, testDatabase } from './build';
import { startChildServer, type ChildServer } from './child-server';

/** Every lesson statistic, by learner and item (no ids), to compare two databases. */
export const STATISTICS = `SELECT l.login_id, i.code, s.session, s.status, s.status_date, s.score, s.time_spent
  FROM lesson_statistics s JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id`;
export const asLines = (rows: Array<Record<string, unknown>>) => rows.map((row) => Object.values(row).map(String).join('|')).sort();

/**
 * One deployment as at scale: a database, a data directory and a queue prefix on one Redis that
 * its API and worker processes (real child processes) share.
 */
export function deployment(env: Record<string, string>, redisUrl: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-scale-'));
  const dbName = `lms_scale_${randomBytes(4).toString('hex')}`;
  const databaseUrl = testDatabase === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dataDir, 'scale.sqlite')}`;
  const prefix = `lms-test-${randomBytes(4).toString('hex')}`;
  const children: ChildServer[] = [];
  const shared = { ...env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix };
  const query = async (sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> => {
    const db = await openDataSource({ databaseUrl, entities: coreEntities, migrations: coreMigrations });
    try {
      return await db.query(sql, params);
    } finally {
      await db.destroy();
    }
  };
  return {
    databaseUrl,
    dataDir,
    async start(role: 'api' | 'worker' | 'all', extra: Record<string, string> = {}) {
      const child = await startChildServer({ ...shared, PROCESS_ROLE: role, ...extra });
      children.push(child);
      return child;
    },
    query,
    async statistics(): Promise<string[]> {
      return asLines(await query(STATISTICS));
    },
    async lease(jobId: string): Promise<number> {
      return Number((await query('SELECT lease FROM import_jobs WHERE id = ?', [Number(jobId)]))[0].lease);
    },
    async close() {
      for (const child of children) child.process.kill('SIGKILL');
      await Promise.all(children.map((child) => child.exited));
      const redis = new IORedis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      fs.rmSync(dataDir, { recursive: true, force: true });
      await dropTestDatabase(dbName);
    },
  };
}
