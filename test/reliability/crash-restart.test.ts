import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysqlPromise from 'mysql2/promise';
import { coreEntities, coreMigrations, openDataSource } from '../../src/db/data-source';
import { TestKit } from '../../src/testing';
import { ADMIN_TOKEN, apiClient, testDatabase } from '../helpers/build';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { catalogCsv, learnersCsv, lessonsCsv } from '../helpers/repeated-lessons';

/**
 * A server killed with SIGKILL at any moment (twice), or stopped with SIGTERM (also while a
 * batch is stuck), and started again, resumes its running job from the checkpoint and ends with
 * exactly the counters, issues, rejects file and rows of an uninterrupted run.
 */
// On SQLite, batches commit in groups of up to 30 ms: a kill takes back the batches of the group in
// progress. The file is read in a worker thread (as large files are), resuming after its checkpoint.
const env = { BATCH_SIZE: '50', ADMIN_TOKEN, PROGRESS_INTERVAL_MS: '0', GROUP_COMMIT_MS: '30', PARSE_WORKER: 'always', PARSE_WORKER_MIN_BYTES: '0' };
const mysqlServer = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
jest.setTimeout(300_000); // three server starts and two imports of 8000 rows

interface Outcome {
  counts: Record<string, number>;
  issues: string[];
  rejects: string;
  statistics: string[];
}

async function statisticsOf(databaseUrl: string): Promise<string[]> {
  const db = await openDataSource({ databaseUrl, entities: coreEntities, migrations: coreMigrations });
  try {
    const rows = await db.query(
      `SELECT l.login_id, i.code, s.session, s.status, s.status_date, s.score, s.time_spent, s.created_job_id
       FROM lesson_statistics s JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id`,
    );
    return rows.map((row: Record<string, unknown>) => Object.values(row).map(String).join('|')).sort();
  } finally {
    await db.destroy();
  }
}

/** The same imports without interruption, in process. */
async function uninterrupted(): Promise<Outcome> {
  const kit = await TestKit.create({ env });
  try {
    await kit.import('learners', learnersCsv);
    await kit.import('catalog', catalogCsv);
    const result = await kit.import('lesson-stats', lessonsCsv, { enrollIfNeeded: true });
    const { processed, rejected, added, updated, unchanged, errors, warnings } = result.job!;
    const rows = await kit.manager.query(
      `SELECT l.login_id, i.code, s.session, s.status, s.status_date, s.score, s.time_spent, s.created_job_id
       FROM lesson_statistics s JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id`,
    );
    return {
      counts: { processed, rejected, added, updated, unchanged, errors, warnings },
      issues: result.issues.map((i) => `${i.line}|${i.column}|${i.code}`),
      rejects: result.rejectsCsv,
      statistics: rows.map((row: Record<string, unknown>) => Object.values(row).map(String).join('|')).sort(),
    };
  } finally {
    await kit.close();
  }
}

async function issuesOf(api: ReturnType<typeof apiClient>, jobId: string): Promise<string[]> {
  const issues: string[] = [];
  for (let after: string | null = null; ; ) {
    const res: any = await api.gql(`query ($id: ID!, $after: String) { importJob(id: $id) { issues(first: 1000, after: $after) {
      edges { node { line column code } } pageInfo { hasNextPage endCursor } } } }`, { id: jobId, after });
    const page = res.data.importJob.issues;
    issues.push(...page.edges.map((e: any) => `${e.node.line}|${e.node.column}|${e.node.code}`));
    if (!page.pageInfo.hasNextPage) return issues;
    after = page.pageInfo.endCursor;
  }
}

/** Waits until the job has processed at least `records`, then stops the server with `signal`. */
async function stopWhen(child: ChildServer, jobId: string, records: number, signal: NodeJS.Signals) {
  const api = apiClient(child.url);
  for (;;) {
    const res = await api.gql(`query ($id: ID!) { importJob(id: $id) { status failure counts { processed } } }`, { id: jobId });
    const job = res.data?.importJob;
    if (job.status !== 'RUNNING' && job.status !== 'PENDING') throw new Error(`the job ended (${job.status} ${job.failure ?? ""}, ${job.counts.processed} records) before it could be stopped at ${records}`);
    if (job.counts.processed >= records) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.process.kill(signal);
  return child.exited;
}

/** The job's committed counters and the rows it committed, read from the database of a stopped server. */
async function committedOf(databaseUrl: string, jobId: string) {
  const db = await openDataSource({ databaseUrl, entities: coreEntities, migrations: coreMigrations });
  try {
    const [job] = await db.query('SELECT status, records_done, processed, added FROM import_jobs WHERE id = ?', [Number(jobId)]);
    const [{ n }] = await db.query('SELECT COUNT(*) AS n FROM lesson_statistics WHERE created_job_id = ?', [Number(jobId)]);
    return { status: job.status, recordsDone: Number(job.records_done), processed: Number(job.processed), added: Number(job.added), rows: Number(n) };
  } finally {
    await db.destroy();
  }
}

function newDatabase(dataDir: string): { databaseUrl: string; dbName: string } {
  const dbName = `lms_crash_${randomBytes(4).toString('hex')}`;
  return { dbName, databaseUrl: testDatabase === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dataDir, 'crash.sqlite')}` };
}

async function dropDatabase(dbName: string): Promise<void> {
  if (testDatabase !== 'mysql') return;
  const connection = await mysqlPromise.createConnection({ uri: mysqlServer });
  await connection.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await connection.end();
}

describe.each([
  ['killed twice with SIGKILL', ['SIGKILL', 'SIGKILL'] as NodeJS.Signals[]],
  ['stopped with SIGTERM', ['SIGTERM'] as NodeJS.Signals[]],
])('a server %s and started again', (_name, signals) => {
  let dataDir: string;
  let databaseUrl: string;
  let dbName: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-crash-'));
    ({ dbName, databaseUrl } = newDatabase(dataDir));
  });
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase(dbName);
  });

  let child: ChildServer | undefined;
  afterEach(() => {
    child?.process.kill('SIGKILL'); // a failed test leaves no server behind
  });

  test('resumes the job and ends exactly as an uninterrupted run', async () => {
    const expected = await uninterrupted();
    // In production, as deployed (Apollo's own signal handling is off there too).
    const serverEnv = { ...env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, NODE_ENV: 'production' };
    child = await startChildServer(serverEnv);
    let api = apiClient(child.url);
    await api.importFile('learners', learnersCsv);
    await api.importFile('catalog', catalogCsv);
    const uploaded = await api.upload('lesson-stats', 'lessons.csv', lessonsCsv);
    const run = await api.gql(`mutation ($id: ID!) { runImport(input: { fileId: $id, enrollIfNeeded: true }) { id } }`, {
      id: uploaded.data.uploadImportFile.id,
    });
    const jobId = run.data.runImport.id;

    let stopAt = 0;
    for (const signal of signals) {
      stopAt += 500 + Math.floor(Math.random() * 2500);
      const exit = await stopWhen(child, jobId, stopAt, signal);
      expect(exit).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');
      child = await startChildServer(serverEnv);
      api = apiClient(child.url);
    }
    const job = await api.waitForJob(jobId);
    const rejects = (await api.gql(`query ($id: ID!) { importJob(id: $id) { rejectsCsv } }`, { id: jobId })).data.importJob.rejectsCsv;
    const issues = await issuesOf(api, jobId);
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);

    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toEqual(expected.counts);
    expect(issues).toEqual(expected.issues);
    expect(rejects).toBe(expected.rejects);
    expect(await statisticsOf(databaseUrl)).toEqual(expected.statistics);
  });
});

describe('a server whose batch is stuck, stopped with SIGTERM', () => {
  const SHUTDOWN_TIMEOUT_MS = 2000;
  let dataDir: string;
  let databaseUrl: string;
  let dbName: string;
  let child: ChildServer | undefined;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-stuck-'));
    ({ dbName, databaseUrl } = newDatabase(dataDir));
  });
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase(dbName);
  });
  afterEach(() => {
    child?.process.kill('SIGKILL');
  });

  test('exits 1 at SHUTDOWN_TIMEOUT_MS with the batch rolled back; started again, the job ends exactly as an uninterrupted run', async () => {
    const expected = await uninterrupted();
    const marker = path.join(dataDir, 'stuck');
    const serverEnv = {
      ...env,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      LMS_IMPORT_PLUGINS: path.resolve(__dirname, '../helpers/stuck-lessons-plugin.ts'),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };
    const stuckAt = 1500 + Math.floor(Math.random() * 3000);
    child = await startChildServer({ ...serverEnv, STUCK_AT_LINE: String(stuckAt), STUCK_MARKER: marker });
    let api = apiClient(child.url);
    await api.importFile('learners', learnersCsv);
    await api.importFile('catalog', catalogCsv);
    const uploaded = await api.upload('stuck-lesson-stats', 'lessons.csv', lessonsCsv);
    const run = await api.gql(`mutation ($id: ID!) { runImport(input: { fileId: $id, enrollIfNeeded: true }) { id } }`, {
      id: uploaded.data.uploadImportFile.id,
    });
    const jobId = run.data.runImport.id;
    for (let i = 0; !fs.existsSync(marker); i++) {
      if (i > 2000) throw new Error('the batch never got stuck');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const stoppedAt = Date.now();
    child.process.kill('SIGTERM');
    const exit = await Promise.race([child.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), SHUTDOWN_TIMEOUT_MS + 15_000).unref())]);
    const took = Date.now() - stoppedAt;
    expect(exit).toBe(1);
    expect(took).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 50);
    expect(took).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 5000);
    expect(child.output()).toContain('did not end within SHUTDOWN_TIMEOUT_MS');
    // Nothing of the stuck batch was committed; the job waits at its checkpoint, before that batch.
    const committed = await committedOf(databaseUrl, jobId);
    expect(committed.status).toBe('RUNNING');
    expect(committed.recordsDone).toBeLessThan(stuckAt - 1);
    expect(committed.rows).toBe(committed.added);

    child = await startChildServer(serverEnv);
    api = apiClient(child.url);
    const job = await api.waitForJob(jobId);
    const rejects = (await api.gql(`query ($id: ID!) { importJob(id: $id) { rejectsCsv } }`, { id: jobId })).data.importJob.rejectsCsv;
    const issues = await issuesOf(api, jobId);
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);

    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toEqual(expected.counts);
    expect(issues).toEqual(expected.issues);
    expect(rejects).toBe(expected.rejects);
    expect(await statisticsOf(databaseUrl)).toEqual(expected.statistics);
  });
});
