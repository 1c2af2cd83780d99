import assert from 'node:assert/strict';
import type { CourseKind } from '../../../src/model/codes';
import { Course } from '../../../src/model/course.entity';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { Learner } from '../../../src/model/learner.entity';
import type { ImportResult, TestKit } from '../../../src/testing';

/** jbell and demo may sign in, amartin may not. */
export const learners = [
  {
    adapter: 'learners',
    csv: 'user_loginid;firstname;lastname;email;available\njbell;Jane;Bell;;Y\namartin;Alice;Martin;;N\ndemo;Demo;;;Y\n',
  },
];

/** Inserts courses directly: the catalog adapter is not needed to test enrollments. */
export async function addCourses(kit: TestKit, codes: string[] = ['ENG_201', 'ENG_202'], kind: CourseKind = 'course'): Promise<void> {
  await kit.manager.insert(Course, codes.map((code) => ({ code, title: code, kind })));
}

/** A `before` hook: ENG_201 and ENG_202, then (optionally) enrollments imported by an enrollment adapter (this one by default). */
export function coursesThenEnrolled(csv?: string, adapter = 'blackboard-enrollment') {
  return async (kit: TestKit): Promise<void> => {
    await addCourses(kit);
    if (!csv) return;
    const result = await kit.import(adapter, csv);
    assert.ok(result.job && result.job.errors === 0, `the enrollments before the case did not import:\n${result.logText}`);
  };
}

export async function learner(kit: TestKit, loginId: string): Promise<Learner> {
  return kit.manager.findOneByOrFail(Learner, { loginId });
}

/** The enrollment of a learner in a course, or null. */
export async function enrollment(kit: TestKit, loginId: string, courseCode: string): Promise<Enrollment | null> {
  const course = await kit.manager.findOneByOrFail(Course, { code: courseCode });
  return kit.manager.findOneBy(Enrollment, { learnerId: (await learner(kit, loginId)).id, courseId: course.id });
}

/** The previous values the job kept, as [table, previous] in the order they were kept. */
export async function keptVersions(kit: TestKit, result: ImportResult): Promise<Array<[string, unknown]>> {
  const rows: Array<{ table_name: string; previous: string }> = await kit.manager.query(
    'SELECT table_name, previous FROM import_row_versions WHERE job_id = ? ORDER BY id',
    [result.job!.id],
  );
  return rows.map((row) => [row.table_name, JSON.parse(row.previous)]);
}
