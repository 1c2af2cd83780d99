import fs from 'node:fs';
import path from 'node:path';
import { IssueSeverity, OnExisting } from '../../../src/imports/enums';
import { CourseStatistic } from '../../../src/model/course-statistic.entity';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { LessonStatistic } from '../../../src/model/lesson-statistic.entity';
import { AdapterTester, type TestKit } from '../../../src/testing';
import { failOnRowByRow, seedReferenceData, type ReferenceData } from '../../../src/testing/fixtures';

const header = 'user_loginid\tcrsvname\tcourse_status\tcourse_status_date\tcourse_enrollement_date\n';
const row = (...cells: string[]) => `${cells.join('\t')}\n`;
/** Every word course_status reads as a code, and that code. */
const STATUS_WORDS = [
  ['completed', 'C'], ['COMPLETED', 'C'], ['incomplete', 'I'], ['browsed', 'I'], ['not attempted', 'N'], ['Not started', 'N'],
  ['Terminé', 'C'], ['termine', 'C'], ['En cours', 'I'], ['Non commencé', 'N'],
] as const;

const world: ReferenceData = {
  learners: ['demo', 'jbell'],
  courses: { course_1: {}, Comics: { lesson_1: 'L' } },
  enrollments: [
    ['demo', 'course_1'],
    ['demo', 'Comics'],
    ['jbell', 'Comics'],
  ],
};
const seed = (kit: TestKit) => seedReferenceData(kit, world);
const unenrolled = (kit: TestKit) => seedReferenceData(kit, { ...world, enrollments: [] });

/** The world, plus sessions 1 and 3 of demo in course_1 (a gap, so that "max + 1" differs from "count + 1"). */
async function seedWithSessions(kit: TestKit) {
  const ids = await seed(kit);
  const stat = { learnerId: ids.learner('demo'), courseId: ids.course('course_1'), statusDate: '2014-01-01', enrollmentDate: '2013-12-01' };
  await kit.manager.insert(CourseStatistic, [
    { ...stat, session: 1, status: 'N' },
    { ...stat, session: 3, status: 'I' },
  ]);
}

const stats = (kit: TestKit) => kit.manager.find(CourseStatistic, { order: { id: 'ASC' } });

new AdapterTester('course-stats').run(
  failOnRowByRow({
    valid: [
      {
        name: 'the example file imports; an empty status date is the date of the import',
        before: seed,
        csv: fs.readFileSync(path.join(__dirname, '../example.csv')),
        counts: { processed: 3, added: 3, warnings: 0 },
        then: async (result, kit) => {
          const [first, second, third] = await stats(kit);
          expect(first).toMatchObject({ session: 1, status: 'I', statusDate: '2014-01-01', enrollmentDate: '2014-01-01' });
          expect(second).toMatchObject({ session: 1, status: 'C', statusDate: '2013-03-29', enrollmentDate: '2013-03-01' });
          expect(third).toMatchObject({ status: 'N', statusDate: result.job!.importDate, enrollmentDate: null });
          expect(first.createdJobId).toBe(result.job!.id);
        },
      },
      {
        name: "the seed's row imports by position from a file without header",
        before: seed,
        csv: 'demo\tcourse_1\tI\t2014/01/01\t2014/01/01\n',
        run: { hasHeader: false },
        counts: { added: 1 },
        then: async (_r, kit) => expect(await stats(kit)).toMatchObject([{ status: 'I', statusDate: '2014-01-01', enrollmentDate: '2014-01-01' }]),
      },
      {
        name: 'the header may spell course_enrollment_date correctly',
        before: seed,
        csv: 'user_loginid;crsvname;course_status;course_enrollment_date\ndemo;course_1;I;2013-12-24\n',
        then: async (_r, kit) => expect((await stats(kit))[0].enrollmentDate).toBe('2013-12-24'),
      },
      {
        name: "SCORM/cmi5 status words and the codes' English and French labels are read as codes, each with a warning",
        before: seed,
        csv: header + STATUS_WORDS.map(([word]) => row('demo', 'course_1', word, '2014/01/01', '')).join(''),
        counts: { added: STATUS_WORDS.length, warnings: STATUS_WORDS.length },
        issues: [{ line: 2, code: 'STATUS_WORD_MAPPED', column: 'course_status', severity: IssueSeverity.WARNING }],
        then: async (result, kit) => {
          expect((await stats(kit)).map((s) => s.status)).toEqual(STATUS_WORDS.map(([, code]) => code));
          const warnings = result.issues.filter((issue) => issue.code === 'STATUS_WORD_MAPPED');
          expect(warnings.map((issue) => [issue.line, issue.params?.mapped])).toEqual(STATUS_WORDS.map(([, code], i) => [i + 2, code]));
          expect(warnings[0].message).toBe('course_status: "completed" read as the code C (completed → C)');
        },
      },
      {
        name: 'a course may be completed although its lessons are not',
        before: async (kit) => {
          const ids = await seed(kit);
          const lesson = { learnerId: ids.learner('demo'), itemId: ids.item('Comics', 'lesson_1'), session: 1 };
          await kit.manager.insert(LessonStatistic, { ...lesson, status: 'I', statusDate: '2013-03-01' });
        },
        csv: header + row('demo', 'Comics', 'C', '2013/03/29', ''),
        counts: { added: 1 },
        then: async (_r, kit) => expect((await stats(kit))[0].status).toBe('C'),
      },
      {
        name: 'NEW_SESSION adds the session after the latest one; sessions count per learner and course',
        before: seedWithSessions,
        csv: header + row('demo', 'course_1', 'C', '', '') + row('demo', 'Comics', 'I', '', '') + row('demo', 'course_1', 'C', '', ''),
        counts: { added: 3 },
        then: async (_r, kit) => {
          const all = await stats(kit);
          expect(all.map((s) => [s.courseId === all[0].courseId ? 'course_1' : 'Comics', s.session])).toEqual([
            ['course_1', 1],
            ['course_1', 3],
            ['course_1', 4],
            ['Comics', 1],
            ['course_1', 5],
          ]);
        },
      },
      {
        name: 'UPDATE overwrites the latest session and keeps its previous values',
        before: seedWithSessions,
        csv: header + row('demo', 'course_1', 'C', '2014/02/01', ''),
        run: { onExisting: OnExisting.UPDATE },
        counts: { updated: 1, added: 0 },
        then: async (result, kit) => {
          const [, latest] = await stats(kit);
          expect(latest).toMatchObject({ session: 3, status: 'C', statusDate: '2014-02-01', enrollmentDate: null, updatedJobId: result.job!.id });
          const versions = await kit.manager.query('SELECT table_name, previous FROM import_row_versions WHERE job_id = ?', [result.job!.id]);
          expect(versions.map((v: { table_name: string; previous: string }) => [v.table_name, JSON.parse(v.previous)])).toEqual([
            ['course_statistics', { status: 'I', statusDate: '2014-01-01', enrollmentDate: '2013-12-01' }],
          ]);
        },
      },
      {
        name: "enrollIfNeeded enrolls once, on the row's enrollment date, with a warning",
        before: unenrolled,
        csv: header + row('demo', 'Comics', 'I', '2013/03/02', '2013/03/01') + row('demo', 'Comics', 'C', '2013/03/29', '2013/03/01'),
        run: { enrollIfNeeded: true },
        counts: { added: 2, warnings: 1 },
        issues: [{ line: 2, code: 'ENROLLED', severity: IssueSeverity.WARNING }],
        then: async (result, kit) => {
          const enrollments = await kit.manager.find(Enrollment);
          expect(enrollments).toMatchObject([{ role: 'S', available: true, enrolledOn: '2013-03-01', createdJobId: result.job!.id }]);
        },
      },
      {
        name: 'dates in the future are warnings naming their column',
        before: seed,
        csv: header + row('demo', 'course_1', 'I', '2999-01-01', '2999-01-01 08:00'),
        counts: { added: 1, warnings: 2 },
        issues: [
          { line: 2, code: 'FUTURE_DATE', column: 'course_status_date', severity: IssueSeverity.WARNING },
          { line: 2, code: 'FUTURE_DATE', column: 'course_enrollement_date', severity: IssueSeverity.WARNING },
        ],
      },
    ],
    invalid: [
      {
        name: 'an unknown learner or course rejects the row',
        before: seed,
        csv: header + row('nobody', 'course_1', 'C', '', '') + row('demo', 'nope', 'C', '', ''),
        counts: { rejected: 2 },
        issues: [
          { line: 2, code: 'UNKNOWN_LEARNER', column: 'user_loginid' },
          { line: 3, code: 'UNKNOWN_COURSE', column: 'crsvname' },
        ],
      },
      {
        name: 'a learner not enrolled is rejected without enrollIfNeeded',
        before: unenrolled,
        csv: header + row('demo', 'Comics', 'C', '', ''),
        counts: { rejected: 1 },
        issues: [{ line: 2, code: 'NOT_ENROLLED' }],
      },
      {
        name: 'REJECT rejects a row whose statistic exists',
        before: seedWithSessions,
        csv: header + row('demo', 'course_1', 'C', '', '') + row('jbell', 'Comics', 'C', '', ''),
        run: { onExisting: OnExisting.REJECT },
        counts: { rejected: 1, added: 1 },
        issues: [{ line: 2, code: 'STATUS_EXISTS' }],
      },
      {
        name: 'the words of lesson statuses a course has not (passed, failed, Réussi) are not guessed: INVALID_CODE',
        before: seed,
        csv: header + row('demo', 'course_1', 'passed', '', '') + row('demo', 'course_1', 'failed', '', '') + row('demo', 'course_1', 'Réussi', '', ''),
        counts: { rejected: 3, warnings: 0 },
        issues: [
          { line: 2, code: 'INVALID_CODE', column: 'course_status' },
          { line: 3, code: 'INVALID_CODE', column: 'course_status' },
          { line: 4, code: 'INVALID_CODE', column: 'course_status' },
        ],
      },
      {
        name: 'impossible dates, lesson-only statuses and missing values are errors naming their column',
        before: seed,
        csv: header + row('demo', 'course_1', 'P', '2013/02/30', '31/04/2013') + row('demo', '', '', '', ''),
        counts: { rejected: 2 },
        issues: [
          { line: 2, code: 'INVALID_CODE', column: 'course_status' },
          { line: 2, code: 'INVALID_DATE', column: 'course_status_date' },
          { line: 2, code: 'INVALID_DATE', column: 'course_enrollement_date' },
          { line: 3, code: 'REQUIRED', column: 'crsvname' },
          { line: 3, code: 'REQUIRED', column: 'course_status' },
        ],
      },
    ],
  }),
);

// One row per batch: a dry run must remember what earlier batches would have written.
new AdapterTester('course-stats', { env: { BATCH_SIZE: '1' } }).run(
  failOnRowByRow({
    valid: [
      {
        name: 'a dry run across batches counts sessions and one enrollment as a real run would, and writes nothing',
        before: unenrolled,
        csv: header + row('demo', 'Comics', 'I', '', '') + row('demo', 'Comics', 'C', '', ''),
        run: { dryRun: true, enrollIfNeeded: true, onExisting: OnExisting.UPDATE },
        counts: { added: 1, updated: 1, warnings: 1 },
        then: async (_r, kit) => {
          expect(await kit.manager.count(CourseStatistic)).toBe(0);
          expect(await kit.manager.count(Enrollment)).toBe(0);
        },
      },
    ],
  }),
);
