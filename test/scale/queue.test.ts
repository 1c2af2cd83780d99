import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TestKit } from '../../src/testing';
import { ADMIN_TOKEN, apiClient, testDatabase } from '../helpers/build';
import type { ChildServer } from '../helpers/child-server';
import { STATISTICS, asLines, deployment } from '../helpers/scale-deployment';
import { ROWS, catalogCsv, learnersCsv, lessonsCsv } from '../helpers/repeated-lessons';

/**
 * API and worker processes on one Redis queue (BullMQ) and one database, as deployed at scale:
 * real processes, killed and paused for real. Runs when TEST_REDIS_URL names a Redis (CI sets
 * it); several workers need MySQL/MariaDB (SQLite has one writer: one worker process).
 */
const redisUrl = process.env.TEST_REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;
const describeWithRedisAndMysql = redisUrl && testDatabase === 'mysql' ? describe : describe.skip;
jest.setTimeout(300_000);

const env = { BATCH_SIZE: '50', ADMIN_TOKEN, PROGRESS_INTERVAL_MS: '0', GROUP_COMMIT_MS: '0' };
// A worker that stops renewing its hold loses the job within ~2 s.
const queueEnv = { QUEUE_LOCK_MS: '2000', QUEUE_STALLED_INTERVAL_MS: '1000', QUEUE_MAX_STALLED: '10' };



interface Outcome {
  counts: Record<string, number>;
  rejects: string;
  statistics: string[];
}

/** The same import in one process, without interruption. */
async function uninterrupted(): Promise<Outcome> {
  const kit = await TestKit.create({ env });
  try {
    await kit.import('learners', learnersCsv);
    await kit.import('catalog', catalogCsv);
    const result = await kit.import('lesson-stats', lessonsCsv, { enrollIfNeeded: true });
    const { processed, rejected, added, updated, unchanged, errors, warnings } = result.job!;
    return { counts: { processed, rejected, added, updated, unchanged, errors, warnings }, rejects: result.rejectsCsv, statistics: asLines(await kit.manager.query(STATISTICS)) };
  } finally {
    await kit.close();
  }
}

const JOB = `query ($id: ID!) { importJob(id: $id) { status failure progress rejectsCsv counts { processed rejected added updated unchanged errors warnings } } }`;

async function importReferenceData(api: ReturnType<typeof apiClient>): Promise<void> {
  expect((await api.importFile('learners', learnersCsv)).status).toBe('SUCCEEDED');
  expect((await api.importFile('catalog', catalogCsv)).status).toBe('SUCCEEDED');
}

/** Uploads the lesson file through `api`, and queues its import. */
async function queueLessons(api: ReturnType<typeof apiClient>): Promise<string> {
  const uploaded = await api.upload('lesson-stats', 'lessons.csv', lessonsCsv);
  const run = await api.gql(`mutation ($id: ID!) { runImport(input: { fileId: $id, enrollIfNeeded: true }) { id } }`, { id: uploaded.data.uploadImportFile.id });
  return run.data.runImport.id;
}

/** Waits until the job has processed at least `records`. */
async function reached(api: ReturnType<typeof apiClient>, jobId: string, records: number): Promise<void> {
  for (;;) {
    const job = (await api.gql(JOB, { id: jobId })).data.importJob;
    if (job.status !== 'RUNNING' && job.status !== 'PENDING') throw new Error(`the job ended (${job.status} ${job.failure ?? ''}) at ${job.counts.processed} records, before ${records}`);
    if (job.counts.processed >= records) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function finalJob(api: ReturnType<typeof apiClient>, jobId: string) {
  await api.waitForJob(jobId);
  return (await api.gql(JOB, { id: jobId })).data.importJob;
}

describeWithRedis('an API process and a worker process on the queue', () => {
  let scale: ReturnType<typeof deployment>;
  beforeAll(() => {
    scale = deployment({ ...env, ...queueEnv }, redisUrl!);
  });
  afterAll(() => scale?.close());

  test('the worker runs what the API queues; a second API process sees its progress live, and cancels it', async () => {
    const [first, second] = [await scale.start('api'), await scale.start('api')];
    await scale.start('worker');
    const [api1, api2] = [apiClient(first.url), apiClient(second.url)];

    // A whole import through the queue, watched from the other API process.
    await importReferenceData(api1);
    const jobId = await queueLessons(api1);
    const ws = createClient({ url: second.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const seen: Array<{ status: string; processed: number }> = [];
    await new Promise<void>((resolve, reject) =>
      ws.subscribe(
        { query: `subscription ($id: ID!) { importProgress(jobId: $id) { status counts { processed } } }`, variables: { id: jobId } },
        { next: ({ data }: any) => void seen.push({ status: data.importProgress.status, processed: data.importProgress.counts.processed }), error: reject, complete: resolve },
      ),
    );
    await ws.dispose();
    expect(seen.at(-1)).toEqual({ status: 'SUCCEEDED', processed: ROWS });
    const steps = seen.filter((step) => step.status === 'RUNNING' && step.processed > 0 && step.processed < ROWS);
    expect(steps.length).toBeGreaterThan(3); // live steps from the worker, not only the final state
    const expected = await uninterrupted();
    expect((await api2.gql(JOB, { id: jobId })).data.importJob.counts).toEqual(expected.counts);

    // The same file again (allowed), cancelled from the API process that did not queue it.
    const uploaded = await api1.upload('lesson-stats', 'again.csv', lessonsCsv);
    const again = await api1.gql(`mutation ($id: ID!) { runImport(input: { fileId: $id, enrollIfNeeded: true, options: { allowDuplicate: true } }) { id } }`, { id: uploaded.data.uploadImportFile.id });
    const againId = again.data.runImport.id;
    await reached(api1, againId, 1000);
    const cancelled = await api2.gql(`mutation ($id: ID!) { cancelImport(id: $id) { status counts { processed } } }`, { id: againId });
    expect(cancelled.data.cancelImport.status).toBe('CANCELLED');
    const stopped = cancelled.data.cancelImport.counts.processed;
    expect(stopped).toBeLessThan(ROWS);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await api1.gql(JOB, { id: againId })).data.importJob.counts.processed).toBe(stopped); // nothing after the cancel
  });
});

describeWithRedisAndMysql('two workers on the queue', () => {
  let scale: ReturnType<typeof deployment>;
  beforeEach(() => {
    scale = deployment({ ...env, ...queueEnv }, redisUrl!);
  });
  afterEach(() => scale?.close());

  /** Records a worker process committed, from its /metrics. */
  async function recordsOf(worker: ChildServer): Promise<number> {
    const text = await (await fetch(`${worker.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    return Number(/^lms_import_records_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  }

  /** Two workers, the lesson import queued and under way: the worker running it, and the other. */
  async function underWay(share: number) {
    const api = apiClient((await scale.start('api')).url);
    const workers = [await scale.start('worker'), await scale.start('worker')];
    await importReferenceData(api);
    const before = await Promise.all(workers.map(recordsOf));
    const jobId = await queueLessons(api);
    await reached(api, jobId, ROWS * share);
    const grew = (await Promise.all(workers.map(recordsOf))).map((count, i) => count > before[i]);
    expect(grew.filter(Boolean)).toHaveLength(1); // one worker holds the job
    const [running, other] = grew[0] ? workers : [workers[1], workers[0]];
    const otherBefore = before[workers.indexOf(other)];
    return { api, jobId, running, other, otherBefore };
  }

  async function expectOneUninterruptedRun(api: ReturnType<typeof apiClient>, jobId: string, other: ChildServer, otherBefore: number) {
    const expected = await uninterrupted();
    const job = await finalJob(api, jobId);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toEqual(expected.counts);
    expect(job.rejectsCsv).toBe(expected.rejects);
    expect(await scale.statistics()).toEqual(expected.statistics);
    expect(await recordsOf(other)).toBeGreaterThan(otherBefore); // the other worker finished it
    expect(await scale.lease(jobId)).toBeGreaterThanOrEqual(2); // under a lease of its own
  }

  test.each([
    ['killed with SIGKILL at ~40 %: the other worker takes the job over', 'SIGKILL'],
    ['stopped with SIGTERM: the job is given back and the other worker goes on', 'SIGTERM'],
  ] as const)('a worker %s, and the result is exactly one uninterrupted run', async (_name, signal) => {
    const { api, jobId, running, other, otherBefore } = await underWay(0.4);
    running.process.kill(signal);
    expect(await running.exited).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');
    await expectOneUninterruptedRun(api, jobId, other, otherBefore);
  });

  test('a worker paused past its hold (SIGSTOP) loses the job to the other, and once continued (SIGCONT) writes nothing more', async () => {
    const { api, jobId, running, other, otherBefore } = await underWay(0.3);
    running.process.kill('SIGSTOP');
    // Past its hold (2 s) and a stalled check (1 s): the other worker has taken the job over. (A
    // batch the paused one had begun may hold row locks until it is continued: continue it then.)
    await new Promise((resolve) => setTimeout(resolve, 5000));
    running.process.kill('SIGCONT');
    await expectOneUninterruptedRun(api, jobId, other, otherBefore);
  });
});
