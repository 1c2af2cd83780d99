import { In, type EntityManager } from 'typeorm';
import { Course } from '../model/course.entity';
import { CourseItem } from '../model/course-item.entity';
import { Enrollment } from '../model/enrollment.entity';
import { Learner } from '../model/learner.entity';
import { tuplesIn } from '../db/tuples';

/**
 * Batch look-ups of the reference data rows point to: one query per batch and table, never
 * one per row. Keys absent from the database are absent from the maps.
 */

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

function uniqueBy<T>(values: T[], key: (value: T) => string): T[] {
  return [...new Map(values.map((value) => [key(value), value])).values()];
}

/** Learners by login. */
export async function learnersByLogin(manager: EntityManager, logins: Iterable<string>): Promise<Map<string, Learner>> {
  const keys = unique(logins);
  if (keys.length === 0) return new Map();
  const rows = await manager.find(Learner, { where: { loginId: In(keys) } });
  return new Map(rows.map((row) => [row.loginId, row]));
}

/** Courses by code (`crsvname`). */
export async function coursesByCode(manager: EntityManager, codes: Iterable<string>): Promise<Map<string, Course>> {
  const keys = unique(codes);
  if (keys.length === 0) return new Map();
  const rows = await manager.find(Course, { where: { code: In(keys) } });
  return new Map(rows.map((row) => [row.code, row]));
}

export const itemKey = (courseId: number, code: string) => `${courseId}\u0000${code}`;

/** Items of the given courses with the given codes, by itemKey(courseId, code). */
export async function itemsByKey(
  manager: EntityManager,
  wanted: Iterable<{ courseId: number; code: string }>,
): Promise<Map<string, CourseItem>> {
  const keys = uniqueBy([...wanted], (w) => itemKey(w.courseId, w.code));
  if (keys.length === 0) return new Map();
  const { condition, parameters } = tuplesIn(manager, ['item.course_id', 'item.code'], keys.map((w) => [w.courseId, w.code]));
  const rows = await manager.createQueryBuilder(CourseItem, 'item').where(condition, parameters).getMany();
  return new Map(rows.map((row) => [itemKey(row.courseId, row.code), row]));
}

export const enrollmentKey = (learnerId: number, courseId: number) => `${learnerId}:${courseId}`;

/** Enrollments of the given (learner, course) pairs, by enrollmentKey(learnerId, courseId). */
export async function enrollmentsByKey(
  manager: EntityManager,
  wanted: Iterable<{ learnerId: number; courseId: number }>,
): Promise<Map<string, Enrollment>> {
  const pairs = uniqueBy([...wanted], (w) => enrollmentKey(w.learnerId, w.courseId));
  if (pairs.length === 0) return new Map();
  const { condition, parameters } = tuplesIn(manager, ['enrollment.learner_id', 'enrollment.course_id'], pairs.map((w) => [w.learnerId, w.courseId]));
  const rows = await manager.createQueryBuilder(Enrollment, 'enrollment').where(condition, parameters).getMany();
  return new Map(rows.map((row) => [enrollmentKey(row.learnerId, row.courseId), row]));
}

/**
 * Locks the learners a batch writes for (MySQL: SELECT … FOR UPDATE, in id order so that two
 * batches never wait for each other in a cycle). Batches of concurrent imports touching the
 * same learners then take turns: session numbers and enrollments are decided on committed
 * data. SQLite has one writer at a time and needs no lock.
 */
export async function lockLearners(manager: EntityManager, learnerIds: Iterable<number>): Promise<void> {
  const ids = unique(learnerIds).sort((a, b) => a - b);
  if (ids.length === 0 || manager.connection.options.type === 'better-sqlite3') return;
  await manager
    .createQueryBuilder(Learner, 'learner')
    .select('learner.id')
    .where('learner.id IN (:...ids)', { ids })
    .orderBy('learner.id')
    .setLock('pessimistic_write')
    .getRawMany();
}
