import type { ImportContext } from '../../src/adapters/define-adapter';
import { coursesByCode } from '../../src/adapters/references';
import { Course } from '../../src/model/course.entity';
import { CourseItem } from '../../src/model/course-item.entity';
import type { Change, Plan, Target } from './decide';
import { insertRows } from '../../src/db/bulk';

const inserted = <V>(target: Target<V> | undefined): V | undefined =>
  target?.change && 'insert' in target.change ? target.change.insert : undefined;

const updated = <V>(target: Target<V> | undefined) =>
  target?.change && 'update' in target.change ? (target.change as Extract<Change<V>, { update: unknown }>) : undefined;

/** A plan with the line of the file it comes from. */
export interface Lined {
  line: number;
}

/**
 * Writes a batch's plans: new courses first, then their ids re-read in one query, so that the
 * items of a course created in the same batch can point to it; updates in file order.
 */
export async function writeCatalog(plans: Array<Plan & Lined>, ctx: ImportContext<unknown>): Promise<void> {
  const { manager } = ctx;
  const jobId = ctx.job.id;

  const newCourses = plans.flatMap(({ course, line }) => {
    const values = inserted(course);
    return values ? [{ code: course.code, ...values, createdJobId: jobId, createdLine: line }] : [];
  });
  await insertRows(manager, Course, newCourses);
  for (const { course, line } of plans) {
    const change = updated(course);
    if (!change) continue;
    if (course.id !== undefined) ctx.keepPreviousValues('courses', course.id, change.previous, line);
    await manager.update(Course, course.id !== undefined ? { id: course.id } : { code: course.code }, { ...change.update, updatedJobId: jobId });
  }

  const created = await coursesByCode(manager, newCourses.map((course) => course.code));
  const createdIds = new Map([...created.values()].map((course) => [course.code, course.id]));
  const courseIdOf = (course: Target<unknown>): number => course.id ?? createdIds.get(course.code)!;

  const newItems = plans.flatMap(({ course, item, line }) => {
    const values = inserted(item);
    return item && values ? [{ courseId: courseIdOf(course), code: item.code, ...values, createdJobId: jobId, createdLine: line }] : [];
  });
  await insertRows(manager, CourseItem, newItems);
  for (const { course, item, line } of plans) {
    const change = updated(item);
    if (!item || !change) continue;
    if (item.id !== undefined) ctx.keepPreviousValues('course_items', item.id, change.previous, line);
    const where = item.id !== undefined ? { id: item.id } : { courseId: courseIdOf(course), code: item.code };
    await manager.update(CourseItem, where, { ...change.update, updatedJobId: jobId });
  }
}
