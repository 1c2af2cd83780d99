import { ImportJob } from '../../src/imports/import-job.entity';
import { Learner } from '../../src/model/learner.entity';
import { TestKit } from '../../src/testing';

let kit: TestKit;
beforeAll(async () => {
  kit = await TestKit.create({ env: { MAX_RECORD_SIZE: '200' } });
});
afterAll(() => kit?.close());

test('an upload that is not text is refused at check time, and no job runs on it', async () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
  const jobsBefore = await kit.manager.count(ImportJob);
  const result = await kit.import('learners', png);
  expect(result.file.problems).toEqual([expect.objectContaining({ code: 'NOT_TEXT', severity: 'ERROR' })]);
  expect(result.file.problems[0].message).toMatch(/PNG image/);
  expect(result.refused).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(await kit.manager.count(ImportJob)).toBe(jobsBefore);
});

test('stray control bytes make their record an error, not the file', async () => {
  const result = await kit.import('learners', 'user_loginid;firstname\nok1;A\nbad\u0001;B\nok2;C\u0000\nok3;D\n');
  expect(result.job).toMatchObject({ added: 2, rejected: 2 });
  expect(result.issues).toEqual([
    expect.objectContaining({ line: 3, column: 'user_loginid', code: 'INVALID_CHARACTERS' }),
    expect.objectContaining({ line: 4, column: 'firstname', code: 'INVALID_CHARACTERS' }),
  ]);
});

test('every problem has its place: unbalanced quote, too many or too few fields, over-long and multi-line records', async () => {
  const csv = [
    'user_loginid;firstname;lastname;shoe_size', // line 1: an unknown column is a warning
    'a1;"Multi', // lines 2-3: one record over two lines
    'line";X;',
    'a2;B;C;42;extra', // line 4: too many fields
    'a3;B', // line 5: too few fields (a warning: the missing cells are empty)
    `a4;${'x'.repeat(300)}`, // line 6: longer than MAX_RECORD_SIZE
    'a5;"open;C', // line 7: a quote never closed
    'a6;F;G;', // line 8: imports
    '',
  ].join('\n');
  const result = await kit.import('learners', csv);
  expect(result.issues.map((i) => [i.line, i.column, i.severity, i.code])).toEqual([
    [1, null, 'WARNING', 'UNKNOWN_COLUMN'],
    [4, null, 'ERROR', 'TOO_MANY_FIELDS'],
    [5, null, 'WARNING', 'TOO_FEW_FIELDS'],
    [6, null, 'ERROR', 'RECORD_TOO_LONG'],
    [7, null, 'ERROR', 'UNCLOSED_QUOTE'],
  ]);
  expect(result.job).toMatchObject({ processed: 6, added: 3, rejected: 3, errors: 3, warnings: 2 });
  const a1 = await kit.manager.findOneByOrFail(Learner, { loginId: 'a1' });
  expect(a1.firstName).toBe('Multi\nline');
  expect(await kit.manager.findOneBy(Learner, { loginId: 'a6' })).not.toBeNull();
  expect(result.logText.split('\n')[0]).toBe('line\tcolumn\tseverity\tcode\tmessage');
  expect(result.logText).toContain('6\t\tERROR\tRECORD_TOO_LONG\tThe record is longer than 200 characters');
});

test('a dry run reports exactly what the run then does, and writes nothing', async () => {
  const csv = 'user_loginid;firstname;email\ndry1;A;a@example.com\ndry2;B;not-mail\ndry1;C;\n';
  const dry = await kit.import('learners', csv, { dryRun: true });
  expect(await kit.manager.findOneBy(Learner, { loginId: 'dry1' })).toBeNull();
  const real = await kit.import('learners', csv);
  const summary = (r: typeof dry) => ({
    counts: (({ processed, rejected, added, updated, unchanged, errors, warnings }) => ({ processed, rejected, added, updated, unchanged, errors, warnings }))(r.job!),
    issues: r.issues.map((i) => [i.line, i.column, i.code]),
  });
  expect(summary(dry)).toEqual(summary(real));
  expect(summary(real).counts).toEqual({ processed: 3, rejected: 1, added: 1, updated: 1, unchanged: 0, errors: 1, warnings: 0 });
});
