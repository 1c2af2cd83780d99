import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreEntities, coreMigrations, openDataSource } from '../../src/db/data-source';
import { ADMIN_TOKEN, apiClient, dropTestDatabase, mysqlServer, testDatabase } from '../helpers/build';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { catalogCsv, learnersCsvOf, lessonsCsvOf } from '../helpers/repeated-lessons';

// Many learners: nearly every record its own (learner, item) pair, so that the UPDATE import changes thousands of rows.
const LEARNERS = 2000;
const learnersCsv = learnersCsvOf(LEARNERS);
const lessonsCsv = lessonsCsvOf(8000, LEARNERS);

/**
 * A server killed with SIGKILL (twice) while an undo job runs, and started again: the undo job
 * resumes from its checkpoint and finishes once — the database exactly as before the import, each
 * row counted once.
 */
jest.setTimeout(300_000);
const env = { BATCH_SIZE: '10', ADMIN_TOKEN, PROGRESS_INTERVAL_MS: '0', NODE_ENV: 'production' };
const TABLES = ['learners', 'courses', 'course_items', 'enrollments', 'lesson_statistics', 'course_statistics'];

async function dump(databaseUrl: string): Promise<Record<string, unknown[]>> {
  const db = await openDataSource({ databaseUrl, entities: coreEntities, migrations: coreMigrations });
  try {
    const result: Record<string, unknown[]> = {};
    for (const table of TABLES) {
      const rows: Record<string, unknown>[] = await db.query(`SELECT * FROM ${table} ORDER BY id`);
      result[table] = rows.map(({ created_at: _c, updated_at: _u, ...row }) => ({ ...row }));
    }
    return result;
  } finally {
    await db.destroy();
  }
}

let dataDir: string;
let databaseUrl: string;
let dbName: string;
let child: ChildServer | undefined;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-undo-crash-'));
  dbName = `lms_undo_crash_${randomBytes(4).toString('hex')}`;
  databaseUrl = testDatabase === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dataDir, 'undo.sqlite')}`;
});
afterEach(() => {
  child?.process.kill('SIGKILL');
});
afterAll(async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  await dropTestDatabase(dbName);
});

test('an undo job killed twice with SIGKILL resumes and finishes once', async () => {
  const serverEnv = { ...env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl };
  child = await startChildServer(serverEnv);
  let api = apiClient(child.url);
  await api.importFile('learners', learnersCsv);
  await api.importFile('catalog', catalogCsv);
  expect((await api.importFile('lesson-stats', lessonsCsv, { enrollIfNeeded: true })).status).toBe('SUCCEEDED');
  const before = await dump(databaseUrl);
  // The same file again with UPDATE: the latest session of each pair overwritten, most of them several times.
  const updating = await api.importFile('lesson-stats', lessonsCsv, { onExisting: 'UPDATE' });
  expect(updating.counts.updated).toBeGreaterThan(4000);
  const rowsUpdated = new Set(
    (await dump(databaseUrl)).lesson_statistics.filter((row: any) => row.updated_job_id === Number(updating.id)).map((row: any) => row.id),
  ).size;
  expect(rowsUpdated).toBe(LEARNERS); // more than the kills wait for (at most 1500), in each pass

  const run = await api.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: updating.id });
  expect(run.errors).toBeUndefined();
  const undoId = run.data.undoImport.id;
  // Killed once while it scans (REFUSE looks at every row first; its progress stays under 0.5), once while it restores.
  for (const pass of ['scan', 'apply']) {
    const stopAt = 300 + Math.floor(Math.random() * 1200);
    for (;;) {
      const job = (await api.gql(`query ($id: ID!) { importJob(id: $id) { status progress counts { processed } } }`, { id: undoId })).data.importJob;
      if (job.status !== 'PENDING' && job.status !== 'RUNNING') throw new Error(`the undo ended (${job.status}) before it could be killed`);
      if (job.counts.processed >= stopAt && (pass === 'scan' || job.progress > 0.5)) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.process.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    child = await startChildServer(serverEnv);
    api = apiClient(child.url);
  }
  await api.waitForJob(undoId);
  const undone = (await api.gql(`query ($id: ID!) { importJob(id: $id) { status counts { processed deleted restored conflicts errors } } }`, { id: undoId })).data.importJob;
  const undoneImport = (await api.gql(`query ($id: ID!) { importJob(id: $id) { status undoneBy { id } } }`, { id: updating.id })).data.importJob;
  child.process.kill('SIGTERM');
  expect(await child.exited).toBe(0);

  expect(undone.status).toBe('SUCCEEDED');
  // REFUSE scans first (nothing in conflict here), then restores each row once.
  expect(undone.counts).toMatchObject({ processed: rowsUpdated, restored: rowsUpdated, deleted: 0, errors: 0 });
  expect(undoneImport).toEqual({ status: 'UNDONE', undoneBy: { id: undoId } });
  expect(await dump(databaseUrl)).toEqual(before);
});
