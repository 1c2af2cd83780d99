import { ImportJob } from '../../src/imports/import-job.entity';
import { Learner } from '../../src/model/learner.entity';
import { TestKit } from '../../src/testing';

/**
 * A record longer than MAX_RECORD_SIZE (64 KiB by default) is one RECORD_TOO_LONG error
 * wherever it is, the first record included: the check step reads on to the records after it
 * instead of calling the file empty. A header too long to read is a file-level problem.
 */

let kit: TestKit;
beforeAll(async () => {
  kit = await TestKit.create();
});
afterAll(() => kit?.close());

const counts = (job: ImportJob | null) =>
  job && (({ status, processed, added, rejected, errors, warnings }) => ({ status, processed, added, rejected, errors, warnings }))(job);
const codes = (issues: { line: number | null; code: string }[]) => issues.map((issue) => [issue.line, issue.code]);

describe.each([
  ['100 KB', 100_000],
  ['5 MB', 5_000_000],
])('a %s first record', (_name, length) => {
  const long = `long1;${'x'.repeat(length)}`;

  test.each([
    ['with a header, said', true],
    ['with a header, detected', null],
  ])('after the header: one error, the record after it imports (%s)', async (_how, hasHeader) => {
    const login = `after-header-${length}-${hasHeader}`;
    const result = await kit.import('learners', `user_loginid;firstname\n${long}\n${login};Ann\n`, { hasHeader: hasHeader ?? undefined });
    expect(result.file.problems).toEqual([]);
    expect(result.file).toMatchObject({ hasHeader: true, preview: [[login, 'Ann']] });
    expect(counts(result.job)).toEqual({ status: 'SUCCEEDED', processed: 2, added: 1, rejected: 1, errors: 1, warnings: 0 });
    expect(codes(result.issues)).toEqual([[2, 'RECORD_TOO_LONG']]);
    expect(await kit.manager.findOneBy(Learner, { loginId: login })).not.toBeNull();
  });

  test.each([
    ['without a header, said', false],
    ['without a header, detected', null],
  ])('as line 1: one error, the record after it imports (%s)', async (_how, hasHeader) => {
    const login = `no-header-${length}-${hasHeader}`;
    const result = await kit.import('learners', `${long}\n${login};Bob\n`, { hasHeader: hasHeader ?? undefined });
    expect(result.file.problems).toEqual([]);
    expect(result.file).toMatchObject({ hasHeader: false, preview: [[login, 'Bob']] });
    expect(counts(result.job)).toEqual({ status: 'SUCCEEDED', processed: 2, added: 1, rejected: 1, errors: 1, warnings: 0 });
    expect(codes(result.issues)).toEqual([[1, 'RECORD_TOO_LONG']]);
  });

  test.each([
    ['said', true],
    ['detected from its first cells', null],
  ])('a header too long to read is a file-level problem, not an empty file (%s)', async (_how, hasHeader) => {
    const header = `user_loginid;firstname;${'y'.repeat(length)}`;
    const result = await kit.import('learners', `${header}\nlonghead-${length};Cy\n`, { hasHeader: hasHeader ?? undefined });
    expect(result.file.problems).toEqual([
      expect.objectContaining({ line: 1, severity: 'ERROR', code: 'HEADER_UNREADABLE', message: 'The header cannot be read: longer than 65536 characters' }),
    ]);
    expect(result.refused).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

test('a file of nothing but one over-long record is unreadable, not empty', async () => {
  const result = await kit.import('learners', `${'z'.repeat(70_000)}\n`, { hasHeader: false });
  expect(result.file.problems).toEqual([expect.objectContaining({ code: 'UNREADABLE_FILE', line: 1 })]);
});
