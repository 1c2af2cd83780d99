import lessonStats from '../../plugins/lesson-stats';
import { build, type TestApp } from '../helpers/build';
import { gatedAdapter } from '../helpers/gated-adapter';

/**
 * Undo jobs running while an import writes for the same learners (real service, in-process
 * queue): the import met, in its first batch, a learner and an enrollment that the undos then
 * delete, and uses them again in its last batch. No row may point to a deleted one, no
 * enrollment may go missing, and every job's counters must match the tables (see src/undo/fence.ts).
 */
const gate = gatedAdapter();
let app: TestApp;
beforeAll(async () => {
  app = await build({ BATCH_SIZE: '3', PROGRESS_INTERVAL_MS: '0', JOB_CONCURRENCY: '3' }, { adapters: [gate.wrap(lessonStats)] });
  gate.openAll();
});
afterAll(() => app?.close());

const query = (sql: string, params: unknown[] = []): Promise<any[]> => app.server.services.store.dataSource.query(sql, params);
const learners = (rows: string[]) => `user_loginid;firstname;lastname;email;available\n${rows.join('\n')}\n`;
const lessons = (rows: string[]) =>
  `user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\n${rows.join('\n')}\n`;
const JOB = `id status counts { processed added rejected deleted restored conflicts unchanged warnings errors }
  issues(first: 1000) { edges { node { line severity code message } } }`;
const job = async (id: string) => (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${JOB} } }`, { id })).data.importJob;
const finished = (status: string) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status);
const codes = (of: any) => of.issues.edges.map((edge: any) => edge.node.code);

/** Filler batches of the import, rejected rows: while they go, the undos take their turns. */
const FILLER_BATCHES = 40;

test('undo jobs while an import writes statistics for the same learners: no broken reference, no lost enrollment, true counters', async () => {
  await app.importFile('learners', learners(['a0;;;;', 'a1;;;;']));
  await app.importFile('catalog', `crsvname;course_title;lsnvname;lnk_type;lesson_title\nC1;Course 1;;;\nC1;;i1;L;I1\nC1;;i2;L;I2\n`);
  // Undone while the import runs: learners b0..b2, and a0's enrollment in C1 (with its session on i1).
  const addedLearners = await app.importFile('learners', learners(['b0;;;;', 'b1;;;;', 'b2;;;;']));
  const enrolling = await app.importFile('gated-lesson-stats', lessons(['a0;C1;i1;L;C;2020-01-01;1;1;']), { enrollIfNeeded: true });
  expect(enrolling.counts.added).toBe(1);

  const fillers = Array.from({ length: FILLER_BATCHES * 3 }, () => 'nobody;C1;i1;L;C;2020-01-02;1;1;');
  const rows = [
    'b1;C1;zz;L;C;2020-01-02;1;1;', // line 2: unknown item (b1 met)
    'a0;C1;i1;L;C;2020-01-02;1;1;', // line 3: a session exists, REJECT (a0 found enrolled in C1)
    'b0;C1;i1;L;C;2020-01-02;1;1;', // line 4: added, b0 enrolled: the undo must keep b0
    ...fillers,
    'b1;C1;i1;L;C;2020-01-03;1;1;', // b1: deleted by then, or kept by this session
    'a0;C1;i2;L;C;2020-01-03;1;1;', // a0: its enrollment deleted by then, or kept
    'b2;C1;i2;L;C;2020-01-03;1;1;',
  ];
  gate.shut();
  const uploaded = await app.upload('gated-lesson-stats', 'k.csv', lessons(rows));
  const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
    input: { fileId: uploaded.data.uploadImportFile.id, options: { allowDuplicate: true }, onExisting: 'REJECT', enrollIfNeeded: true },
  });
  const importId = run.data.runImport.id;
  // The first batch is resolved (its learners and enrollments met) and waits to write.
  await gate.batchWaiting();
  // Asked for now; on SQLite the undo jobs are only created once the batch has written (one writer at a time).
  const undos: Array<string | undefined> = [];
  [addedLearners.id, enrolling.id].forEach((id, i) =>
    void app.gql(`mutation ($id: ID!) { undoImport(id: $id, conflicts: SKIP) { id } }`, { id }).then((response) => (undos[i] = response.data?.undoImport?.id ?? 'refused')),
  );
  // One batch of the import at a time: the undos' batches go in between, until both are done.
  let released = 0;
  for (;;) {
    const states = await Promise.all([0, 1].map(async (i) => (undos[i] === undefined ? 'ASKED' : (await job(undos[i]!))?.status)));
    if (states.every(finished)) break;
    if (released >= FILLER_BATCHES) throw new Error(`the undos were not done after ${released} batches of the import: ${states}`);
    await gate.batchWaiting();
    gate.release();
    released++;
  }
  gate.openAll();
  await app.waitForJob(importId);
  const imported = await job(importId);
  expect(imported.status).toBe('SUCCEEDED');
  const [undoLearners, undoEnrolling] = await Promise.all(undos.map((id) => job(id!)));

  // No broken reference: every statistic's learner and item, every enrollment's learner and course exist.
  expect(await query('SELECT s.id FROM lesson_statistics s LEFT JOIN learners l ON l.id = s.learner_id LEFT JOIN course_items i ON i.id = s.item_id WHERE l.id IS NULL OR i.id IS NULL')).toEqual([]);
  expect(await query('SELECT e.id FROM enrollments e LEFT JOIN learners l ON l.id = e.learner_id LEFT JOIN courses c ON c.id = e.course_id WHERE l.id IS NULL OR c.id IS NULL')).toEqual([]);
  // No lost enrollment: every statistic's learner is enrolled in its course.
  expect(
    await query(
      'SELECT s.id FROM lesson_statistics s JOIN course_items i ON i.id = s.item_id LEFT JOIN enrollments e ON e.learner_id = s.learner_id AND e.course_id = i.course_id WHERE e.id IS NULL',
    ),
  ).toEqual([]);

  // The undos ran before the last batch: b1 was deleted (its row rejected), a0 enrolled again by the import.
  const logins = (await query('SELECT login_id FROM learners ORDER BY login_id')).map((row) => row.login_id);
  expect(logins).toEqual(['a0', 'a1', 'b0']);
  const last = rows.length + 1;
  const issues = imported.issues.edges.map((edge: any) => edge.node);
  expect(issues.filter((issue: any) => issue.line >= last - 2)).toEqual([
    expect.objectContaining({ line: last - 2, code: 'UNKNOWN_LEARNER' }),
    expect.objectContaining({ line: last - 1, code: 'ENROLLED' }),
    expect.objectContaining({ line: last, code: 'UNKNOWN_LEARNER' }),
  ]);

  // Counters true: the import's added rows are its rows in the tables; each undo's deleted and kept rows are what it says.
  const [{ n: sessions }] = await query('SELECT COUNT(*) AS n FROM lesson_statistics WHERE created_job_id = ?', [Number(importId)]);
  expect(imported.counts).toMatchObject({ added: 2, rejected: rows.length - 2 });
  expect(Number(sessions)).toBe(2);
  // b0 is kept (the import's session refers to it), b1 and b2 deleted.
  expect(undoLearners).toMatchObject({ status: 'SUCCEEDED', counts: { processed: 3, deleted: 2, conflicts: 1 } });
  expect(codes(undoLearners)).toEqual(['UNDO_REFERENCED']);
  expect(undoLearners.issues.edges[0].node.line).toBe(2); // b0: the first line of the learners file
  expect(undoLearners.issues.edges[0].node.message).toMatch(new RegExp(`^learners learner b0 \\(id \\d+\\): enrollments of job ${importId} refer to it; kept$`));
  // a0's session and its enrollment deleted (the import made its own enrollment after).
  expect(undoEnrolling).toMatchObject({ status: 'SUCCEEDED', counts: { processed: 2, deleted: 2, conflicts: 0 } });
  const [{ n: left }] = await query('SELECT COUNT(*) AS n FROM enrollments WHERE created_job_id = ?', [Number(enrolling.id)]);
  expect(Number(left)).toBe(0);
  const enrolled = await query('SELECT l.login_id AS login, e.created_job_id AS job FROM enrollments e JOIN learners l ON l.id = e.learner_id ORDER BY l.login_id');
  expect(enrolled.map((row) => [row.login, Number(row.job)])).toEqual([
    ['a0', Number(importId)],
    ['b0', Number(importId)],
  ]);
});
