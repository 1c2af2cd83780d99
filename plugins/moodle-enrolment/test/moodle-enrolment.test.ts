import fs from 'node:fs';
import path from 'node:path';
import { IssueSeverity, OnExisting } from '../../../src/imports/enums';
import { Course } from '../../../src/model/course.entity';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { failOnRowByRow } from '../../../src/testing/fixtures';
import { AdapterTester, type TestKit } from '../../../src/testing';
import { addCourses, coursesThenEnrolled, enrollment, learners } from '../../blackboard-enrollment/test/helpers';

// Lines as Moodle's "Flat file (CSV)" enrolment plugin reads them:
// operation, role shortname, user idnumber, course idnumber[, starttime[, endtime]].
const REJECT = { onExisting: OnExisting.REJECT };

/** A `before` hook: the two courses, then the given lines imported by this adapter. */
const enrolled = (lines?: string) => coursesThenEnrolled(lines, 'moodle-enrolment');

async function kept(kit: TestKit, jobId: number): Promise<unknown[]> {
  const rows: Array<{ previous: string }> = await kit.manager.query('SELECT previous FROM import_row_versions WHERE job_id = ? ORDER BY id', [jobId]);
  return rows.map((row) => JSON.parse(row.previous));
}

new AdapterTester('moodle-enrolment').run(
  failOnRowByRow({
    valid: [
      {
        name: 'the example file imports after the learners and catalog examples',
        given: ['learners', 'catalog'].map((adapter) => ({ adapter, csv: fs.readFileSync(path.join(__dirname, `../../${adapter}/example.csv`), 'utf8') })),
        csv: fs.readFileSync(path.join(__dirname, '../example.csv')),
        counts: { processed: 5, added: 5, warnings: 0 },
      },
      {
        name: "Moodle's own example file (enrol/flatfile/example.txt): spaces after commas, numeric idnumbers, teacheredit, times",
        given: [{ adapter: 'learners', csv: `user_loginid\n${['5', '6', '7', '8', '17', '21'].join('\n')}\n` }],
        before: (kit) => kit.manager.insert(Course, { code: 'CF101', title: 'CF101', kind: 'course' }),
        csv: 'add, student, 5, CF101\nadd, teacher, 6, CF101\nadd, teacheredit, 7, CF101\ndel, student, 8, CF101\ndel, student, 17, CF101\nadd, student, 21, CF101, 1091115000, 1091215000\n',
        counts: { processed: 6, added: 4, unchanged: 2, warnings: 2 },
        issues: [
          { line: 4, code: 'NOT_ENROLLED', severity: IssueSeverity.WARNING },
          { line: 5, code: 'NOT_ENROLLED', severity: IssueSeverity.WARNING },
        ],
        then: async (_result, kit) => {
          const roles = await Promise.all(['5', '6', '7', '21'].map((login) => enrollment(kit, login, 'CF101')));
          expect(roles.map((e) => e!.role)).toEqual(['S', 'P', 'P', 'S']);
        },
      },
      {
        name: 'every course role shortname maps to its enrollment role, in any case; times are optional',
        given: learners,
        before: async (kit) => {
          await addCourses(kit);
          await kit.manager.insert(Course, ['C3', 'C4', 'C5', 'C6'].map((code) => ({ code, title: code, kind: 'course' as const })));
        },
        csv: 'add,student,jbell,ENG_201\nadd,editingteacher,jbell,ENG_202,0\nadd,teacher,jbell,C3,1767225600,0\nadd,MANAGER,jbell,C4,,1782864000\nadd,coursecreator,jbell,C5\nadd, guest ,jbell,C6\n',
        counts: { processed: 6, added: 6 },
        then: async (result, kit) => {
          expect(result.file).toMatchObject({ delimiter: ',', hasHeader: false });
          const roles = await Promise.all(['ENG_201', 'ENG_202', 'C3', 'C4', 'C5', 'C6'].map((code) => enrollment(kit, 'jbell', code)));
          expect(roles.map((e) => [e!.role, e!.available])).toEqual([['S', true], ['P', true], ['P', true], ['B', true], ['B', true], ['U', true]]);
          expect(roles[0]).toMatchObject({ enrolledOn: result.job!.importDate, createdJobId: result.job!.id, updatedJobId: null });
        },
      },
      {
        name: 'del unenrols: the enrollment is kept, made unavailable, its previous value kept for undo',
        given: learners,
        before: enrolled('add,editingteacher,jbell,ENG_201\n'),
        csv: 'del,editingteacher,jbell,ENG_201\r\n',
        counts: { processed: 1, updated: 1 },
        then: async (result, kit) => {
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'P', available: false, updatedJobId: result.job!.id });
          expect(await kit.manager.count(Enrollment)).toBe(1);
          expect(await kept(kit, result.job!.id)).toEqual([{ available: true }]);
        },
      },
      {
        name: 'add after del re-enables the enrollment, with the role of the line',
        given: learners,
        before: enrolled('add,student,jbell,ENG_201\ndel,student,jbell,ENG_201\n'),
        csv: 'add,teacher,jbell,ENG_201\n',
        counts: { updated: 1 },
        then: async (result, kit) => {
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'P', available: true });
          expect(await kept(kit, result.job!.id)).toEqual([{ role: 'S', available: false }]);
        },
      },
      {
        name: 'add then del of one pair in one file: added, then unenrolled; a repeated line is unchanged',
        given: learners,
        before: enrolled(),
        csv: 'add,student,jbell,ENG_201\nadd,student,jbell,ENG_201\ndel,student,jbell,ENG_201\n',
        counts: { added: 1, unchanged: 1, updated: 1 },
        then: async (_result, kit) => {
          expect(await kit.manager.count(Enrollment)).toBe(1);
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ available: false });
        },
      },
      {
        name: 'importing the same file again changes nothing (idempotent)',
        given: learners,
        before: enrolled('add,student,amartin,ENG_202\n'),
        csv: 'add,student,jbell,ENG_201\nadd,teacher,demo,ENG_201,1767225600,1782864000\ndel,student,amartin,ENG_202\n',
        counts: { processed: 3, added: 2, updated: 1 },
        then: async (result, kit) => {
          const again = await kit.import('moodle-enrolment', 'add,student,jbell,ENG_201\nadd,teacher,demo,ENG_201,1767225600,1782864000\ndel,student,amartin,ENG_202\n');
          expect(again.job).toMatchObject({ processed: 3, unchanged: 3, added: 0, updated: 0, errors: 0 });
          expect(await kit.manager.countBy(Enrollment, { updatedJobId: again.job!.id })).toBe(0);
          expect(await kit.manager.countBy(Enrollment, { createdJobId: result.job!.id })).toBe(2);
        },
      },
      {
        name: 'del of a learner who is not enrolled is a warning and changes nothing, as Moodle skips it',
        given: learners,
        before: enrolled(),
        csv: 'del,student,jbell,ENG_201\n',
        counts: { unchanged: 1, warnings: 1 },
        issues: [{ line: 1, code: 'NOT_ENROLLED', severity: IssueSeverity.WARNING, column: 'operation' }],
        then: async (_result, kit) => expect(await kit.manager.count(Enrollment)).toBe(0),
      },
    ],
    invalid: [
      {
        name: 'an unknown role, operation or time is an error naming the column; the valid lines import',
        given: learners,
        before: enrolled(),
        csv: 'add,student,jbell,ENG_201\nadd,user,jbell,ENG_202\nupdate,student,demo,ENG_201\nadd,student,demo,ENG_202,tomorrow\nadd,student,amartin,ENG_202,1767225600,-1\nadd,student,amartin,ENG_201,1782864000,1767225600\n',
        counts: { processed: 6, added: 1, rejected: 5, errors: 5 },
        issues: [
          { line: 2, code: 'UNKNOWN_ROLE', column: 'role' },
          { line: 3, code: 'INVALID_CODE', column: 'operation' },
          { line: 4, code: 'INVALID_TIME', column: 'starttime' },
          { line: 5, code: 'INVALID_TIME', column: 'endtime' },
          { line: 6, code: 'END_BEFORE_START', column: 'endtime' },
        ],
        then: async (result) => {
          expect(result.logText).toContain('allowed: student, editingteacher, teacher, teacheredit, manager, coursecreator, guest');
          expect(result.rejectsCsv).toContain('add,user,jbell,ENG_202');
        },
      },
      {
        name: 'a missing course idnumber and a line of three fields are errors',
        given: learners,
        before: enrolled(),
        csv: 'add,student,jbell,ENG_201\nadd,student,demo,\nadd,student,amartin\nadd,student,demo,ENG_202\n',
        counts: { processed: 4, added: 2, rejected: 2 },
        issues: [{ line: 2, code: 'REQUIRED', column: 'course_idnumber' }, { line: 3, severity: IssueSeverity.ERROR }],
      },
      {
        name: 'an unknown learner or course is rejected with the usual codes',
        given: learners,
        before: enrolled(),
        csv: 'add,student,nobody,ENG_201\nadd,student,jbell,NO_COURSE\nadd,student,demo,ENG_201\n',
        counts: { processed: 3, rejected: 2, added: 1 },
        issues: [
          { line: 1, code: 'UNKNOWN_LEARNER', column: 'user_idnumber' },
          { line: 2, code: 'UNKNOWN_COURSE', column: 'course_idnumber' },
        ],
      },
      {
        name: 'REJECT: a line that would change an enrollment (role, or del) is rejected; an identical one is unchanged',
        given: learners,
        before: enrolled('add,student,jbell,ENG_201\n'),
        csv: 'add,student,jbell,ENG_201\nadd,teacher,jbell,ENG_201\ndel,student,jbell,ENG_201\n',
        run: REJECT,
        counts: { unchanged: 1, rejected: 2 },
        issues: [
          { line: 2, code: 'ENROLLMENT_EXISTS', column: 'role' },
          { line: 3, code: 'ENROLLMENT_EXISTS', column: 'operation' },
        ],
        then: async (result, kit) => {
          expect(result.logText).toContain('role S → P');
          expect(result.logText).toContain('available Y → N');
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'S', available: true });
        },
      },
      {
        name: 'the rejects file, corrected or not, re-imports as it is',
        given: learners,
        before: enrolled(),
        csv: 'add,student,jbell,ENG_201\nadd,student,nobody,ENG_201\nadd,tutor,demo,ENG_202\n',
        counts: { added: 1, rejected: 2 },
        then: async (result, kit) => {
          const again = await kit.import('moodle-enrolment', result.rejectsCsv);
          expect(again.job).toMatchObject({ processed: 2, rejected: 2 });
          expect(again.issues.map((issue) => issue.code).sort()).toEqual(['UNKNOWN_LEARNER', 'UNKNOWN_ROLE']);
          const fixed = await kit.import('moodle-enrolment', result.rejectsCsv.replace('nobody', 'amartin').replace('tutor', 'student'));
          expect(fixed.job).toMatchObject({ processed: 2, added: 2, errors: 0 });
        },
      },
    ],
  }),
);

// Two lines per batch: an add and its del in different batches, and a dry run across them.
const spanning = 'add,student,jbell,ENG_201\nadd,guest,demo,ENG_202\ndel,student,jbell,ENG_201\nadd,teacher,demo,ENG_202\nadd,student,jbell,ENG_201\ndel,guest,nobody,ENG_202\n';
new AdapterTester('moodle-enrolment', { env: { BATCH_SIZE: '2' } }).run(
  failOnRowByRow({
    invalid: [
      {
        name: 'across batches, and a dry run counts exactly like the real run while writing nothing',
        given: learners,
        before: enrolled(),
        csv: spanning,
        run: { dryRun: true },
        counts: { processed: 6, added: 2, updated: 3, rejected: 1 },
        then: async (dry, kit) => {
          expect(await kit.manager.count(Enrollment)).toBe(0);
          const real = await kit.import('moodle-enrolment', spanning);
          const counters = ({ processed, added, updated, unchanged, rejected }: typeof dry.job & object) => ({ processed, added, updated, unchanged, rejected });
          expect(counters(real.job!)).toEqual(counters(dry.job!));
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'S', available: true });
          expect(await enrollment(kit, 'demo', 'ENG_202')).toMatchObject({ role: 'P', available: true });
        },
      },
    ],
  }),
);
