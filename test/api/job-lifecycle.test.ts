import lessonStats from '../../plugins/lesson-stats';
import { ADMIN_TOKEN, build, JOB_FIELDS, type TestApp } from '../helpers/build';
import { gatedAdapter } from '../helpers/gated-adapter';

/**
 * How jobs end and go on: a cancelled (or failed) job says so in its log, still counts for the
 * duplicate guard once it wrote rows, and resumes from its checkpoint (resumeImport); every
 * finished job has an outcome.
 */
const gate = gatedAdapter();
const gatedLessons = gate.wrap(lessonStats);
let app: TestApp;
beforeAll(async () => {
  // One job at a time: a job run behind a gated one waits in the queue.
  app = await build({ BATCH_SIZE: '50', JOB_CONCURRENCY: '1', PROGRESS_INTERVAL_MS: '0' }, { adapters: [gatedLessons] });
});
// A test that fails with its gate shut must not leave the next ones waiting behind its batch.
afterEach(() => gate.openAll());
afterAll(() => {
  gate.openAll();
  return app?.close();
});

const LEARNERS = 200;
const learnersCsv = `user_loginid\n${Array.from({ length: LEARNERS }, (_, i) => `k${i}`).join('\n')}\n`;
const catalogCsv = 'crsvname;lsnvname;lnk_type\nK1;i1;L\nK1;i2;L\n';
/** 400 records, each (learner, item) pair once, every 37th for an unknown learner (rejected). */
const lessonsCsv = (() => {
  const rows = ['user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status'];
  for (let i = 0; i < 2 * LEARNERS; i++) {
    const learner = i % 37 === 5 ? 'nobody' : `k${i % LEARNERS}`;
    rows.push(`${learner};K1;${i < LEARNERS ? 'i1' : 'i2'};L;C;${(i % 28) + 1}/03/2020;${i % 100};${i};`);
  }
  return `${rows.join('\n')}\n`;
})();

const JOB = `${JOB_FIELDS} outcome`;
const job = async (id: string, lang?: string) =>
  (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${JOB} logText rejectsCsv issues(first: 1000) { edges { node { line code } } } } }`, { id }, { lang })).data.importJob;
/** Runs an uploaded file; the lesson files enroll their learners (the learners adapter has no such option). */
const runFile = (fileId: string, options: Record<string, unknown> = {}, enrollIfNeeded = true) =>
  app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { ${JOB} } }`, { input: { fileId, enrollIfNeeded, options } });
const resume = (id: string) => app.gql(`mutation ($id: ID!) { resumeImport(id: $id) { ${JOB} } }`, { id });
const download = async (id: string, lang: string) =>
  (await fetch(`${app.url}/imports/${id}/log.txt`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'accept-language': lang } })).text();

/** The statistics a job wrote: learner, item, session. */
async function statisticsOf(target: TestApp, jobId: string): Promise<string[]> {
  const rows = await target.server.services.store.dataSource.query(
    `SELECT l.login_id AS login, i.code AS item, s.session AS session FROM lesson_statistics s
     JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id WHERE s.created_job_id = ?`,
    [Number(jobId)],
  );
  return rows.map((row: Record<string, unknown>) => `${row.login}|${row.item}|${row.session}`).sort();
}

/** The same import, uninterrupted, on a database of its own. */
async function uninterrupted() {
  const open = gatedAdapter();
  open.openAll();
  const reference = await build({ BATCH_SIZE: '50' }, { adapters: [open.wrap(lessonStats)] });
  try {
    await reference.importFile('learners', learnersCsv);
    await reference.importFile('catalog', catalogCsv);
    const done = await reference.importFile('gated-lesson-stats', lessonsCsv, { enrollIfNeeded: true });
    const full = (await reference.gql(`query ($id: ID!) { importJob(id: $id) { rejectsCsv issues(first: 1000) { edges { node { line code } } } } }`, { id: done.id })).data.importJob;
    return { counts: done.counts, rejectsCsv: full.rejectsCsv, issues: full.issues, statistics: await statisticsOf(reference, done.id) };
  } finally {
    await reference.close();
  }
}

/** Runs a gated job and lets `batches` of its batches through; the next one waits at the gate. */
async function startGated(csv: string, batches: number): Promise<{ jobId: string; fileId: string }> {
  gate.shut();
  const uploaded = await app.upload('gated-lesson-stats', 'lessons.csv', csv);
  const fileId = uploaded.data.uploadImportFile.id;
  const run = await runFile(fileId, { allowDuplicate: true });
  expect(run.errors).toBeUndefined();
  expect(run.data.runImport.outcome).toBeNull();
  for (let i = 0; i < batches; i++) {
    await gate.batchWaiting();
    gate.release();
  }
  await gate.batchWaiting();
  return { jobId: run.data.runImport.id, fileId };
}

/**
 * Waits for `work` while letting the gated batches through: on SQLite a batch waiting at the gate
 * holds the database, which a cancellation needs too.
 */
async function releasing<T>(work: Promise<T>): Promise<T> {
  let settled = false;
  const watched = work.finally(() => (settled = true));
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (gate.waitingCount() > 0) gate.release();
  }
  return watched;
}

/** Cancels a running gated job: the batches already at the gate go through, no other starts. */
async function cancelGated(jobId: string) {
  const answer = await releasing(app.gql(`mutation ($id: ID!) { cancelImport(id: $id) { ${JOB} } }`, { id: jobId }));
  expect(answer.errors).toBeUndefined();
  return answer.data.cancelImport;
}

beforeAll(async () => {
  await app.importFile('learners', learnersCsv);
  await app.importFile('catalog', catalogCsv);
});

describe('a cancelled job', () => {
  test('says so in its log, counts as imported, and resumes from its checkpoint to the counters and rows of an uninterrupted run', async () => {
    const expected = await uninterrupted();
    const { jobId } = await startGated(lessonsCsv, 2);
    expect((await job(jobId)).outcome).toBeNull(); // running
    const cancelled = await cancelGated(jobId);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.counts.processed).toBeGreaterThan(0);
    expect(cancelled.counts.processed).toBeLessThan(400);
    expect(cancelled.outcome).toMatch(/^(CLEAN|WITH_REJECTS)$/);
    expect((await statisticsOf(app, jobId)).length).toBe(cancelled.counts.added);

    // The log says CANCELLED before the issues and after the counters, in English and French.
    const log = (await job(jobId)).logText as string;
    expect(log.split('\n')[0]).toMatch(/^CANCELLED: the import was stopped before the end of the file/);
    expect(log).toMatch(new RegExp(`Records processed: ${cancelled.counts.processed}\\n[^]*\\nStatus: CANCELLED: the import was stopped before the end of the file[^\\n]*\\nOutcome: ${cancelled.outcome} `));
    const fr = await download(jobId, 'fr');
    expect(fr.split('\n')[0]).toMatch(/^ANNULÉ \(CANCELLED\): l'import a été arrêté avant la fin du fichier/);
    expect(fr).toMatch(/\nStatut: ANNULÉ \(CANCELLED\): l'import a été arrêté[^\n]*\nRésultat: /);
    expect((await download(jobId, 'en')).split('\n')[0]).toMatch(/^CANCELLED: /);

    // The same bytes again: refused, the cancelled job wrote rows.
    const again = await app.upload('gated-lesson-stats', 'again.csv', lessonsCsv);
    const refused = await runFile(again.data.uploadImportFile.id);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'DUPLICATE_FILE', jobId });
    expect(refused.errors?.[0].message).toMatch(/resumeImport/);

    gate.openAll();
    const resumed = await resume(jobId);
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data.resumeImport).toMatchObject({ id: jobId, status: 'PENDING', finishedAt: null, outcome: null });
    const done = await app.waitForJob(jobId);
    const full = await job(jobId);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.counts).toEqual(expected.counts);
    expect(full.outcome).toBe('WITH_REJECTS');
    expect(full.rejectsCsv).toBe(expected.rejectsCsv);
    expect(full.issues).toEqual(expected.issues);
    expect(await statisticsOf(app, jobId)).toEqual(expected.statistics); // every row once, session 1
    expect(full.logText.split('\n')[0]).toBe('line\tcolumn\tseverity\tcode\tmessage');
    expect(full.logText).toMatch(/\nStatus: SUCCEEDED\nOutcome: WITH_REJECTS \(some records were rejected/);
  });

  test('that wrote nothing (cancelled in the queue) does not count as imported', async () => {
    const csv = 'user_loginid\nqueued1\nqueued2\n';
    const first = await app.upload('learners', 'queued.csv', csv);
    const { jobId: blocking } = await startGated(lessonsCsv, 0);
    // On SQLite a batch at the gate holds the database: each write below lets one through.
    const queued = (await releasing(runFile(first.data.uploadImportFile.id, {}, false))).data.runImport;
    expect(queued.status).toBe('PENDING');
    const cancelled = (await releasing(app.gql(`mutation ($id: ID!) { cancelImport(id: $id) { ${JOB} } }`, { id: queued.id }))).data.cancelImport;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', outcome: 'NOTHING_IMPORTED', counts: { processed: 0 } });
    const second = await releasing(app.upload('learners', 'queued-again.csv', csv));
    const accepted = await releasing(runFile(second.data.uploadImportFile.id, {}, false));
    expect(accepted.errors).toBeUndefined();
    gate.openAll();
    expect((await app.waitForJob(accepted.data.runImport.id)).counts).toMatchObject({ added: 2 });
    expect((await app.waitForJob(blocking)).status).toBe('SUCCEEDED');
  });
});

describe('resumeImport', () => {
  test('goes on with a failed job that committed batches; the log gives the reason first and last', async () => {
    const { jobId } = await startGated(lessonsCsv, 1);
    const cancelled = await cancelGated(jobId);
    // As a job that failed after its first batches (the database went away, say).
    await app.server.services.store.dataSource.query(`UPDATE import_jobs SET status = 'FAILED', failure = 'Unexpected error: connection lost' WHERE id = ?`, [Number(jobId)]);
    const log = (await job(jobId)).logText as string;
    expect(log.split('\n')[0]).toBe('FAILED: Unexpected error: connection lost');
    expect(log).toMatch(/\nStatus: FAILED: Unexpected error: connection lost\n/);
    expect((await download(jobId, 'fr')).split('\n')[0]).toBe('ÉCHEC (FAILED): Unexpected error: connection lost');
    gate.openAll();
    expect((await resume(jobId)).data.resumeImport).toMatchObject({ id: jobId, status: 'PENDING' });
    const done = await app.waitForJob(jobId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', failure: null });
    expect(done.counts.processed).toBe(400);
    expect(done.counts.processed).toBeGreaterThan(cancelled.counts.processed);
  });

  test('refuses a job that is not cancelled, or failed without a checkpoint: BAD_USER_INPUT; an unknown one: NOT_FOUND', async () => {
    const succeeded = await app.importFile('learners', 'user_loginid\nr1\n');
    const refused = await resume(succeeded.id);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/is SUCCEEDED/);
    const failed = await app.importFile('learners', 'user_loginid\nr2\n');
    await app.server.services.store.dataSource.query(`UPDATE import_jobs SET status = 'FAILED', records_done = 0 WHERE id = ?`, [Number(failed.id)]);
    expect((await resume(failed.id)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await resume('999999')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('the outcome of a finished job', () => {
  const header = 'user_loginid;email\n';
  // A file without records is refused before it runs (EMPTY_FILE); a job cancelled in the queue has none: NOTHING_IMPORTED (above).
  test.each([
    ['no record rejected', 'o1;o1@example.com\no2;o2@example.com\n', {}, 'CLEAN', { added: 2 }],
    ['every record unchanged (imported before)', 'o1;o1@example.com\no2;o2@example.com\n', {}, 'CLEAN', { added: 0, unchanged: 2 }],
    ['some records rejected', 'o3;o3@example.com\n;nologin@example.com\n', {}, 'WITH_REJECTS', { added: 1, rejected: 1 }],
    ['every record rejected', ';a@example.com\n;b@example.com\n', {}, 'NOTHING_IMPORTED', { added: 0, rejected: 2 }],
    ['a dry run: what the import would come to', 'o4;o4@example.com\n;c@example.com\n', { dryRun: true }, 'WITH_REJECTS', { added: 1, rejected: 1 }],
  ])('%s', async (_name, rows, input, outcome, counts) => {
    const done = await app.importFile('learners', header + rows, input);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.counts).toMatchObject(counts);
    const full = await job(done.id);
    expect(full.outcome).toBe(outcome);
    expect(full.logText).toContain(`\nOutcome: ${outcome} (`);
    expect((await job(done.id, 'fr')).logText).toContain(`\nRésultat: ${outcome} (`);
  });
});
