import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TestKit } from '../../src/testing';
import { ADMIN_TOKEN, apiClient, testDatabase, type ApiClient } from '../helpers/build';
import type { ChildServer } from '../helpers/child-server';
import { catalogCsv, learnersCsvOf, lessonsCsvOf } from '../helpers/repeated-lessons';
import { STATISTICS, asLines, deployment } from '../helpers/scale-deployment';

/**
 * One large import split across two worker processes (MariaDB, BullMQ on Redis) ends as the
 * same import read in one stream: counters, issues in file order, log, rejects file, rows,
 * session numbers. 300,000 lesson statistics of 3,000 learners, ~20 attempts per (learner, item).
 */
const redisUrl = process.env.TEST_REDIS_URL;
const describeSplit = redisUrl && testDatabase === 'mysql' ? describe : describe.skip;
jest.setTimeout(900_000);

const ROWS = 300_000;
const LEARNERS = 3000;
// A worker that stops renewing its hold loses its parts within ~2 s.
const env = { ADMIN_TOKEN, GROUP_COMMIT_MS: '0', PROGRESS_INTERVAL_MS: '100', QUEUE_LOCK_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '1000', QUEUE_MAX_STALLED: '10' };

const ENROLLMENTS = `SELECT l.login_id, c.code, e.role, e.available, e.created_job_id
  FROM enrollments e JOIN learners l ON l.id = e.learner_id JOIN courses c ON c.id = e.course_id`;
/** Statistics with the job that wrote them: the job itself, not one of its parts. */
const STAMPED = `SELECT l.login_id, i.code, s.session, s.created_job_id, s.updated_job_id
  FROM lesson_statistics s JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id`;
/** Rows with their job ids named by the import they come from (the databases number jobs differently). */
const named = (rows: Array<Record<string, unknown>>, jobs: Record<string, string>) =>
  asLines(rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, key.endsWith('job_id') ? (jobs[String(value)] ?? `job ${value}`) : value]))));
const ISSUES = 'SELECT line, `column`, severity, code, message FROM import_issues WHERE job_id = ? ORDER BY id';
const JOB = `query ($id: ID!) { importJob(id: $id) { status failure partitions logText rejectsCsv counts { processed rejected added updated unchanged errors warnings } } }`;

interface Result {
  counts: Record<string, number>;
  issues: string[];
  log: string;
  rejects: string;
}

const issueLine = (issue: Record<string, unknown> | { line: unknown; column: unknown; severity: unknown; code: unknown; message: unknown }) =>
  ['line', 'column', 'severity', 'code', 'message'].map((key) => String((issue as Record<string, unknown>)[key])).join('|');

async function finished(api: ApiClient, jobId: string) {
  for (let i = 0; i < 6000; i++) {
    const job = (await api.gql(JOB, { id: jobId })).data.importJob;
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describeSplit('one large import on several workers', () => {
  const learners = learnersCsvOf(LEARNERS);
  const lessons = lessonsCsvOf(ROWS, LEARNERS);
  let scale: ReturnType<typeof deployment>;
  afterAll(() => scale?.close());

  test('split into parts run by two workers, it ends as the same import in one stream, also after a cancel and a resume, and with a worker killed', async () => {
    // In one stream: the same service in this process, without Redis (nothing is ever split then).
    const kit = await TestKit.create({ env: { GROUP_COMMIT_MS: '0' } });
    const streamed: Result[] = [];
    let streamedRows: Record<string, string[]>;
    const streamedJobs: Record<string, string> = {};
    try {
      await kit.import('learners', learners);
      await kit.import('catalog', catalogCsv);
      for (let i = 0; i < 3; i++) {
        const result = await kit.import('lesson-stats', lessons, { enrollIfNeeded: true, options: { allowDuplicate: true } });
        streamedJobs[String(result.job!.id)] = `import ${i}`;
        const { processed, rejected, added, updated, unchanged, errors, warnings } = result.job!;
        streamed.push({ counts: { processed, rejected, added, updated, unchanged, errors, warnings }, issues: result.issues.map(issueLine), log: result.logText, rejects: result.rejectsCsv });
      }
      streamedRows = {
        statistics: asLines(await kit.manager.query(STATISTICS)),
        stamped: named(await kit.manager.query(STAMPED), streamedJobs),
        enrollments: named(await kit.manager.query(ENROLLMENTS), streamedJobs),
      };
    } finally {
      await kit.close();
    }
    expect(streamed[0].counts.rejected).toBeGreaterThan(1000);
    expect(streamed[0].counts.added).toBeGreaterThan(250_000);

    // Split: an API process and two workers; a file over PARTITION_MIN_RECORDS.
    scale = deployment(env, redisUrl!);
    const apiProcess = await scale.start('api', { PARTITION_MIN_RECORDS: '100000' });
    const api = apiClient(apiProcess.url);
    const workers: ChildServer[] = [];
    for (let i = 0; i < 2; i++) workers.push(await scale.start('worker', { PARTITION_MIN_RECORDS: '100000' }));
    expect((await api.importFile('learners', learners)).status).toBe('SUCCEEDED');
    expect((await api.importFile('catalog', catalogCsv)).status).toBe('SUCCEEDED');

    const queue = async () => {
      const uploaded = await api.upload('lesson-stats', 'lessons.csv', lessons);
      const run = await api.gql(`mutation ($id: ID!) { runImport(input: { fileId: $id, enrollIfNeeded: true, options: { allowDuplicate: true } }) { id } }`, { id: uploaded.data.uploadImportFile.id });
      return run.data.runImport.id as string;
    };
    // Its progress, summed from the parts, reaches a subscriber on the API process.
    const first = await queue();
    const seen = await progressOf(apiProcess.url, first);
    const split = await finished(api, first);
    expect(split.failure).toBeNull();
    expect(split.status).toBe('SUCCEEDED');
    expect(split.partitions).toBe(4); // twice the two workers
    expect(seen.filter((step) => step.status === 'RUNNING' && step.processed > 0 && step.processed < ROWS).length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual({ status: 'SUCCEEDED', processed: ROWS });

    const compare = async (jobId: string, job: any, expected: Result) => {
      expect(job.counts).toEqual(expected.counts);
      expect((await scale.query(ISSUES, [Number(jobId)])).map(issueLine)).toEqual(expected.issues);
      expect(job.logText).toBe(expected.log);
      expect(job.rejectsCsv).toBe(expected.rejects);
    };
    await compare(first, split, streamed[0]);
    // Both workers applied records; the parts are not in the history.
    const parts = await scale.query('SELECT status, processed FROM import_jobs WHERE parent_id = ? ORDER BY partition_index', [Number(first)]);
    expect(parts.map((part) => part.status)).toEqual(Array(4).fill('SUCCEEDED'));
    expect(parts.reduce((sum, part) => sum + Number(part.processed), 0)).toBe(ROWS);
    for (const worker of workers) expect(await recordsOf(worker)).toBeGreaterThan(0);
    expect((await api.gql('{ importJobs { totalCount } }')).data.importJobs.totalCount).toBe(3);

    // The same file again, cancelled while its parts run, then resumed: as the second import in one stream.
    const second = await queue();
    await reached(api, second, ROWS / 4);
    const cancelled = await api.gql(`mutation ($id: ID!) { cancelImport(id: $id) { status counts { processed } } }`, { id: second });
    expect(cancelled.data.cancelImport.status).toBe('CANCELLED');
    expect(cancelled.data.cancelImport.counts.processed).toBeLessThan(ROWS);
    const resumed = await api.gql(`mutation ($id: ID!) { resumeImport(id: $id) { status } }`, { id: second });
    expect(resumed.errors).toBeUndefined();
    const again = await finished(api, second);
    expect(again.status).toBe('SUCCEEDED');
    await compare(second, again, streamed[1]);

    // Once more, the worker running half the parts killed (SIGKILL) at ~40 %: the other takes them over from their checkpoints.
    const third = await queue();
    await reached(api, third, ROWS * 0.4);
    workers[0].process.kill('SIGKILL');
    await workers[0].exited;
    const taken = await finished(api, third);
    expect(taken.status).toBe('SUCCEEDED');
    await compare(third, taken, streamed[2]);
    // Parts were taken over: a later lease than their first run's.
    const leases = await scale.query('SELECT lease FROM import_jobs WHERE parent_id = ?', [Number(third)]);
    expect(leases.filter((part) => Number(part.lease) >= 2).length).toBeGreaterThan(0);

    expect(await scale.statistics()).toEqual(streamedRows!.statistics);
    const splitJobs = { [first]: 'import 0', [second]: 'import 1', [third]: 'import 2' };
    expect(named(await scale.query(STAMPED), splitJobs)).toEqual(streamedRows!.stamped);
    expect(named(await scale.query(ENROLLMENTS), splitJobs)).toEqual(streamedRows!.enrollments);
  });
});

/** What a subscriber to the job's progress on an API process sees, to the end. */
async function progressOf(url: string, jobId: string): Promise<Array<{ status: string; processed: number }>> {
  const ws = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const seen: Array<{ status: string; processed: number }> = [];
  try {
    await new Promise<void>((resolve, reject) =>
      ws.subscribe(
        { query: `subscription ($id: ID!) { importProgress(jobId: $id) { status counts { processed } } }`, variables: { id: jobId } },
        { next: ({ data }: any) => void seen.push({ status: data.importProgress.status, processed: data.importProgress.counts.processed }), error: reject, complete: resolve },
      ),
    );
  } finally {
    await ws.dispose();
  }
  return seen;
}

/** Records a worker process committed, from its /metrics. */
async function recordsOf(worker: ChildServer): Promise<number> {
  const text = await (await fetch(`${worker.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
  return Number(/^lms_import_records_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
}

async function reached(api: ApiClient, jobId: string, records: number): Promise<void> {
  for (;;) {
    const job = (await api.gql(JOB, { id: jobId })).data.importJob;
    if (job.status !== 'RUNNING' && job.status !== 'PENDING') throw new Error(`the job ended (${job.status}) before ${records} records`);
    if (job.counts.processed >= records) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
