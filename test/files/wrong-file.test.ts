import fs from 'node:fs';
import path from 'node:path';
import { ImportJob } from '../../src/imports/import-job.entity';
import { TestKit } from '../../src/testing';
import { build, type TestApp } from '../helpers/build';

/**
 * The check step says when a file is not this adapter's, before anything runs: a file that reads
 * as another adapter's (LIKELY_WRONG_ADAPTER, an ERROR: runImport refuses it unless
 * options.allowAdapterMismatch), a header none of whose cells names a column
 * (HEADER_NOT_RECOGNISED, an ERROR), records whose field count the adapter cannot read
 * (COLUMN_COUNT_MISMATCH, a WARNING). runImport refuses options it would ignore.
 */

let kit: TestKit;
beforeAll(async () => {
  kit = await TestKit.create();
});
afterAll(() => kit?.close());

const example = (adapter: string) => fs.readFileSync(path.join(__dirname, '../../plugins', adapter, 'example.csv'));
const problems = (list: { line: number | null; severity: string; code: string; params?: unknown }[]) =>
  list.map(({ line, severity, code, params }) => ({ line, severity, code, params }));
const noHeaderLearners = 'demo;Demo;Learner;demo@example.com;Y\njbell;Jane;Bell;jane.bell@example.com;Y\n';
const lessonsWithSemicolons = 'demo;Comics;{1B38F003-16A9-4432-AB};L;P;22/03/2013;90;1800;\njbell;Comics;{1B38F003-16A9-4432-AB};L;F;2013-03-25;42,5;950;\n';

describe('a file that reads as another adapter\'s is refused with LIKELY_WRONG_ADAPTER', () => {
  test.each([
    ['a learners file (with its header) as lesson-stats, header detected', 'lesson-stats', example('learners'), null, 'learners'],
    ['a learners file (with its header) as lesson-stats, said to have a header', 'lesson-stats', example('learners'), true, 'learners'],
    ['a learners file without a header as lesson-stats', 'lesson-stats', Buffer.from(noHeaderLearners), false, 'learners'],
    ['a ";" lesson file as blackboard-enrollment', 'blackboard-enrollment', Buffer.from(lessonsWithSemicolons), null, 'lesson-stats'],
    ['a lesson file (with its header) as course-stats', 'course-stats', example('lesson-stats'), null, 'lesson-stats'],
    ['a Blackboard file as course-stats', 'course-stats', example('blackboard-enrollment'), false, 'blackboard-enrollment'],
    ['a header of learners\' French labels, "no header" ticked, as lesson-stats', 'lesson-stats', Buffer.from(`Login apprenant;Prénom;Nom;E-mail;Disponible\n${noHeaderLearners}`), false, 'learners'],
  ])('%s', async (_name, adapter, bytes, hasHeader, suggested) => {
    const jobsBefore = await kit.manager.count(ImportJob);
    const result = await kit.import(adapter, bytes, { hasHeader: hasHeader ?? undefined });
    expect(problems(result.file.problems)).toContainEqual({ line: null, severity: 'ERROR', code: 'LIKELY_WRONG_ADAPTER', params: { adapter, suggested } });
    expect(result.refused).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(result.refused!.message).toContain(`reads as a ${suggested} file, not as a ${adapter} file`);
    expect(await kit.manager.count(ImportJob)).toBe(jobsBefore);
  });

  test('options.allowAdapterMismatch imports it anyway: every record is then judged by the chosen adapter', async () => {
    const result = await kit.import('lesson-stats', noHeaderLearners, { hasHeader: false, options: { allowAdapterMismatch: true } });
    expect(result.job).toMatchObject({ status: 'SUCCEEDED', processed: 2, rejected: 2 });
  });

  test('every example file reads as its own adapter\'s, with no problem', async () => {
    for (const adapter of ['learners', 'catalog', 'lesson-stats', 'course-stats', 'blackboard-enrollment', 'moodle-enrolment', 'canvas-enrollments']) {
      const file = await kit.services.imports.upload({ stream: (await import('node:stream')).Readable.from([example(adapter)]), fileName: 'x.csv', adapter, hasHeader: null, tokenId: null });
      expect({ adapter, problems: file.problems }).toEqual({ adapter, problems: [] });
    }
  });
});

test('a header none of whose cells names a column is HEADER_NOT_RECOGNISED, one error instead of one per column', async () => {
  const result = await kit.import('learners', 'foo;bar\ndemo;Demo\n', { hasHeader: true });
  expect(problems(result.file.problems)).toEqual([
    { line: 1, severity: 'ERROR', code: 'HEADER_NOT_RECOGNISED', params: { expected: 'user_loginid, firstname, lastname, email, available' } },
  ]);
  expect(result.refused).toMatchObject({ code: 'BAD_USER_INPUT' });
  // The user's own column map makes it readable.
  const mapped = await kit.import('learners', 'foo;bar\nnr1;Demo\n', { hasHeader: true, options: { columnMap: { foo: 'user_loginid', bar: 'firstname' } } });
  expect(mapped.job).toMatchObject({ status: 'SUCCEEDED', added: 1 });
});

test('records whose field count the adapter cannot read are a COLUMN_COUNT_MISMATCH warning at check time', async () => {
  const csv = 'cc1;A;B;a@example.com;Y;x;y;z\ncc2;A;B;b@example.com;Y;x;y;z\n';
  const result = await kit.import('learners', csv, { hasHeader: false });
  expect(problems(result.file.problems)).toEqual([{ line: 1, severity: 'WARNING', code: 'COLUMN_COUNT_MISMATCH', params: { count: '8', expected: '1–5' } }]);
  expect(result.job).toMatchObject({ processed: 2, rejected: 2 });
  const tooFew = await kit.import('lesson-stats', 'demo;Comics;x\njbell;Comics;y\n', { hasHeader: false });
  expect(problems(tooFew.file.problems)).toContainEqual({ line: 1, severity: 'WARNING', code: 'COLUMN_COUNT_MISMATCH', params: { count: '3', expected: '5–9' } });
});

describe('runImport refuses the options it would ignore (HTTP, in English and French)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app?.close());
  const RUN = 'mutation ($input: RunImportInput!) { runImport(input: $input) { id } }';

  test('options.columnMap on a file without a header', async () => {
    const file = (await app.upload('learners', 'nomap.csv', 'cm1;Ann\n', { hasHeader: false })).data.uploadImportFile;
    const input = { fileId: file.id, options: { columnMap: { login: 'user_loginid' } } };
    const en = await app.gql(RUN, { input });
    expect(en.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(en.errors?.[0].message).toMatch(/^options.columnMap maps the names of a header, and this file has none/);
    const fr = await app.gql(RUN, { input }, { lang: 'fr' });
    expect(fr.errors?.[0].message).toMatch(/^options.columnMap associe les noms d’un en-tête/);
  });

  test.each(['learners', 'catalog', 'blackboard-enrollment'])('enrollIfNeeded on %s', async (adapter) => {
    const file = (await app.upload(adapter, 'enroll.csv', example(adapter))).data.uploadImportFile;
    const run = await app.gql(RUN, { input: { fileId: file.id, enrollIfNeeded: true } });
    expect(run.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(run.errors?.[0].message).toBe(`enrollIfNeeded does not apply to ${adapter} (it applies to: course-stats, lesson-stats)`);
    const fr = await app.gql(RUN, { input: { fileId: file.id, enrollIfNeeded: true } }, { lang: 'fr' });
    expect(fr.errors?.[0].message).toMatch(/^L’option enrollIfNeeded ne s’applique pas/);
  });
});
