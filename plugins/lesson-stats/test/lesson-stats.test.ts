import fs from 'node:fs';
import path from 'node:path';
import { IssueSeverity, OnExisting } from '../../../src/imports/enums';
import { renderMessage } from '../../../src/i18n/messages';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { LessonStatistic } from '../../../src/model/lesson-statistic.entity';
import { AdapterTester, type TestKit } from '../../../src/testing';
import { failOnRowByRow, seedReferenceData, type ReferenceData } from '../../../src/testing/fixtures';
import adapter from '../index';

const LESSON = '{1B38F003-16A9-4432-AB}';
const CLASSROOM = '{3D5AB225-38C6-6654-CD}';
const header = 'user_loginid\tcrsvname\tlsnvname\tlnk_type\tlesson_status\tlesson_status_date\tlesson_score\tlesson_time\tilt_status\n';
const row = (...cells: string[]) => `${cells.join('\t')}\n`;
/** Every word lesson_status reads as a code, and that code. */
const STATUS_WORDS = [
  ['passed', 'P'], ['PASSED', 'P'], ['completed', 'C'], ['failed', 'F'], ['incomplete', 'I'], ['browsed', 'I'], ['not attempted', 'N'],
  ['Not_Attempted', 'N'], ['Passed', 'P'], ['Not started', 'N'], ['Terminé', 'C'], ['Réussi', 'P'], ['Échoué', 'F'], ['ECHOUE', 'F'],
  ['En cours', 'I'], ['non commencé', 'N'], ['NON COMMENCE', 'N'],
] as const;
/** A valid row of demo on the lesson, with its status, date and score. */
const lesson = (status = 'C', date = '2013/03/22', score = '') => row('demo', 'Comics', LESSON, 'L', status, date, score, '', '');

const world: ReferenceData = {
  learners: ['demo', 'jbell'],
  courses: { Comics: { [LESSON]: 'L', [CLASSROOM]: 'T' }, Other: {} },
  enrollments: [
    ['demo', 'Comics'],
    ['jbell', 'Comics'],
  ],
};
const seed = (kit: TestKit) => seedReferenceData(kit, world);

/** The world, plus sessions 1 and 3 of demo on the lesson (a gap, so that "max + 1" differs from "count + 1"). */
async function seedWithSessions(kit: TestKit) {
  const ids = await seed(kit);
  const stat = { learnerId: ids.learner('demo'), itemId: ids.item('Comics', LESSON), statusDate: '2013-01-01', timeSpent: 60, iltStatus: null };
  await kit.manager.insert(LessonStatistic, [
    { ...stat, session: 1, status: 'I', score: 10 },
    { ...stat, session: 3, status: 'F', score: 20 },
  ]);
}

const stats = (kit: TestKit) => kit.manager.find(LessonStatistic, { order: { id: 'ASC' } });
const sessionsOf = async (kit: TestKit) => (await stats(kit)).map((s) => [s.session, s.status]);

new AdapterTester('lesson-stats').run(
  failOnRowByRow({
    valid: [
      {
        name: 'the example file imports, with its decimal comma, hh:mm:ss time, dd/mm/yyyy date and presence',
        before: seed,
        csv: fs.readFileSync(path.join(__dirname, '../example.csv')),
        counts: { processed: 3, added: 3, warnings: 0 },
        then: async (result, kit) => {
          const [first, classroom, third] = await stats(kit);
          expect(first).toMatchObject({ session: 1, status: 'P', statusDate: '2013-03-22', score: 90, timeSpent: 1800, iltStatus: null });
          expect(classroom).toMatchObject({ status: 'C', statusDate: '2013-03-29', score: null, timeSpent: 5400, iltStatus: 'P' });
          expect(third).toMatchObject({ session: 1, status: 'F', score: 42.5 });
          expect(first.createdJobId).toBe(result.job!.id);
          expect(first.updatedJobId).toBeNull();
        },
      },
      {
        name: "the seed's row imports by position from a file without header (trailing tab)",
        before: seed,
        csv: 'demo\tComics\t{1B38F003-16A9-4432-AB}\tL\tP\t22/03/2013\t90\t1800\t\n',
        run: { hasHeader: false },
        counts: { added: 1 },
        then: async (_r, kit) => expect(await stats(kit)).toMatchObject([{ status: 'P', statusDate: '2013-03-22', score: 90 }]),
      },
      {
        name: "SCORM/cmi5 status words and the codes' English and French labels are read as codes, any case and accents, each with a warning",
        before: seed,
        csv: header + STATUS_WORDS.map(([word]) => lesson(word)).join(''),
        counts: { added: STATUS_WORDS.length, rejected: 0, warnings: STATUS_WORDS.length },
        issues: [{ line: 2, code: 'STATUS_WORD_MAPPED', column: 'lesson_status', severity: IssueSeverity.WARNING }],
        then: async (result, kit) => {
          expect((await stats(kit)).map((s) => s.status)).toEqual(STATUS_WORDS.map(([, code]) => code));
          const warnings = result.issues.filter((issue) => issue.code === 'STATUS_WORD_MAPPED');
          expect(warnings.map((issue) => issue.line)).toEqual(STATUS_WORDS.map((_, i) => i + 2)); // one a row
          expect(warnings[0].message).toBe('lesson_status: "passed" read as the code P (passed → P)');
          expect(warnings[1].params).toEqual({ value: 'PASSED', mapped: 'P' });
        },
      },
      {
        name: 'an empty status date takes the date of the import',
        before: seed,
        csv: header + lesson('C', ''),
        then: async (result, kit) => expect((await stats(kit))[0].statusDate).toBe(result.job!.importDate),
      },
      {
        name: 'a status date in the future is a warning and the row is imported',
        before: seed,
        csv: header + lesson('C', '2999-01-01'),
        counts: { added: 1, warnings: 1 },
        issues: [{ line: 2, code: 'FUTURE_DATE', column: 'lesson_status_date', severity: IssueSeverity.WARNING }],
      },
      {
        name: 'presence on a non-classroom item is a warning and is not kept; on a classroom item it is',
        before: seed,
        csv: header + row('demo', 'Comics', LESSON, 'L', 'C', '', '', '', 'P') + row('demo', 'Comics', CLASSROOM, 'T', 'C', '', '', '', 'p'),
        counts: { added: 2, warnings: 1 },
        issues: [{ line: 2, code: 'ILT_STATUS_IGNORED', column: 'ilt_status', severity: IssueSeverity.WARNING }],
        then: async (_r, kit) => expect((await stats(kit)).map((s) => s.iltStatus)).toEqual([null, 'P']),
      },
      {
        name: 'NEW_SESSION (the default) adds the session after the latest one',
        before: seedWithSessions,
        csv: header + lesson('P'),
        counts: { added: 1, updated: 0 },
        then: async (_r, kit) => expect(await sessionsOf(kit)).toEqual([[1, 'I'], [3, 'F'], [4, 'P']]),
      },
      {
        name: 'rows of one file for the same learner and item get sessions 1, 2, 3; other keys count on their own',
        before: seed,
        csv: header + lesson('I') + row('jbell', 'Comics', LESSON, 'L', 'C', '', '', '', '') + lesson('F') + lesson('P'),
        counts: { added: 4 },
        then: async (_r, kit) => expect(await sessionsOf(kit)).toEqual([[1, 'I'], [1, 'C'], [2, 'F'], [3, 'P']]),
      },
      {
        name: 'UPDATE overwrites the latest session, keeps its previous values and records the job',
        before: seedWithSessions,
        csv: header + lesson('P', '2013/04/01', '75'),
        run: { onExisting: OnExisting.UPDATE },
        counts: { updated: 1, added: 0 },
        then: async (result, kit) => {
          const [first, latest] = await stats(kit);
          expect(first).toMatchObject({ session: 1, status: 'I', updatedJobId: null });
          expect(latest).toMatchObject({ session: 3, status: 'P', statusDate: '2013-04-01', score: 75, timeSpent: null });
          expect(latest.updatedJobId).toBe(result.job!.id);
          const versions = await kit.manager.query('SELECT table_name, row_id, previous FROM import_row_versions WHERE job_id = ?', [result.job!.id]);
          expect(versions).toHaveLength(1);
          expect(versions[0].table_name).toBe('lesson_statistics');
          expect(Number(versions[0].row_id)).toBe(latest.id);
          expect(JSON.parse(versions[0].previous)).toEqual({ status: 'F', statusDate: '2013-01-01', score: 20, timeSpent: 60, iltStatus: null });
        },
      },
      {
        name: 'UPDATE adds session 1 when nothing exists, then updates it; identical data is unchanged',
        before: seed,
        csv: header + lesson('I') + lesson('C') + lesson('C'),
        run: { onExisting: OnExisting.UPDATE },
        counts: { added: 1, updated: 1, unchanged: 1 },
        then: async (_r, kit) => expect(await sessionsOf(kit)).toEqual([[1, 'C']]),
      },
      {
        name: 'enrollIfNeeded enrolls a learner once for several rows of the course, with a warning',
        before: (kit) => seedReferenceData(kit, { ...world, enrollments: [] }),
        csv: header + lesson('C') + row('demo', 'Comics', CLASSROOM, 'T', 'C', '', '', '', '') + lesson('P'),
        run: { enrollIfNeeded: true },
        counts: { added: 3, warnings: 1 },
        issues: [{ line: 2, code: 'ENROLLED', severity: IssueSeverity.WARNING }],
        then: async (result, kit) => {
          const enrollments = await kit.manager.find(Enrollment);
          expect(enrollments).toHaveLength(1);
          expect(enrollments[0]).toMatchObject({ role: 'S', available: true, enrolledOn: null, createdJobId: result.job!.id });
        },
      },
      {
        name: 'SCORE_OUT_OF_RANGE and ILT_STATUS_IGNORED have English and French messages',
        before: seed,
        csv: header + lesson('C'),
        then: () => {
          for (const code of ['SCORE_OUT_OF_RANGE', 'ILT_STATUS_IGNORED']) {
            expect(adapter.messages?.[code]).toEqual({ en: expect.any(String), fr: expect.any(String) });
          }
          const params = { column: 'lesson_score', value: '100,5', min: 0, max: 100 };
          expect(renderMessage('SCORE_OUT_OF_RANGE', params, 'fr', adapter.messages)).toContain('100,5');
        },
      },
    ],
    invalid: [
      {
        name: 'an unknown learner, course or item rejects the row, naming the column',
        before: seed,
        csv:
          header +
          row('nobody', 'Comics', LESSON, 'L', 'C', '', '', '', '') +
          row('demo', 'Nope', LESSON, 'L', 'C', '', '', '', '') +
          row('demo', 'Comics', '{NOPE}', 'L', 'C', '', '', '', ''),
        counts: { rejected: 3, added: 0, errors: 3 },
        issues: [
          { line: 2, code: 'UNKNOWN_LEARNER', column: 'user_loginid' },
          { line: 3, code: 'UNKNOWN_COURSE', column: 'crsvname' },
          { line: 4, code: 'UNKNOWN_ITEM', column: 'lsnvname' },
        ],
      },
      {
        name: 'an item that exists in another course only is unknown in this one',
        before: seed,
        csv: header + row('demo', 'Other', LESSON, 'L', 'C', '', '', '', ''),
        counts: { rejected: 1 },
        issues: [{ line: 2, code: 'UNKNOWN_ITEM', column: 'lsnvname' }],
      },
      {
        name: "lnk_type must be the item's type",
        before: seed,
        csv: header + row('demo', 'Comics', LESSON, 'W', 'C', '', '', '', ''),
        counts: { rejected: 1 },
        issues: [{ line: 2, code: 'ITEM_TYPE_MISMATCH', column: 'lnk_type' }],
      },
      {
        name: 'a learner not enrolled in the course is rejected without enrollIfNeeded',
        before: (kit) => seedReferenceData(kit, { ...world, enrollments: [] }),
        csv: header + lesson('C'),
        counts: { rejected: 1 },
        issues: [{ line: 2, code: 'NOT_ENROLLED' }],
        then: async (_r, kit) => expect(await kit.manager.count(Enrollment)).toBe(0),
      },
      {
        name: 'REJECT rejects a row whose statistic exists, in the database or earlier in the file',
        before: seedWithSessions,
        csv: header + lesson('P') + row('jbell', 'Comics', LESSON, 'L', 'C', '', '', '', '') + row('jbell', 'Comics', LESSON, 'L', 'P', '', '', '', ''),
        run: { onExisting: OnExisting.REJECT },
        counts: { rejected: 2, added: 1 },
        issues: [
          { line: 2, code: 'STATUS_EXISTS' },
          { line: 4, code: 'STATUS_EXISTS' },
        ],
      },
      {
        name: 'a score outside 0–100 is SCORE_OUT_OF_RANGE; other bad cells are errors naming their column',
        before: seed,
        csv:
          header +
          lesson('C', '', '100,5') +
          lesson('C', '2013/02/30') +
          row('demo', 'Comics', LESSON, 'X', 'Z', '', 'abc', '1h', 'Y') +
          row('', 'Comics', LESSON, 'L', '', '', '-1', '9999999999', ''),
        counts: { rejected: 4, added: 0 },
        issues: [
          { line: 2, code: 'SCORE_OUT_OF_RANGE', column: 'lesson_score' },
          { line: 3, code: 'INVALID_DATE', column: 'lesson_status_date' },
          { line: 4, code: 'INVALID_CODE', column: 'lnk_type' },
          { line: 4, code: 'INVALID_CODE', column: 'lesson_status' },
          { line: 4, code: 'INVALID_NUMBER', column: 'lesson_score' },
          { line: 4, code: 'INVALID_DURATION', column: 'lesson_time' },
          { line: 4, code: 'INVALID_CODE', column: 'ilt_status' },
          { line: 5, code: 'REQUIRED', column: 'user_loginid' },
          { line: 5, code: 'REQUIRED', column: 'lesson_status' },
          { line: 5, code: 'SCORE_OUT_OF_RANGE', column: 'lesson_score' },
          { line: 5, code: 'OUT_OF_RANGE', column: 'lesson_time' },
        ],
      },
    ],
  }),
);

// One row per batch: what a row needs from an earlier batch must come from the database (real
// run) or from the job's memory (dry run), never from the batch itself.
new AdapterTester('lesson-stats', { env: { BATCH_SIZE: '1' } }).run(
  failOnRowByRow({
    valid: [
      {
        name: 'across batches, sessions follow each other and one enrollment is made',
        before: (kit) => seedReferenceData(kit, { ...world, enrollments: [] }),
        csv: header + lesson('I') + lesson('F') + lesson('P'),
        run: { enrollIfNeeded: true },
        counts: { added: 3, warnings: 1 },
        then: async (_r, kit) => {
          expect(await sessionsOf(kit)).toEqual([[1, 'I'], [2, 'F'], [3, 'P']]);
          expect(await kit.manager.count(Enrollment)).toBe(1);
        },
      },
      {
        name: 'a dry run counts what a real run would (NEW_SESSION, enrollment once) and writes nothing',
        before: (kit) => seedReferenceData(kit, { ...world, enrollments: [] }),
        csv: header + lesson('I') + lesson('F') + lesson('P'),
        run: { dryRun: true, enrollIfNeeded: true },
        counts: { added: 3, warnings: 1 },
        then: async (_r, kit) => {
          expect(await kit.manager.count(LessonStatistic)).toBe(0);
          expect(await kit.manager.count(Enrollment)).toBe(0);
        },
      },
      {
        name: 'a dry run with UPDATE counts added, updated and unchanged as a real run would',
        before: seed,
        csv: header + lesson('I') + lesson('C') + lesson('C'),
        run: { dryRun: true, onExisting: OnExisting.UPDATE },
        counts: { added: 1, updated: 1, unchanged: 1 },
        then: async (_r, kit) => expect(await kit.manager.count(LessonStatistic)).toBe(0),
      },
    ],
    invalid: [
      {
        name: 'a dry run with REJECT rejects a key an earlier batch would have written',
        before: seed,
        csv: header + lesson('I') + lesson('C'),
        run: { dryRun: true, onExisting: OnExisting.REJECT },
        counts: { added: 1, rejected: 1 },
        issues: [{ line: 3, code: 'STATUS_EXISTS' }],
      },
    ],
  }),
);

// The largest batch (BATCH_SIZE ≤ 5000) must go through whole: multi-row inserts in chunks under
// the placeholder limits, and no read-back of generated ids (too deep for SQLite past 1000 rows).
new AdapterTester('lesson-stats', { env: { BATCH_SIZE: '5000' } }).run(
  failOnRowByRow({
    valid: [
      {
        name: 'a batch of 5000 rows for one key is written at once, sessions 1 to 5000',
        before: seed,
        csv: header + row('demo', 'Comics', CLASSROOM, 'T', 'C', '2013/03/22', '50', '60', 'P').repeat(5000),
        counts: { added: 5000 },
        then: async (_r, kit) => {
          const [{ top }] = await kit.manager.query('SELECT MAX(session) AS top FROM lesson_statistics');
          expect(Number(top)).toBe(5000);
        },
      },
    ],
  }),
);
