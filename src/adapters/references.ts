import type { EntityManager } from 'typeorm';
import { Course } from '../model/course.entity';
import { CourseItem } from '../model/course-item.entity';
import { Enrollment } from '../model/enrollment.entity';
import { Learner } from '../model/learner.entity';
import { chunks } from '../db/bulk';
import { conditionSql, inList, queryWhere, selectWhere, sqliteStatement, tuplesIn } from '../db/sql';
import { NumberTable } from '../util/number-table';
import { pairKey, type MemoryKey } from './dry-run-memory';

/**
 * Batch look-ups of the reference data rows point to: one query per batch and table, never
 * one per row. Keys absent from the database are absent from the maps.
 */

const unique = <T>(values: Iterable<T>) => [...new Set(values)];

function uniqueBy<T>(values: T[], key: (value: T) => string): T[] {
  return [...new Map(values.map((value) => [key(value), value])).values()];
}

export type LearnerRef = Pick<Learner, 'id' | 'loginId' | 'firstName' | 'lastName' | 'email' | 'available'>;
export type CourseRef = Pick<Course, 'id' | 'code' | 'title' | 'kind'>;
export type ItemRef = Pick<CourseItem, 'id' | 'courseId' | 'code' | 'type' | 'title'>;
export type EnrollmentRef = Pick<Enrollment, 'id' | 'learnerId' | 'courseId' | 'role' | 'available' | 'enrolledOn'>;

/** Learners by login. */
export async function learnersByLogin(manager: EntityManager, logins: Iterable<string>): Promise<Map<string, LearnerRef>> {
  const keys = unique(logins);
  if (keys.length === 0) return new Map();
  const rows = await selectWhere<LearnerRef>(manager, Learner, ['id', 'loginId', 'firstName', 'lastName', 'email', 'available'], inList('login_id', keys));
  return new Map(rows.map((row) => [row.loginId, row]));
}

/** Courses by code (`crsvname`). */
export async function coursesByCode(manager: EntityManager, codes: Iterable<string>): Promise<Map<string, CourseRef>> {
  const keys = unique(codes);
  if (keys.length === 0) return new Map();
  const rows = await selectWhere<CourseRef>(manager, Course, ['id', 'code', 'title', 'kind'], inList('code', keys));
  return new Map(rows.map((row) => [row.code, row]));
}

export const itemKey = (courseId: number, code: string) => `${courseId}\u0000${code}`;

/** Items of the given courses with the given codes, by itemKey(courseId, code). */
export async function itemsByKey(
  manager: EntityManager,
  wanted: Iterable<{ courseId: number; code: string }>,
): Promise<Map<string, ItemRef>> {
  const keys = uniqueBy([...wanted], (w) => itemKey(w.courseId, w.code));
  if (keys.length === 0) return new Map();
  const where = tuplesIn(['course_id', 'code'], keys.map((w) => [w.courseId, w.code]));
  const rows = await selectWhere<ItemRef>(manager, CourseItem, ['id', 'courseId', 'code', 'type', 'title'], where);
  return new Map(rows.map((row) => [itemKey(row.courseId, row.code), row]));
}

export const enrollmentKey = (learnerId: number, courseId: number) => `${learnerId}:${courseId}`;

/** Enrollments of the given (learner, course) pairs, by enrollmentKey(learnerId, courseId). */
export async function enrollmentsByKey(
  manager: EntityManager,
  wanted: Iterable<{ learnerId: number; courseId: number }>,
): Promise<Map<string, EnrollmentRef>> {
  const pairs = uniqueBy([...wanted], (w) => enrollmentKey(w.learnerId, w.courseId));
  if (pairs.length === 0) return new Map();
  const where = tuplesIn(['learner_id', 'course_id'], pairs.map((w) => [w.learnerId, w.courseId]));
  const properties = ['id', 'learnerId', 'courseId', 'role', 'available', 'enrolledOn'] as const;
  const rows = await selectWhere<EnrollmentRef>(manager, Enrollment, properties, where);
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
  // At most 999 ids a statement: MariaDB turns an IN list of 1,000 values or more into a derived
  // table, and then at times scanned (and locked, waiting for the batch before) every learner:
  // 20,000 rows examined a batch, 5 s of a 1M-row import (slow log). Below that, a range of the
  // primary key, locked in id order.
  for (const piece of chunks(ids, LOCK_CHUNK)) {
    const { sql, params } = conditionSql(inList('id', piece));
    await manager.query(`SELECT id FROM learners WHERE ${sql} ORDER BY id FOR UPDATE`, params);
  }
}

/** Ids locked by one statement (see lockLearners). */
const LOCK_CHUNK = 999;

/** Entries a ReferenceCache keeps per table before it starts over: memory stays bounded. */
const MAX_CACHED = 50_000;

/**
 * Enrollments found, kept as numbers off the heap (about 13 bytes each, so at most a few MB):
 * more than learners or items, since a file names every (learner, course) pair again and again.
 */
const MAX_ENROLLED = 250_000;

/** Items by course id, then code: a batch finds each row's item without building a key. */
export interface ItemLookup {
  get(courseId: number, code: string): ItemRef | undefined;
}

/**
 * Learners, courses and items a job already looked up, for the adapters that only point to
 * them (statistics): a batch then asks the database only for the keys it has not met yet.
 * Their ids never change; a type changed by a concurrent catalog import shows at the next
 * job. Enrollments found stay known too; statistics are always read from the database. Only an
 * undo job deletes such rows: the job then forgets them before its next batch (src/undo/fence.ts).
 */
export class ReferenceCache {
  /**
   * @param capacity entries kept per table before it starts over.
   * @param enrolledCapacity enrollments kept before they start over.
   */
  constructor(
    private readonly capacity = MAX_CACHED,
    private readonly enrolledCapacity = MAX_ENROLLED,
  ) {}

  private readonly learners = new Map<string, LearnerRef>();
  private readonly courses = new Map<string, CourseRef>();
  /** By course id, then code. */
  private readonly items = new Map<number, Map<string, ItemRef>>();
  private itemCount = 0;
  /** (learner, course) pairs found enrolled in the database (forgotten after an undo: see fence.ts): numeric pair keys, and the others. */
  private enrolled = new NumberTable();
  private readonly enrolledOthers = new Set<MemoryKey>();

  /** The job's cache (kept in ctx.state). */
  static of(state: Map<string, unknown>): ReferenceCache {
    let cache = state.get('reference-cache') as ReferenceCache | undefined;
    if (!cache) state.set('reference-cache', (cache = new ReferenceCache()));
    return cache;
  }

  learnersByLogin(manager: EntityManager, logins: readonly string[]): Promise<Lookup<LearnerRef>> {
    return this.through(this.learners, logins, (missing) => learnersByLogin(manager, missing));
  }

  coursesByCode(manager: EntityManager, codes: readonly string[]): Promise<Lookup<CourseRef>> {
    return this.through(this.courses, codes, (missing) => coursesByCode(manager, missing));
  }

  /** Items of the wanted (course id, code) pairs, given as two lists of the same length. */
  async itemsOf(manager: EntityManager, courseIds: readonly number[], codes: readonly string[]): Promise<ItemLookup> {
    let missing: Array<{ courseId: number; code: string }> | undefined;
    for (let i = 0; i < courseIds.length; i++) {
      if (!this.items.get(courseIds[i])?.has(codes[i])) (missing ??= []).push({ courseId: courseIds[i], code: codes[i] });
    }
    if (missing) {
      const fetched = await itemsByKey(manager, missing);
      if (this.itemCount + fetched.size > this.capacity) {
        // Starts over with this batch's items.
        const kept = courseIds.flatMap((courseId, i) => this.items.get(courseId)?.get(codes[i]) ?? []);
        this.items.clear();
        this.itemCount = 0;
        for (const item of kept) this.keepItem(item);
      }
      for (const item of fetched.values()) this.keepItem(item);
    }
    return this.itemLookup;
  }

  private readonly itemLookup: ItemLookup = { get: (courseId, code) => this.items.get(courseId)?.get(code) };

  private keepItem(item: ItemRef): void {
    let ofCourse = this.items.get(item.courseId);
    if (!ofCourse) this.items.set(item.courseId, (ofCourse = new Map()));
    if (!ofCourse.has(item.code)) this.itemCount++;
    ofCourse.set(item.code, item);
  }

  /**
   * The stored enrollments among the wanted pairs, by pairKey(learnerId, courseId); the batch
   * adds those it makes. Pairs found once are not asked again; an enrollment this job creates
   * is found (and remembered) at the next batch that needs it, once committed.
   */
  async enrolledPairs(manager: EntityManager, wanted: ReadonlyArray<{ learnerId: number; courseId: number }>): Promise<EnrolledPairs> {
    const batch = new Set<MemoryKey>();
    const missing: Array<{ learnerId: number; courseId: number }> = [];
    for (const pair of wanted) if (!this.isEnrolled(pairKey(pair.learnerId, pair.courseId))) missing.push(pair);
    if (missing.length > 0) {
      const found = await enrolledKeys(manager, missing);
      if (this.enrolled.size + this.enrolledOthers.size + found.length > this.enrolledCapacity) {
        // Starts over; what the batch found in the cache stays known to the batch.
        for (const pair of wanted) {
          const known = pairKey(pair.learnerId, pair.courseId);
          if (this.isEnrolled(known)) batch.add(known);
        }
        this.enrolled = new NumberTable();
        this.enrolledOthers.clear();
      }
      for (const key of found) {
        batch.add(key);
        if (typeof key === 'number') this.enrolled.set(key, 1);
        else this.enrolledOthers.add(key);
      }
    }
    return { has: (key) => batch.has(key) || this.isEnrolled(key), add: (key) => void batch.add(key) };
  }

  private isEnrolled(key: MemoryKey): boolean {
    return typeof key === 'number' ? this.enrolled.has(key) : this.enrolledOthers.has(key);
  }

  /**
   * The cache, holding every wanted key that exists: the keys it lacks are asked of the
   * database in one query. When it is full it starts over with this batch's keys only.
   */
  private async through<V>(cache: Map<string, V>, wanted: readonly string[], fetch: (missing: string[]) => Promise<Map<string, V>>): Promise<Lookup<V>> {
    let missing: Set<string> | undefined;
    for (let i = 0; i < wanted.length; i++) {
      const key = wanted[i];
      if (!cache.has(key)) (missing ??= new Set()).add(key);
    }
    if (!missing) return cache;
    const fetched = await fetch([...missing]);
    if (cache.size + fetched.size > this.capacity) {
      const kept = wanted.flatMap((key) => (cache.has(key) ? [[key, cache.get(key)!] as const] : []));
      cache.clear();
      for (const [key, value] of kept) cache.set(key, value);
    }
    for (const [key, value] of fetched) cache.set(key, value);
    return cache;
  }
}

/** Which of the pairs have an enrollment, by pairKey: only the keys are read. */
async function enrolledKeys(manager: EntityManager, pairs: ReadonlyArray<{ learnerId: number; courseId: number }>): Promise<MemoryKey[]> {
  // SQLite: a seek a pair, its answer a number or nothing (no row object).
  const sqlite = sqliteStatement(manager, 'SELECT 1 FROM enrollments WHERE learner_id = ? AND course_id = ?', { pluck: true });
  if (sqlite) {
    const found: MemoryKey[] = [];
    for (const { learnerId, courseId } of pairs) if (sqlite.get(learnerId, courseId) !== undefined) found.push(pairKey(learnerId, courseId));
    return found;
  }
  const where = tuplesIn(['learner_id', 'course_id'], pairs.map((pair) => [pair.learnerId, pair.courseId]));
  const rows = await queryWhere(manager, 'SELECT learner_id AS l, course_id AS c FROM enrollments', where);
  return rows.map((row) => pairKey(Number(row.l), Number(row.c)));
}

/** The (learner, course) pairs a batch knows to be enrolled, by pairKey. */
export interface EnrolledPairs {
  has(key: MemoryKey): boolean;
  /** An enrollment the batch makes. */
  add(key: MemoryKey): void;
}

/** What a batch reads from ReferenceCache. */
export interface Lookup<V> {
  get(key: string): V | undefined;
}
