import type { SyncTable } from '../adapters/define-adapter';
import { keysOf, type KeyColumn } from '../undo/undo-tables';

/**
 * How a sync retires a row of each table it can retire rows of, in SQL over the row `r`.
 * Retired rows stay (but enrollments without statistics): a learner made unavailable, a course
 * or item made inactive, keep everything that refers to them.
 */
export interface SyncTableRule {
  readonly table: SyncTable;
  /** What the log says of a row: its learner login, course and item codes. */
  readonly label: readonly KeyColumn[];
  /**
   * How a stored key (`s`, import_sync_keys, as SyncKeyCollector writes a record's: k1, then k2
   * or '') names the row: what to join to `s`, and the condition. Joins rather than subqueries
   * over `r`: MariaDB cannot run those inside EXISTS.
   */
  readonly key: { readonly join: string; readonly on: string };
  /** A row still to be retired: not retired already. */
  readonly active: string;
  /** The column a retirement sets to false (and a row coming back to true). */
  readonly flag: 'available' | 'active';
  /** When true (SQL), the row is made unavailable rather than removed: enrollments with statistics. Absent: never removed. */
  readonly keptIf?: string;
}

const hasStatistics =
  '(EXISTS (SELECT 1 FROM lesson_statistics c JOIN course_items i ON i.id = c.item_id WHERE i.course_id = r.course_id AND c.learner_id = r.learner_id)' +
  ' OR EXISTS (SELECT 1 FROM course_statistics c WHERE c.course_id = r.course_id AND c.learner_id = r.learner_id))';

export const syncTables: Readonly<Record<SyncTable, SyncTableRule>> = {
  learners: { table: 'learners', label: keysOf.learners, key: { join: '', on: "s.k1 = r.login_id AND s.k2 = ''" }, active: 'r.available = 1', flag: 'available' },
  courses: { table: 'courses', label: keysOf.courses, key: { join: '', on: "s.k1 = r.code AND s.k2 = ''" }, active: 'r.active = 1', flag: 'active' },
  course_items: { table: 'course_items', label: keysOf.course_items, key: { join: 'JOIN courses xc ON xc.code = s.k1', on: 'xc.id = r.course_id AND s.k2 = r.code' }, active: 'r.active = 1', flag: 'active' },
  enrollments: {
    table: 'enrollments',
    label: keysOf.enrollments,
    key: { join: 'JOIN learners xl ON xl.login_id = s.k1 JOIN courses xc ON xc.code = s.k2', on: 'xl.id = r.learner_id AND xc.id = r.course_id' },
    // Without statistics it is removed; with some, made unavailable (once).
    active: `(r.available = 1 OR NOT ${hasStatistics})`,
    flag: 'available',
    keptIf: hasStatistics,
  },
};
