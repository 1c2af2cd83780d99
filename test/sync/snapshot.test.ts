import { build, type TestApp } from '../helpers/build';
import { dumpDataTables } from '../helpers/dump';

/**
 * Sync imports (runImport mode SNAPSHOT) through the API on a real database: the rows of the
 * data set that the file no longer has are retired (learners unavailable, enrollments removed,
 * courses and items inactive), within changeThreshold; above it, none is; a dry run shows them;
 * an undo brings them back; rows of other data sets, and records rejected for another cell, keep
 * theirs.
 */
let app: TestApp;
beforeAll(async () => {
  // Small batches: retirements run in several batches.
  app = await build({ BATCH_SIZE: '7', PROGRESS_INTERVAL_MS: '0' });
});
afterAll(() => app?.close());

const SYNC_FIELDS = `id status dryRun failure outcome mode dataSet changeThreshold
  counts { processed rejected added updated unchanged errors warnings retired restored }
  issues(first: 1000) { edges { node { line severity code message params } } } logText`;


const dump = () => dumpDataTables(app);

const query = (sql: string, params: unknown[] = []) => app.server.services.store.dataSource.query(sql, params) as Promise<Record<string, unknown>[]>;

/** Imports a file (SNAPSHOT of `dataSet` unless input says otherwise) and reads the job back whole, checking the invariant. */
async function sync(adapter: string, csv: string, input: Record<string, unknown> = {}) {
  const finished = await app.importFile(adapter, csv, { mode: 'SNAPSHOT', ...input });
  const job = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${SYNC_FIELDS} } }`, { id: finished.id })).data.importJob;
  const { processed, added, updated, unchanged, rejected } = job.counts;
  expect(processed).toBe(added + updated + unchanged + rejected);
  return job;
}

const learners = (rows: string[]) => `user_loginid;firstname;lastname;email;available\n${rows.join('\n')}\n`;
const people = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i};F${from + i};L${from + i};${prefix}${from + i}@example.org;`);
const codesOf = (job: any) => job.issues.edges.map((edge: any) => edge.node.code);
const availability = async (logins: string[]) =>
  Object.fromEntries((await query(`SELECT login_id, available FROM learners WHERE login_id IN (${logins.map(() => '?').join(', ')})`, logins)).map((row) => [row.login_id, Number(row.available)]));

describe('learners', () => {
  test('a learner of the data set no longer in the file is made unavailable; one that comes back is available again', async () => {
    const first = await sync('learners', learners(people('a', 0, 20)), { dataSet: 'sis-a' });
    expect(first).toMatchObject({ status: 'SUCCEEDED', mode: 'SNAPSHOT', dataSet: 'sis-a', changeThreshold: 10, counts: { added: 20, retired: 0, restored: 0 } });

    // a3 left; a20 and a21 arrived; a5 renamed: 1 of 20 (5%) is within the default 10%.
    const rows = people('a', 0, 22).filter((row) => !row.startsWith('a3;'));
    rows[4] = 'a5;Renamed;L5;a5@example.org;';
    const second = await sync('learners', learners(rows), { dataSet: 'sis-a' });
    expect(second).toMatchObject({ status: 'SUCCEEDED', outcome: 'CLEAN', counts: { added: 2, updated: 1, unchanged: 18, retired: 1, restored: 0, warnings: 1 } });
    expect(codesOf(second)).toEqual(['RETIRED_UNAVAILABLE']);
    expect(second.issues.edges[0].node).toMatchObject({ line: null, severity: 'WARNING', params: { table: 'learners', key: 'learner a3', dataSet: 'sis-a' } });
    expect(second.logText).toContain('Retired (not in the file): 1');
    expect(await availability(['a3', 'a4', 'a20'])).toEqual({ a3: 0, a4: 1, a20: 1 });

    // The same file again: nothing more to retire (a3 is retired already), and it is not refused as a duplicate.
    const upload = await app.upload('learners', 'again.csv', learners(rows));
    const again = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
      input: { fileId: upload.data.uploadImportFile.id, mode: 'SNAPSHOT', dataSet: 'sis-a' },
    });
    expect(again.errors).toBeUndefined();
    const repeated = await app.waitForJob(again.data.runImport.id);
    expect(repeated.counts).toMatchObject({ added: 0, updated: 0, unchanged: 21 });

    // a3 is back in the file (without an availability): available again, counted as restored.
    const third = await sync('learners', learners(people('a', 0, 22)), { dataSet: 'sis-a' });
    expect(third.counts).toMatchObject({ unchanged: 21, updated: 1, retired: 0, restored: 1 });
    expect(codesOf(third)).toEqual(['RETIRED_BACK']);
    expect(await availability(['a3'])).toEqual({ a3: 1 });
  });

  test('above changeThreshold nothing is retired, adds and updates stay, and the job says why with the numbers', async () => {
    await sync('learners', learners(people('b', 0, 20)), { dataSet: 'sis-b' });
    // 4 of 20 gone (20%) > 10%; b0 renamed, b20 new.
    const rows = [...people('b', 4, 21)];
    rows[0] = 'b4;Renamed;L4;b4@example.org;';
    const job = await sync('learners', learners(rows), { dataSet: 'sis-b', changeThreshold: 10 });
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { added: 1, updated: 1, retired: 0, errors: 1 } });
    expect(codesOf(job)).toEqual(['CHANGE_THRESHOLD_EXCEEDED']);
    expect(job.issues.edges[0].node).toMatchObject({ severity: 'ERROR', params: { table: 'learners', count: 4, total: 20, percent: 20, threshold: 10, dataSet: 'sis-b' } });
    expect(job.issues.edges[0].node.message).toContain('4 of the 20 rows of data set sis-b are not in the file (20%), more than changeThreshold 10%');
    expect(await availability(['b0', 'b3', 'b4', 'b20'])).toEqual({ b0: 1, b3: 1, b4: 1, b20: 1 });
    expect((await query(`SELECT first_name FROM learners WHERE login_id = 'b4'`))[0].first_name).toBe('Renamed');

    // With a threshold that allows it, the same retirements go through; exactly at the threshold is allowed (Canvas's rule: more than).
    const allowed = await sync('learners', learners(rows), { dataSet: 'sis-b', changeThreshold: 20 });
    expect(allowed.counts).toMatchObject({ retired: 4, errors: 0 });
    expect(await availability(['b0', 'b3', 'b4'])).toEqual({ b0: 0, b3: 0, b4: 1 });

    // A truncated export never wipes a data set (an empty one is refused at runImport: EMPTY_FILE).
    const truncated = await sync('learners', learners(people('b', 10, 11)), { dataSet: 'sis-b' });
    expect(truncated.counts.retired).toBe(0);
    expect(codesOf(truncated)).toEqual(['CHANGE_THRESHOLD_EXCEEDED']);
  });

  test('a dry run reports the retirements and changes nothing', async () => {
    await sync('learners', learners(people('c', 0, 10)), { dataSet: 'sis-c' });
    const before = await dump();
    const job = await sync('learners', learners(people('c', 1, 10)), { dataSet: 'sis-c', dryRun: true, changeThreshold: 50 });
    expect(job).toMatchObject({ status: 'SUCCEEDED', dryRun: true, counts: { unchanged: 9, retired: 1 } });
    expect(codesOf(job)).toEqual(['RETIRED_UNAVAILABLE']);
    expect(await dump()).toEqual(before);
  });

  test('only the data set’s rows: other data sets, plain imports and rows another job wrote since keep theirs', async () => {
    await sync('learners', learners(people('d', 0, 10)), { dataSet: 'sis-d' });
    await app.importFile('learners', learners(people('e', 0, 5))); // a plain MERGE import, no data set
    await sync('learners', learners(people('f', 0, 5)), { dataSet: 'other' });
    // d9 is taken over by a later plain import: it is no longer the data set's.
    await app.importFile('learners', learners(['d9;Mine;Now;;']));
    const job = await sync('learners', learners(people('d', 0, 8)), { dataSet: 'sis-d', changeThreshold: 20 });
    expect(job.counts.retired).toBe(1);
    expect(job.issues.edges.map((edge: any) => edge.node.params.key)).toEqual(['learner d8']);
    expect(await availability(['d8', 'd9', 'e0', 'f0'])).toEqual({ d8: 0, d9: 1, e0: 1, f0: 1 });
    // The history of a data set.
    const history = await app.gql(`{ importJobs(dataSet: "sis-d") { totalCount edges { node { id dataSet mode } } } }`);
    expect(history.data.importJobs.totalCount).toBe(2);
    expect(history.data.importJobs.edges.map((edge: any) => edge.node)).toEqual([
      { id: job.id, dataSet: 'sis-d', mode: 'SNAPSHOT' },
      { id: expect.any(String), dataSet: 'sis-d', mode: 'SNAPSHOT' },
    ]);
  });

  test('a record rejected for another cell keeps its learner from being retired', async () => {
    await sync('learners', learners(people('g', 0, 10)), { dataSet: 'sis-g' });
    const rows = people('g', 0, 10);
    rows[2] = 'g2;F2;L2;not-an-email;';
    const job = await sync('learners', learners(rows), { dataSet: 'sis-g' });
    expect(job.counts).toMatchObject({ rejected: 1, retired: 0 });
    expect(await availability(['g2'])).toEqual({ g2: 1 });
  });

  test('a sync cancelled while it retires goes on with resumeImport: every row retired once, counters whole', async () => {
    await sync('learners', learners(people('r', 0, 300)), { dataSet: 'sis-r' });
    const upload = await app.upload('learners', 'r.csv', learners(people('r', 0, 200)));
    const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
      input: { fileId: upload.data.uploadImportFile.id, mode: 'SNAPSHOT', dataSet: 'sis-r', changeThreshold: 50 },
    });
    const id = run.data.runImport.id;
    // Cancelled as soon as a first batch of retirements is committed (batches of 7: 15 of them).
    const watching = new AbortController();
    for await (const snapshot of app.server.services.bus.subscribe(Number(id), watching.signal)) {
      if (snapshot.retired > 0) {
        await app.gql(`mutation ($id: ID!) { cancelImport(id: $id) { id } }`, { id });
        break;
      }
    }
    watching.abort();
    const cancelled = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${SYNC_FIELDS} } }`, { id })).data.importJob;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.counts.retired).toBeGreaterThan(0);
    expect(cancelled.counts.retired).toBeLessThan(100);
    const resumed = await app.gql(`mutation ($id: ID!) { resumeImport(id: $id) { id } }`, { id });
    expect(resumed.errors).toBeUndefined();
    await app.waitForJob(id);
    const job = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${SYNC_FIELDS} } }`, { id })).data.importJob;
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { processed: 200, unchanged: 200, retired: 100, warnings: 100 } });
    const keys = job.issues.edges.map((edge: any) => edge.node.params.key);
    expect(new Set(keys).size).toBe(100);
    expect(Number((await query(`SELECT COUNT(*) AS n FROM learners WHERE login_id LIKE 'r%' AND available = 0`))[0].n)).toBe(100);
    expect(Number((await query(`SELECT COUNT(*) AS n FROM import_sync_keys WHERE job_id = ?`, [Number(id)]))[0].n)).toBe(0);
  });

  test('a sync then its undo: the database as before the sync, retired learners available again', async () => {
    await sync('learners', learners(people('h', 0, 10)), { dataSet: 'sis-h' });
    const before = await dump();
    const rows = people('h', 1, 12);
    rows[0] = 'h1;Renamed;L1;;';
    const job = await sync('learners', learners(rows), { dataSet: 'sis-h', changeThreshold: 10 });
    expect(job.counts).toMatchObject({ added: 2, updated: 1, retired: 1 });
    const undo = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: job.id });
    const undone = await app.waitForJob(undo.data.undoImport.id);
    expect(undone.status).toBe('SUCCEEDED');
    expect(await dump()).toEqual(before);
  });
});

describe('catalog and enrollments', () => {
  const catalog = (rows: string[]) => `crsvname;course_title;lsnvname;lnk_type;lesson_title\n${rows.join('\n')}\n`;
  const enrollments = (rows: string[]) => `course_id,username,role,system_availability,course_availability\n${rows.join('\n')}\n`;
  const lessons = (rows: string[]) =>
    `user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\n${rows.join('\n')}\n`;

  test('courses and items no longer in the catalog are made inactive and keep their statistics; enrollments are removed, or made unavailable when they have statistics; an undo puts everything back', async () => {
    await app.importFile('learners', learners(people('s', 0, 6)));
    const courses = ['K1;Course 1;;;', 'K1;;k1a;L;A', 'K1;;k1b;L;B', 'K2;Course 2;;;', 'K2;;k2a;L;A', 'K3;Course 3;;;', 'K3;;k3a;L;A'];
    const first = await sync('catalog', catalog(courses), { dataSet: 'cat' });
    expect(first.counts).toMatchObject({ added: 7, retired: 0 });
    const pairs = ['K1,s0', 'K1,s1', 'K2,s0', 'K2,s1', 'K3,s2', 'K3,s3'];
    const enrolled = await sync('blackboard-enrollment', enrollments(pairs.map((pair) => `${pair},S,,`)), { dataSet: 'enr' });
    expect(enrolled.counts).toMatchObject({ added: 6, retired: 0 });
    // s2 has statistics in K3.
    const stats = await app.importFile('lesson-stats', lessons(['s2;K3;k3a;L;C;2026-11-01;90;00:10:00;']));
    expect(stats.counts.added).toBe(1);

    const before = await dump();
    // K3 and k1b leave the catalog (2 of 6 items: within 50%; 1 of 3 courses).
    const catalogSync = await sync('catalog', catalog(courses.filter((row) => !row.startsWith('K3') && !row.includes('k1b'))), { dataSet: 'cat', changeThreshold: 50 });
    expect(catalogSync.counts).toMatchObject({ unchanged: 4, retired: 3 });
    expect(codesOf(catalogSync).sort()).toEqual(['RETIRED_INACTIVE', 'RETIRED_INACTIVE', 'RETIRED_INACTIVE']);
    expect(await query(`SELECT code, active FROM courses WHERE code IN ('K1', 'K3') ORDER BY code`)).toEqual([
      { code: 'K1', active: 1 },
      { code: 'K3', active: 0 },
    ]);
    expect((await query(`SELECT active FROM course_items WHERE code = 'k3a'`))[0].active).toBe(0);
    expect(Number((await query(`SELECT COUNT(*) AS n FROM lesson_statistics`))[0].n)).toBe(1);

    // K3's two enrollments leave the file: s3's (no statistics) is removed, s2's (statistics) made unavailable.
    const enrollSync = await sync('blackboard-enrollment', enrollments(pairs.slice(0, 4).map((pair) => `${pair},S,,`)), { dataSet: 'enr', changeThreshold: 50 });
    expect(enrollSync.counts).toMatchObject({ unchanged: 4, retired: 2 });
    expect(enrollSync.issues.edges.map((edge: any) => [edge.node.code, edge.node.params.key])).toEqual([
      ['RETIRED_UNAVAILABLE', 'learner s2, course K3'],
      ['RETIRED_REMOVED', 'learner s3, course K3'],
    ]);
    const k3 = await query(`SELECT l.login_id AS login, e.available FROM enrollments e JOIN learners l ON l.id = e.learner_id JOIN courses c ON c.id = e.course_id WHERE c.code = 'K3'`);
    expect(k3.map((row) => [row.login, Number(row.available)])).toEqual([['s2', 0]]);

    // Undo both syncs, newest first: everything as before them (the removed enrollment back with its id).
    for (const job of [enrollSync, catalogSync]) {
      const undo = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: job.id });
      expect(undo.errors).toBeUndefined();
      expect((await app.waitForJob(undo.data.undoImport.id)).status).toBe('SUCCEEDED');
    }
    expect(await dump()).toEqual(before);
  });
});

describe('runImport refuses what a sync cannot do', () => {
  test.each([
    ['an adapter that does not say what absent means', 'lesson-stats', { mode: 'SNAPSHOT', dataSet: 'x' }, 'mode SNAPSHOT is not available for lesson-stats'],
    ['no data set', 'learners', { mode: 'SNAPSHOT' }, 'mode SNAPSHOT needs a dataSet'],
    ['a threshold of 0', 'learners', { mode: 'SNAPSHOT', dataSet: 'x', changeThreshold: 0 }, 'changeThreshold 0: a percentage from 1 to 100'],
    ['a threshold above 100', 'learners', { mode: 'SNAPSHOT', dataSet: 'x', changeThreshold: 101 }, 'changeThreshold 101'],
    ['a threshold without SNAPSHOT', 'learners', { dataSet: 'x', changeThreshold: 5 }, 'changeThreshold applies to mode SNAPSHOT only'],
    ['a bad data set name', 'learners', { mode: 'SNAPSHOT', dataSet: 'a b' }, 'dataSet "a b": 1 to 100 letters'],
  ])('%s', async (_, adapter, input, message) => {
    const upload = await app.upload(adapter, 'f.csv', adapter === 'learners' ? learners(['z1;;;;']) : 'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\nu;C;L1;L;C;2026-01-01;;;\n');
    const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, { input: { fileId: upload.data.uploadImportFile.id, ...input } });
    expect(run.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(run.errors![0].message).toContain(message);
  });
});
