import lessonStats from '../../plugins/lesson-stats';
import { build, type TestApp } from '../helpers/build';
import { dumpDataTables } from '../helpers/dump';
import { gatedAdapter } from '../helpers/gated-adapter';

/**
 * undoImport through the API on a real database: an undo job deletes what its import added and
 * gives back what it updated, so that the data tables are exactly as before the import; rows
 * changed since by other jobs are conflicts (REFUSE, SKIP, FORCE); refusals; dry runs.
 */
const gate = gatedAdapter();
let app: TestApp;
beforeAll(async () => {
  // Small batches: an undo of a few dozen rows runs in several batches of each step.
  app = await build({ BATCH_SIZE: '7', PROGRESS_INTERVAL_MS: '0' }, { adapters: [gate.wrap(lessonStats)] });
  gate.openAll();
});
afterEach(() => gate.openAll());
afterAll(() => app?.close());

const UNDO_FIELDS = `id status dryRun failure outcome undoConflicts
  counts { processed deleted restored conflicts unchanged errors warnings }
  undoes { id status } issues(first: 1000) { edges { node { line severity code message } } }`;

const dump = () => dumpDataTables(app);

async function undo(id: string, args: { conflicts?: string; dryRun?: boolean } = {}) {
  const response = await app.gql(`mutation ($id: ID!, $conflicts: UndoConflicts, $dryRun: Boolean) { undoImport(id: $id, conflicts: $conflicts, dryRun: $dryRun) { id status } }`, {
    id,
    ...args,
  });
  if (response.errors) return { errors: response.errors };
  await app.waitForJob(response.data.undoImport.id);
  const job = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${UNDO_FIELDS} logText } }`, { id: response.data.undoImport.id })).data.importJob;
  // The invariant of an undo job.
  const { processed, deleted, restored, conflicts, unchanged } = job.counts;
  expect(processed).toBe(deleted + restored + conflicts + unchanged);
  return { job };
}

const jobOf = async (id: string) => (await app.gql(`query ($id: ID!) { importJob(id: $id) { id status undoneBy { id } } }`, { id })).data.importJob;
const codes = (job: any) => job.issues.edges.map((edge: any) => edge.node.code).sort();

const learners = (rows: string[]) => `user_loginid;firstname;lastname;email;available\n${rows.join('\n')}\n`;
const lessons = (rows: string[]) =>
  `user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\n${rows.join('\n')}\n`;
const courseStats = (rows: string[]) => `user_loginid;crsvname;course_status;course_status_date;course_enrollement_date\n${rows.join('\n')}\n`;

/** Imports, undoes, and checks the data tables are as before the import. */
async function importThenUndo(adapter: string, csv: string, input: Record<string, unknown> = {}, options: { hasHeader?: boolean } = {}) {
  const before = await dump();
  const imported = await app.importFile(adapter, csv, input, options);
  expect(imported.status).toBe('SUCCEEDED');
  expect(imported.counts.added + imported.counts.updated).toBeGreaterThan(0);
  expect(await dump()).not.toEqual(before);
  const { job } = await undo(imported.id);
  expect(job).toMatchObject({ status: 'SUCCEEDED', failure: null, outcome: 'CLEAN', undoes: { id: imported.id, status: 'UNDONE' } });
  expect(job.counts.conflicts).toBe(0);
  expect(job.counts.deleted + job.counts.restored).toBeGreaterThan(0);
  expect(await dump()).toEqual(before);
  expect(await jobOf(imported.id)).toEqual({ id: imported.id, status: 'UNDONE', undoneBy: { id: job.id } });
  return { imported, job };
}

describe('undo of each adapter restores the database as it was before the import', () => {
  test('learners, catalog, blackboard-enrollment, moodle-enrolment, canvas-enrollments, lesson-stats and course-stats', async () => {
    const base = await app.importFile('learners', learners(Array.from({ length: 20 }, (_, i) => `u${i};First${i};Last${i};u${i}@example.org;Y`)));
    expect(base.status).toBe('SUCCEEDED');
    await app.importFile('catalog', `crsvname;course_title;lsnvname;lnk_type;lesson_title\nC1;Course 1;;;\nC1;;i1;L;Item 1\nC1;;i2;A;Item 2\nC2;Course 2;;;\nC2;;j1;L;J1\n`);

    // learners: updates (a name, an availability) and adds.
    const { job: learnersUndo } = await importThenUndo('learners', learners(['u1;Renamed;;;', 'u2;;;;N', 'u3;;;new@example.org;', ...Array.from({ length: 12 }, (_, i) => `n${i};N;${i};;`)]));
    expect(learnersUndo.counts).toMatchObject({ deleted: 12, restored: 3, processed: 15 });

    // catalog: a course renamed, an item retyped, new items and a new course with items.
    await importThenUndo('catalog', `crsvname;course_title;lsnvname;lnk_type;lesson_title\nC1;Course one;;;\nC1;;i1;W;\nC1;;i3;L;Item 3\nC3;Course 3;;;\nC3;;k1;L;K1\nC3;;k2;L;K2\n`);

    // blackboard-enrollment: new enrollments, then (UPDATE) a role and a learner's system availability changed.
    const enrolled = await app.importFile('blackboard-enrollment', `C1,u0,S,Y,Y\nC1,u1,S,Y,Y\nC2,u0,S,Y,Y\n`, {}, { hasHeader: false });
    expect(enrolled.counts.added).toBe(3);
    await importThenUndo('blackboard-enrollment', `C1,u0,P,N,Y\nC1,u1,S,Y,N\n${Array.from({ length: 9 }, (_, i) => `C2,u${i + 4},S,Y,Y`).join('\n')}\n`, { onExisting: 'UPDATE' }, { hasHeader: false });

    // moodle-enrolment and canvas-enrollments (UPDATE, their default): new enrollments, and a role changed.
    const moodle = await importThenUndo('moodle-enrolment', `add,student,u10,C1\nadd,student,u11,C2\nadd,editingteacher,u0,C1\n`, {}, { hasHeader: false });
    expect(moodle.imported.counts).toMatchObject({ added: 2, updated: 1 });
    expect(moodle.job.counts).toMatchObject({ deleted: 2, restored: 1 });
    const canvas = await importThenUndo('canvas-enrollments', `course_id,user_id,role,section_id,status\nC2,u12,student,,active\nC1,u1,teacher,,active\nC2,u0,student,,inactive\n`);
    expect(canvas.imported.counts).toMatchObject({ added: 1, updated: 2 });
    expect(canvas.job.counts).toMatchObject({ deleted: 1, restored: 2 });

    // lesson-stats: new sessions with enrollIfNeeded (the enrollments it makes go too)…
    const sessions = Array.from({ length: 10 }, (_, i) => `u${i};C1;i1;L;C;2020-03-0${(i % 9) + 1};${50 + i};60;`);
    await importThenUndo('gated-lesson-stats', lessons(sessions), { enrollIfNeeded: true });
    // …and, after a real import, a second session and an UPDATE of the latest ones.
    const first = await app.importFile('gated-lesson-stats', lessons(sessions), { enrollIfNeeded: true });
    expect(first.counts.added).toBe(10);
    await importThenUndo('gated-lesson-stats', lessons(sessions.slice(0, 5)), { onExisting: 'NEW_SESSION' });
    await importThenUndo('gated-lesson-stats', lessons(sessions.map((row) => row.replace(';C;', ';F;'))), { onExisting: 'UPDATE' });

    // course-stats: the same, with enrollIfNeeded and UPDATE.
    const courseRows = Array.from({ length: 9 }, (_, i) => `u${i + 10};C2;I;2021-01-0${i + 1};`);
    await importThenUndo('course-stats', courseStats(courseRows), { enrollIfNeeded: true });
    const courses = await app.importFile('course-stats', courseStats(courseRows), { enrollIfNeeded: true });
    expect(courses.counts.added).toBe(9);
    await importThenUndo('course-stats', courseStats(courseRows.map((row) => row.replace(';I;', ';C;'))), { onExisting: 'UPDATE' });
  });
});

describe('conflicts: rows changed since by another job', () => {
  test('REFUSE changes nothing and reports every conflict; SKIP undoes the rest', async () => {
    await app.importFile('learners', learners(['r1;R1;;;', 'r2;R2;;;']));
    const undone = await app.importFile('learners', learners(['r1;Changed;;;', 'r3;R3;;;', 'r4;R4;;;', 'r5;R5;;;']));
    expect(undone.counts).toMatchObject({ added: 3, updated: 1 });
    // A later job changes r1 again and r3 (which the undone job added).
    const later = await app.importFile('learners', learners(['r1;Later;;;', 'r3;Later3;;;']));
    expect(later.counts.updated).toBe(2);

    const before = await dump();
    const { job: refused } = await undo(undone.id);
    expect(refused).toMatchObject({ status: 'FAILED', undoConflicts: 'REFUSE', outcome: 'NOTHING_IMPORTED' });
    expect(refused.failure).toMatch(/2 conflict/);
    expect(refused.counts).toMatchObject({ processed: 4, conflicts: 2, unchanged: 2, deleted: 0, restored: 0, errors: 2 });
    expect(codes(refused)).toEqual(['UNDO_CHANGED', 'UNDO_CHANGED']);
    const messages = refused.issues.edges.map((edge: any) => edge.node.message).sort();
    expect(messages[0]).toMatch(new RegExp(`^learners learner r1 \\(id \\d+\\): changed since by job ${later.id}; left as it is$`));
    expect(messages[1]).toMatch(new RegExp(`^learners learner r3 \\(id \\d+\\): changed since by job ${later.id}; left as it is$`));
    // Each conflict names the line of the undone import's file the row came from (r1 updated by line 2, r3 added by line 3).
    const lines = refused.issues.edges.map((edge: any) => [edge.node.line, edge.node.message.split(' (')[0]]).sort();
    expect(lines).toEqual([
      [2, 'learners learner r1'],
      [3, 'learners learner r3'],
    ]);
    expect(refused.logText).toMatch(/^2\t\tERROR\tUNDO_CHANGED\tlearners learner r1 /m);
    expect(refused.logText).toContain('Conflicts: 2');
    expect(await dump()).toEqual(before);
    expect((await jobOf(undone.id)).status).toBe('SUCCEEDED');

    // A dry run with SKIP says what SKIP would do, and changes nothing either.
    const { job: dry } = await undo(undone.id, { conflicts: 'SKIP', dryRun: true });
    expect(dry).toMatchObject({ status: 'SUCCEEDED', dryRun: true });
    expect(dry.counts).toMatchObject({ processed: 4, deleted: 2, restored: 0, conflicts: 2 });
    expect(await dump()).toEqual(before);
    expect(await jobOf(undone.id)).toMatchObject({ status: 'SUCCEEDED', undoneBy: null });

    const { job: skipped } = await undo(undone.id, { conflicts: 'SKIP' });
    expect(skipped).toMatchObject({ status: 'SUCCEEDED', outcome: 'WITH_REJECTS' });
    expect(skipped.counts).toMatchObject({ processed: 4, deleted: 2, restored: 0, conflicts: 2 });
    const logins = (await dump()).learners.map((row: any) => `${row.login_id}:${row.first_name}`);
    expect(logins).toEqual(expect.arrayContaining(['r1:Later', 'r2:R2', 'r3:Later3']));
    expect(logins.some((login) => login.startsWith('r4:') || login.startsWith('r5:'))).toBe(false);
    expect((await jobOf(undone.id)).status).toBe('UNDONE');
  });

  test('FORCE overwrites later changes, but never deletes a row others refer to', async () => {
    await app.importFile('learners', learners(['f1;F1;;;']));
    const catalog = await app.importFile('catalog', `crsvname;course_title;lsnvname;lnk_type;lesson_title\nFC;Forced;;;\nFC;;used;L;Used\nFC;;unused;L;Unused\nFC2;Free;;;\n`);
    const changed = await app.importFile('learners', learners(['f1;Changed;;;']));
    // Later jobs: statistics on one item, a new title for the free course.
    const stats = await app.importFile('gated-lesson-stats', lessons(['f1;FC;used;L;C;2020-01-01;1;1;']), { enrollIfNeeded: true });
    expect(stats.counts.added).toBe(1);
    await app.importFile('catalog', `crsvname;course_title;lsnvname;lnk_type;lesson_title\nFC2;Renamed;;;\n`);
    const laterLearners = await app.importFile('learners', learners(['f1;Later;;;']));

    // A dry run says what FORCE will do: the course of the used item stays too.
    const { job: dryForce } = await undo(catalog.id, { conflicts: 'FORCE', dryRun: true });
    expect(dryForce.counts).toMatchObject({ processed: 4, deleted: 2, conflicts: 2 });
    const { job: forcedCatalog } = await undo(catalog.id, { conflicts: 'FORCE' });
    expect(forcedCatalog.status).toBe('SUCCEEDED');
    // The used item and its course stay (the statistics and the enrollment refer to them); the rest goes, FC2 despite its new title.
    expect(forcedCatalog.counts).toMatchObject({ processed: 4, deleted: 2, conflicts: 2 });
    expect(codes(forcedCatalog)).toEqual(['UNDO_FORCED', 'UNDO_REFERENCED', 'UNDO_REFERENCED']);
    expect(codes(dryForce)).toEqual(codes(forcedCatalog));
    expect(forcedCatalog.issues.edges.map((edge: any) => edge.node.message)).toEqual([
      expect.stringMatching(/^course_items course FC, item used \(id \d+\): lesson statistics of job \d+ refer to it; kept$/),
      expect.stringMatching(/^courses course FC \(id \d+\): items of job \d+ refer to it; kept$/),
      expect.stringMatching(/^courses course FC2 \(id \d+\): changed since by job \d+; undone anyway \(FORCE\)$/),
    ]);
    const tables = await dump();
    expect(tables.courses.map((row: any) => row.code)).toContain('FC');
    expect(tables.courses.map((row: any) => row.code)).not.toContain('FC2');
    expect(tables.course_items.map((row: any) => row.code)).toEqual(expect.arrayContaining(['used']));
    expect(tables.course_items.map((row: any) => row.code)).not.toContain('unused');

    const { job: forcedLearner } = await undo(changed.id, { conflicts: 'FORCE' });
    expect(forcedLearner.counts).toMatchObject({ processed: 1, restored: 1, conflicts: 0, warnings: 1 });
    expect((await dump()).learners.find((row: any) => row.login_id === 'f1')).toMatchObject({ first_name: 'F1' });
    // The later job's change was overwritten: undoing it now is a conflict, not a silent return of its values.
    const { job: afterForce } = await undo(laterLearners.id);
    expect(afterForce).toMatchObject({ status: 'FAILED' });
    expect(codes(afterForce)).toEqual(['UNDO_CHANGED']);
  });

  test('an older session followed by a later one of another job is a conflict: sessions stay gap-free', async () => {
    await app.importFile('learners', learners(['s1;;;;']));
    await app.importFile('catalog', `crsvname;course_title;lsnvname;lnk_type;lesson_title\nSC;S;;;\nSC;;si;L;Si\n`);
    const older = await app.importFile('gated-lesson-stats', lessons(['s1;SC;si;L;C;2020-01-01;1;1;']), { enrollIfNeeded: true });
    const newer = await app.importFile('gated-lesson-stats', lessons(['s1;SC;si;L;F;2020-01-02;2;2;']));
    expect(newer.counts.added).toBe(1);
    const { job } = await undo(older.id, { conflicts: 'FORCE' });
    // The session, and the enrollment the later session needs, both stay.
    expect(job.counts).toMatchObject({ processed: 2, deleted: 0, conflicts: 2 });
    expect(codes(job)).toEqual(['UNDO_REFERENCED', 'UNDO_REFERENCED']);
    // The latest import can be undone: its session 2 goes, session 1 stays.
    await undo(newer.id);
    const sessions = (await dump()).lesson_statistics.filter((row: any) => row.created_job_id === Number(older.id));
    expect(sessions.map((row: any) => row.session)).toEqual([1]);
  });
});

describe('cancel and resume', () => {
  test('cancelImport stops a running undo after its batch; resumeImport goes on from its checkpoint and finishes it once', async () => {
    const before = await dump();
    // 2,000 learners: some 290 batches of 7, the cancel lands well before the end.
    const imported = await app.importFile('learners', learners(Array.from({ length: 2000 }, (_, i) => `cancel${i};;;;`)));
    expect(imported.counts.added).toBe(2000);
    const asked = await app.gql(`mutation ($id: ID!) { undoImport(id: $id, conflicts: SKIP) { id } }`, { id: imported.id });
    const undoId = asked.data.undoImport.id;
    const state = async () => (await app.gql(`query ($id: ID!) { importJob(id: $id) { status counts { processed } } }`, { id: undoId })).data.importJob;
    for (let seen = await state(); seen.counts.processed === 0; seen = await state()) expect(seen.status).toMatch(/PENDING|RUNNING/);
    const cancelled = await app.gql(`mutation ($id: ID!) { cancelImport(id: $id) { id } }`, { id: undoId });
    expect(cancelled.errors).toBeUndefined();
    const stopped = await app.waitForJob(undoId);
    expect(stopped.status).toBe('CANCELLED');
    // Stopped after a batch: what it counted is what it deleted, and the rest is still there.
    const { processed, deleted, conflicts } = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${UNDO_FIELDS} } }`, { id: undoId })).data.importJob.counts;
    expect(processed).toBeGreaterThan(0);
    expect(processed).toBeLessThan(2000);
    expect({ deleted, conflicts }).toEqual({ deleted: processed, conflicts: 0 });
    const left = (await dump()).learners.filter((row: any) => row.created_job_id === Number(imported.id)).length;
    expect(left).toBe(2000 - processed);
    expect((await jobOf(imported.id)).status).toBe('SUCCEEDED');

    const resumed = await app.gql(`mutation ($id: ID!) { resumeImport(id: $id) { id } }`, { id: undoId });
    expect(resumed.errors).toBeUndefined();
    await app.waitForJob(undoId);
    const job = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${UNDO_FIELDS} } }`, { id: undoId })).data.importJob;
    expect(job).toMatchObject({ status: 'SUCCEEDED', outcome: 'CLEAN' });
    // Each row counted once, over both runs.
    expect(job.counts).toMatchObject({ processed: 2000, deleted: 2000, restored: 0, conflicts: 0, errors: 0 });
    expect(await dump()).toEqual(before);
    expect(await jobOf(imported.id)).toEqual({ id: imported.id, status: 'UNDONE', undoneBy: { id: undoId } });
  });
});

describe('what cannot be undone', () => {
  test('an undo, a job undone already, a dry run, a running job', async () => {
    const imported = await app.importFile('learners', learners(['x1;;;;']));
    const { job } = await undo(imported.id);
    expect(job.status).toBe('SUCCEEDED');
    const again = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: imported.id });
    expect(again.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(again.errors?.[0].message).toMatch(new RegExp(`undone already \\(by job ${job.id}\\)`));
    const ofUndo = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: job.id });
    expect(ofUndo.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(ofUndo.errors?.[0].message).toMatch(/re-run the import instead/);

    const dry = await app.importFile('learners', learners(['x2;;;;']), { dryRun: true });
    const ofDry = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: dry.id });
    expect(ofDry.errors?.[0].message).toMatch(/dry run/);

    gate.shut();
    const uploaded = await app.upload('gated-lesson-stats', 'l.csv', lessons(['s1;SC;si;L;C;2020-01-05;1;1;']));
    const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
      input: { fileId: uploaded.data.uploadImportFile.id, options: { allowDuplicate: true } },
    });
    await gate.batchWaiting();
    const running = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: run.data.runImport.id });
    expect(running.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(running.errors?.[0].message).toMatch(/still RUNNING/);
    gate.openAll();
    expect((await app.waitForJob(run.data.runImport.id)).status).toBe('SUCCEEDED');

    const viewer = await app.gql(`mutation { createToken(name: "v", role: VIEWER) { token } }`);
    const forbidden = await app.gql(`mutation ($id: ID!) { undoImport(id: $id) { id } }`, { id: imported.id }, { token: viewer.data.createToken.token });
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  test('an undo job resumed after its import was undone by another fails, changing nothing', async () => {
    const imported = await app.importFile('learners', learners(['y1;;;;']));
    const { job } = await undo(imported.id);
    // As if this undo had been cancelled before it started, and another one had then succeeded.
    await app.server.services.store.dataSource.query(`UPDATE import_jobs SET status = 'CANCELLED' WHERE id = ?`, [Number(job.id)]);
    const before = await dump();
    const resumed = await app.gql(`mutation ($id: ID!) { resumeImport(id: $id) { id } }`, { id: job.id });
    expect(resumed.errors).toBeUndefined();
    const again = await app.waitForJob(job.id);
    expect(again).toMatchObject({ status: 'FAILED', failure: `Job ${imported.id} cannot be undone: it was undone already` });
    expect(await dump()).toEqual(before);
  });

  test('a dry run changes nothing', async () => {
    const imported = await app.importFile('learners', learners(['d1;D;;;', 'u5;Dry;;;']));
    const before = await dump();
    const { job } = await undo(imported.id, { dryRun: true });
    expect(job).toMatchObject({ status: 'SUCCEEDED', dryRun: true });
    expect(job.counts).toMatchObject({ processed: 2, deleted: 1, restored: 1, conflicts: 0 });
    expect(await dump()).toEqual(before);
    expect(await jobOf(imported.id)).toMatchObject({ status: 'SUCCEEDED', undoneBy: null });
  });
});
