import assert from 'node:assert/strict';
import type { ItemType } from '../model/codes';
import { Course } from '../model/course.entity';
import { CourseItem } from '../model/course-item.entity';
import { Enrollment } from '../model/enrollment.entity';
import { Learner } from '../model/learner.entity';
import type { AdapterCase } from './adapter-tester';
import type { TestKit } from './test-kit';

/** Learners, courses with their items, and enrollments, as a test needs them. */
export interface ReferenceData {
  learners?: string[];
  /** Course code → its items (item code → type). */
  courses?: Record<string, Record<string, ItemType>>;
  /** [login, course code] pairs. */
  enrollments?: Array<[string, string]>;
}

/** Ids of what seedReferenceData wrote. */
export interface ReferenceIds {
  learner(login: string): number;
  course(code: string): number;
  item(course: string, code: string): number;
}

/**
 * Writes reference data straight into the kit's database, so that an adapter's tests do not
 * depend on the adapters that import it (learners, catalog).
 */
export async function seedReferenceData(kit: TestKit, data: ReferenceData): Promise<ReferenceIds> {
  const ids = new Map<string, number>();
  const id = (key: string) => {
    const found = ids.get(key);
    if (found === undefined) throw new Error(`seedReferenceData: ${key} was not seeded`);
    return found;
  };
  for (const loginId of data.learners ?? []) {
    ids.set(`learner:${loginId}`, (await kit.manager.save(Learner, { loginId, available: true })).id);
  }
  for (const [code, items] of Object.entries(data.courses ?? {})) {
    const courseId = (await kit.manager.save(Course, { code, title: code, kind: 'course' })).id;
    ids.set(`course:${code}`, courseId);
    for (const [itemCode, type] of Object.entries(items)) {
      ids.set(`item:${code}:${itemCode}`, (await kit.manager.save(CourseItem, { courseId, code: itemCode, type, title: itemCode })).id);
    }
  }
  for (const [login, course] of data.enrollments ?? []) {
    await kit.manager.save(Enrollment, { learnerId: id(`learner:${login}`), courseId: id(`course:${course}`), role: 'S', available: true });
  }
  return {
    learner: (login) => id(`learner:${login}`),
    course: (code) => id(`course:${code}`),
    item: (course, code) => id(`item:${course}:${code}`),
  };
}

/**
 * Makes cases fail when a batch broke and the core replayed it (row by row, or with its group):
 * that replay can hide a batch-level bug (a duplicate insert, a wrong session), since rows alone
 * may succeed.
 */
export function failOnRowByRow(cases: { valid?: AdapterCase[]; invalid?: AdapterCase[] }) {
  return { valid: cases.valid?.map(withoutReplay), invalid: cases.invalid?.map(withoutReplay) };
}

function withoutReplay(testCase: AdapterCase): AdapterCase {
  const replays: unknown[] = [];
  return {
    ...testCase,
    before: async (kit) => {
      replays.length = 0;
      const { logger } = kit.services;
      const warn = logger.warn.bind(logger);
      // The runner warns only when a batch failed: replayed row by row, or (SQLite) its group rolled back and done again.
      logger.warn = ((...args: Parameters<typeof warn>) => {
        replays.push(args[0]);
        return warn(...args);
      }) as typeof logger.warn;
      await testCase.before?.(kit);
    },
    then: async (result, kit) => {
      assert.deepEqual(replays, [], 'a batch failed and was replayed row by row');
      await testCase.then?.(result, kit);
    },
  };
}
