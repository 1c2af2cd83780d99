import fs from 'node:fs';
import path from 'node:path';
import { IssueSeverity, OnExisting } from '../../../src/imports/enums';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { failOnRowByRow } from '../../../src/testing/fixtures';
import { AdapterTester, type TestKit } from '../../../src/testing';
import { addCourses, coursesThenEnrolled, enrollment, learners } from '../../blackboard-enrollment/test/helpers';

// enrollments.csv as Canvas's SIS import reads it: a header, then one enrollment a row.
const HEADER = 'course_id,user_id,role,section_id,status\n';
const REJECT = { onExisting: OnExisting.REJECT };

/** A `before` hook: the two courses, then the given rows (after the header) imported by this adapter. */
const enrolled = (rows?: string) => coursesThenEnrolled(rows ? HEADER + rows : undefined, 'canvas-enrollments');

async function kept(kit: TestKit, jobId: number): Promise<unknown[]> {
  const rows: Array<{ previous: string }> = await kit.manager.query('SELECT previous FROM import_row_versions WHERE job_id = ? ORDER BY id', [jobId]);
  return rows.map((row) => JSON.parse(row.previous));
}

new AdapterTester('canvas-enrollments').run(
  failOnRowByRow({
    valid: [
      {
        name: 'the example file imports after the learners and catalog examples',
        given: ['learners', 'catalog'].map((adapter) => ({ adapter, csv: fs.readFileSync(path.join(__dirname, `../../${adapter}/example.csv`), 'utf8') })),
        csv: fs.readFileSync(path.join(__dirname, '../example.csv')),
        counts: { processed: 5, added: 5, warnings: 0 },
        then: (result) => expect(result.file).toMatchObject({ delimiter: ',', hasHeader: true }),
      },
      {
        name: "the shape of Canvas's documentation sample: numeric and mixed SIS ids, sections next to the course, CRLF",
        given: [{ adapter: 'learners', csv: 'user_loginid\n01103\n13834\n13aa3\n' }],
        before: (kit) => addCourses(kit, ['E411208']),
        csv: 'course_id,user_id,role,section_id,status\r\nE411208,01103,student,1B,active\r\nE411208,13834,student,2A,active\r\nE411208,13aa3,teacher,2A,active\r\n',
        counts: { processed: 3, added: 3, warnings: 0 },
        then: async (_result, kit) => {
          // "01103" is a login as written, never the number 1103.
          expect(await enrollment(kit, '01103', 'E411208')).toMatchObject({ role: 'S', available: true });
          expect(await enrollment(kit, '13aa3', 'E411208')).toMatchObject({ role: 'P' });
        },
      },
      {
        name: 'every role maps to its enrollment role, in any case; a section next to the course is read and ignored',
        given: learners,
        before: (kit) => addCourses(kit, ['C1', 'C2', 'C3', 'C4', 'C5']),
        csv: `${HEADER}C1,jbell,student,,active\nC2,jbell,teacher,C2_S1,active\nC3,jbell,TA,,active\nC4,jbell,designer,,active\nC5,jbell,Observer,,active\n`,
        counts: { processed: 5, added: 5 },
        then: async (result, kit) => {
          const stored = await Promise.all(['C1', 'C2', 'C3', 'C4', 'C5'].map((code) => enrollment(kit, 'jbell', code)));
          expect(stored.map((e) => e!.role)).toEqual(['S', 'P', 'T', 'B', 'U']);
          expect(stored[0]).toMatchObject({ available: true, enrolledOn: result.job!.importDate, createdJobId: result.job!.id });
        },
      },
      {
        name: 'columns in another order, with other Canvas columns (ignored with a warning); completed and inactive add unavailable enrollments',
        given: learners,
        before: enrolled(),
        csv: 'user_id,status,course_id,role,root_account\njbell,completed,ENG_201,student,canvas.example.edu\ndemo,INACTIVE,ENG_201,teacher,canvas.example.edu\n',
        counts: { added: 2 },
        issues: [{ code: 'UNKNOWN_COLUMN', severity: IssueSeverity.WARNING }],
        then: async (_result, kit) => {
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'S', available: false });
          expect(await enrollment(kit, 'demo', 'ENG_201')).toMatchObject({ role: 'P', available: false });
        },
      },
      {
        name: 'deleted makes the enrollment unavailable and keeps it (and its role); active again re-enables it',
        given: learners,
        before: enrolled('ENG_201,jbell,teacher,,active\n'),
        csv: `${HEADER}ENG_201,jbell,student,,deleted\n`,
        counts: { updated: 1 },
        then: async (result, kit) => {
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'P', available: false, updatedJobId: result.job!.id });
          expect(await kept(kit, result.job!.id)).toEqual([{ available: true }]);
          const again = await kit.import('canvas-enrollments', `${HEADER}ENG_201,jbell,teacher,,active\n`);
          expect(again.job).toMatchObject({ updated: 1, errors: 0 });
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'P', available: true });
          expect(await kit.manager.count(Enrollment)).toBe(1);
        },
      },
      {
        name: 'completed changes the role and availability of an existing enrollment, previous values kept',
        given: learners,
        before: enrolled('ENG_201,jbell,student,,active\n'),
        csv: `${HEADER}ENG_201,jbell,ta,,completed\n`,
        counts: { updated: 1 },
        then: async (result, kit) => {
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'T', available: false });
          expect(await kept(kit, result.job!.id)).toEqual([{ role: 'S', available: true }]);
        },
      },
      {
        name: 'a pair repeated in one file: added once, the repeat unchanged, a later deleted applied',
        given: learners,
        before: enrolled(),
        csv: `${HEADER}ENG_201,jbell,student,,active\nENG_201,jbell,student,,active\nENG_201,jbell,student,,deleted\n`,
        counts: { added: 1, unchanged: 1, updated: 1 },
        then: async (_result, kit) => {
          expect(await kit.manager.count(Enrollment)).toBe(1);
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ available: false });
        },
      },
      {
        name: 'importing the same file again changes nothing (idempotent)',
        given: learners,
        before: enrolled('ENG_202,amartin,student,,active\n'),
        csv: `${HEADER}ENG_201,jbell,student,,active\nENG_201,demo,observer,,inactive\nENG_202,amartin,student,,deleted\n`,
        counts: { added: 2, updated: 1 },
        then: async (_result, kit) => {
          const again = await kit.import('canvas-enrollments', `${HEADER}ENG_201,jbell,student,,active\nENG_201,demo,observer,,inactive\nENG_202,amartin,student,,deleted\n`);
          expect(again.job).toMatchObject({ processed: 3, unchanged: 3, added: 0, updated: 0, errors: 0 });
          expect(await kit.manager.countBy(Enrollment, { updatedJobId: again.job!.id })).toBe(0);
        },
      },
      {
        name: 'without the header Canvas requires, the row is read in the documented column order',
        given: learners,
        before: enrolled(),
        csv: 'ENG_201,jbell,ta,,active\nENG_202,jbell,student,,completed\n',
        counts: { added: 2 },
        then: async (result, kit) => {
          expect(result.file.hasHeader).toBe(false);
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'T', available: true });
        },
      },
      {
        name: 'deleted for a learner who is not enrolled is a warning and adds nothing',
        given: learners,
        before: enrolled(),
        csv: `${HEADER}ENG_201,jbell,student,,deleted\n`,
        counts: { unchanged: 1, warnings: 1 },
        issues: [{ line: 2, code: 'NOT_ENROLLED', column: 'status', severity: IssueSeverity.WARNING }],
        then: async (_result, kit) => expect(await kit.manager.count(Enrollment)).toBe(0),
      },
    ],
    invalid: [
      {
        name: 'an unknown role or status is an error naming the allowed values; the valid rows import',
        given: learners,
        before: enrolled(),
        csv: `${HEADER}ENG_201,jbell,student,,active\nENG_202,jbell,TeacherAide,,active\nENG_201,demo,student,,invited\nENG_202,demo,,,active\nENG_202,amartin,student,,\n`,
        counts: { processed: 5, added: 1, rejected: 4, errors: 4 },
        issues: [
          { line: 3, code: 'UNKNOWN_ROLE', column: 'role' },
          { line: 4, code: 'INVALID_CODE', column: 'status' },
          { line: 5, code: 'REQUIRED', column: 'role' },
          { line: 6, code: 'REQUIRED', column: 'status' },
        ],
        then: (result) => {
          expect(result.logText).toContain('allowed: student, teacher, ta, designer, observer');
          expect(result.logText).toContain('allowed: active, deleted, completed, inactive');
        },
      },
      {
        name: 'a row with a section and no course is SECTION_NOT_SUPPORTED; with neither, course_id is REQUIRED; no user_id is REQUIRED',
        given: learners,
        before: enrolled(),
        csv: `${HEADER}ENG_201,jbell,student,,active\n,jbell,student,ENG_201_S1,active\n,demo,student,,active\nENG_201,,student,,active\n`,
        counts: { processed: 4, added: 1, rejected: 3 },
        issues: [
          { line: 3, code: 'SECTION_NOT_SUPPORTED', column: 'course_id' },
          { line: 4, code: 'REQUIRED', column: 'course_id' },
          { line: 5, code: 'REQUIRED', column: 'user_id' },
        ],
      },
      {
        name: 'a header without a required column is refused before anything is written',
        given: learners,
        before: enrolled(),
        csv: 'course_id,user_id,role\nENG_201,jbell,student\n',
        issues: [{ code: 'MISSING_COLUMN', severity: IssueSeverity.ERROR }],
        then: async (result, kit) => {
          expect(result.job).toBeNull();
          expect(await kit.manager.count(Enrollment)).toBe(0);
        },
      },
      {
        name: 'an unknown learner or course is rejected with the usual codes',
        given: learners,
        before: enrolled(),
        csv: `${HEADER}ENG_201,nobody,student,,active\nNO_COURSE,jbell,student,,active\nENG_201,demo,student,,active\n`,
        counts: { processed: 3, rejected: 2, added: 1 },
        issues: [
          { line: 2, code: 'UNKNOWN_LEARNER', column: 'user_id' },
          { line: 3, code: 'UNKNOWN_COURSE', column: 'course_id' },
        ],
      },
      {
        name: 'REJECT: a row that would change an enrollment is rejected; an identical one is unchanged',
        given: learners,
        before: enrolled('ENG_201,jbell,student,,active\n'),
        csv: `${HEADER}ENG_201,jbell,student,,active\nENG_201,jbell,ta,,active\nENG_201,jbell,student,,deleted\n`,
        run: REJECT,
        counts: { unchanged: 1, rejected: 2 },
        issues: [
          { line: 3, code: 'ENROLLMENT_EXISTS', column: 'role' },
          { line: 4, code: 'ENROLLMENT_EXISTS', column: 'status' },
        ],
        then: async (result, kit) => {
          expect(result.logText).toContain('role S → T');
          expect(result.logText).toContain('available Y → N');
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'S', available: true });
        },
      },
      {
        name: 'the rejects file keeps the header and re-imports as it is, then corrected',
        given: learners,
        before: enrolled(),
        csv: `${HEADER}ENG_201,jbell,student,,active\nENG_201,nobody,student,,active\nENG_202,demo,tutor,,active\n`,
        counts: { added: 1, rejected: 2 },
        then: async (result, kit) => {
          const again = await kit.import('canvas-enrollments', result.rejectsCsv);
          expect(again.job).toMatchObject({ processed: 2, rejected: 2 });
          expect(again.issues.filter((issue) => issue.severity === IssueSeverity.ERROR).map((issue) => issue.code).sort()).toEqual(['UNKNOWN_LEARNER', 'UNKNOWN_ROLE']);
          const fixed = await kit.import('canvas-enrollments', result.rejectsCsv.replace('nobody', 'amartin').replace('tutor', 'observer'));
          expect(fixed.job).toMatchObject({ processed: 2, added: 2, errors: 0 });
        },
      },
    ],
  }),
);

// Two rows per batch: a pair's rows in different batches, and a dry run across them.
const spanning = `${HEADER}ENG_201,jbell,student,,active\nENG_202,demo,observer,,active\nENG_201,jbell,student,,deleted\nENG_202,demo,teacher,,active\nENG_201,jbell,student,,active\nENG_202,nobody,student,,active\n`;
new AdapterTester('canvas-enrollments', { env: { BATCH_SIZE: '2' } }).run(
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
          const real = await kit.import('canvas-enrollments', spanning);
          const counters = ({ processed, added, updated, unchanged, rejected }: typeof dry.job & object) => ({ processed, added, updated, unchanged, rejected });
          expect(counters(real.job!)).toEqual(counters(dry.job!));
          expect(await enrollment(kit, 'jbell', 'ENG_201')).toMatchObject({ role: 'S', available: true });
          expect(await enrollment(kit, 'demo', 'ENG_202')).toMatchObject({ role: 'P', available: true });
        },
      },
    ],
  }),
);
