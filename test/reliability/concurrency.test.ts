import { build, type TestApp } from '../helpers/build';

/**
 * Ten imports of overlapping lesson statistics at once: session numbers are decided under the
 * database's locks and unique keys, so none is duplicated and none is lost.
 */
const LEARNERS = 30;
const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5'];
const JOBS = 10;

let app: TestApp;
beforeAll(async () => {
  app = await build({ JOB_CONCURRENCY: String(JOBS), BATCH_SIZE: '40' });
  const learners = Array.from({ length: LEARNERS }, (_, i) => `c${i}`);
  await app.importFile('learners', `user_loginid\n${learners.join('\n')}\n`);
  await app.importFile('catalog', `crsvname;lsnvname;lnk_type\n${ITEMS.map((item) => `C1;${item};L`).join('\n')}\n`);
});
afterAll(() => app?.close());

/** Every (learner, item) pair once, in an order of its own for each file. */
function file(seed: number): string {
  const rows: string[] = [];
  for (let l = 0; l < LEARNERS; l++) for (const item of ITEMS) rows.push(`c${l};C1;${item};L;C;01/02/2020;${seed};60;`);
  rows.sort((a, b) => ((hash(a) ^ seed * 2654435761) >>> 0) - ((hash(b) ^ seed * 2654435761) >>> 0));
  return `user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\n${rows.join('\n')}\n`;
}
const hash = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);

test(`${JOBS} concurrent imports of the same pairs: sessions 1..${JOBS} for each, none doubled, none lost`, async () => {
  const fileIds: string[] = [];
  for (let i = 0; i < JOBS; i++) fileIds.push((await app.upload('lesson-stats', `c${i}.csv`, file(i + 1))).data.uploadImportFile.id);
  const runs = await Promise.all(
    fileIds.map((fileId) =>
      app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
        input: { fileId, enrollIfNeeded: true, onExisting: 'NEW_SESSION', options: { allowDuplicate: true } },
      }),
    ),
  );
  const jobs = await Promise.all(runs.map((run) => app.waitForJob(run.data.runImport.id)));
  const perFile = LEARNERS * ITEMS.length;
  for (const job of jobs) {
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { processed: perFile, added: perFile, rejected: 0, errors: 0 } });
  }
  const db = app.server.services.store.dataSource;
  const sessions = await db.query(
    'SELECT learner_id, item_id, COUNT(*) AS n, COUNT(DISTINCT session) AS d, MIN(session) AS lo, MAX(session) AS hi FROM lesson_statistics GROUP BY learner_id, item_id',
  );
  expect(sessions).toHaveLength(perFile);
  for (const row of sessions) expect([Number(row.n), Number(row.d), Number(row.lo), Number(row.hi)]).toEqual([JOBS, JOBS, 1, JOBS]);
  const scores = await db.query('SELECT score, COUNT(*) AS n FROM lesson_statistics GROUP BY score ORDER BY score');
  expect(scores.map((r: any) => [Number(r.score), Number(r.n)])).toEqual(Array.from({ length: JOBS }, (_, i) => [i + 1, perFile]));
  const [{ n: enrollments }] = await db.query('SELECT COUNT(*) AS n FROM enrollments');
  expect(Number(enrollments)).toBe(LEARNERS);
  // Each enrollment was created by exactly one job, which reported it once.
  const enrolled = jobs.reduce((sum, job) => sum + job.counts.warnings, 0);
  expect(enrolled).toBe(LEARNERS);
});
