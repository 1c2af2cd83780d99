import type { Row, RowDecision, RowIssue } from '../../src/adapters/define-adapter';
import { IssueSeverity, OnExisting } from '../../src/imports/enums';
import type { Course } from '../../src/model/course.entity';
import type { CourseItem } from '../../src/model/course-item.entity';
import type { Known, RecordSet } from './records';
import type { CatalogRow } from './row';

export type CourseValues = Pick<Course, 'title' | 'kind'>;
export type ItemValues = Pick<CourseItem, 'type' | 'title'>;

/** insert: the new record; update: its changed values and their values before. */
export type Change<V> = { insert: V } | { update: Partial<V>; previous: Partial<V> };

/** A course or item a row names; `id` when it is stored, `change` when the row writes it. */
export interface Target<V> {
  code: string;
  id?: number;
  change?: Change<V>;
}

export interface Plan {
  course: Target<CourseValues>;
  item?: Target<ItemValues>;
}

/** What a batch's rows are decided against. */
export interface Catalog {
  courses: RecordSet<CourseValues>;
  items: RecordSet<ItemValues>;
  /** Number of lesson statistics of stored items whose type a row of the batch changes. */
  statistics: Map<number, number>;
  onExisting: OnExisting;
}

export const itemKeyOf = (courseKey: string, itemKey: string) => `${courseKey}\u0000${itemKey}`;

/** The row's non-empty values: an empty cell leaves the stored value as it is. */
function given<V>(values: { [K in keyof V]: V[K] | null }): Partial<V> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null)) as Partial<V>;
}

/** How a row changes a known record (or creates it from `created` when unknown), and the record after it. */
function planChange<V extends object>(
  known: Known<V> | undefined,
  wanted: Partial<V>,
  created: () => V,
): { change?: Change<V>; after: Known<V> } {
  if (!known) {
    const values = { ...created(), ...wanted };
    return { change: { insert: values }, after: { values } };
  }
  const keys = (Object.keys(wanted) as (keyof V)[]).filter((key) => known.values[key] !== wanted[key]);
  if (keys.length === 0) return { after: known };
  const update = Object.fromEntries(keys.map((key) => [key, wanted[key]])) as Partial<V>;
  const previous = Object.fromEntries(keys.map((key) => [key, known.values[key]])) as Partial<V>;
  return { change: { update, previous }, after: { values: { ...known.values, ...update }, id: known.id } };
}

const isUpdate = <V>(change: Change<V> | undefined): change is { update: Partial<V>; previous: Partial<V> } =>
  change !== undefined && 'update' in change;

/**
 * Decides one row. A row without lsnvname declares a course; with it, an item of that course,
 * the course being created (and counted with the item) when missing. The row counts once:
 * added when it creates what it declares, updated when it changes the course or the item.
 */
export function decide({ line, data: row }: Row<CatalogRow>, catalog: Catalog): RowDecision<Plan> {
  const rejecting = catalog.onExisting === OnExisting.REJECT;
  const courseKey = row.crsvname;
  const knownCourse = catalog.courses.get(courseKey);
  const course = planChange<CourseValues>(knownCourse, given<CourseValues>({ title: row.course_title, kind: row.course_kind }), () => ({
    title: null,
    kind: 'course',
  }));
  const plan: Plan = { course: { code: row.crsvname, id: knownCourse?.id, change: course.change } };
  const issues: RowIssue[] = [];
  if (rejecting && isUpdate(course.change)) {
    issues.push({ code: 'COURSE_EXISTS', column: 'crsvname', params: { course: row.crsvname } });
  }

  if (row.lsnvname === null) {
    if (issues.length > 0) return { action: 'reject', issues };
    if (!course.change) return { action: 'unchanged' };
    catalog.courses.set(courseKey, course.after, line);
    return { action: isUpdate(course.change) ? 'update' : 'add', plan };
  }

  const itemKey = itemKeyOf(courseKey, row.lsnvname);
  const knownItem = catalog.items.get(itemKey);
  const names = { course: row.crsvname, item: row.lsnvname };
  if (!knownItem && row.lnk_type === null) {
    // A new item needs its type; an existing one keeps it.
    return { action: 'reject', issues: [...issues, { code: 'ITEM_TYPE_REQUIRED', column: 'lnk_type', params: names }] };
  }
  const item = planChange<ItemValues>(knownItem, given<ItemValues>({ type: row.lnk_type, title: row.lesson_title }), () => ({
    type: row.lnk_type!,
    title: null,
  }));
  plan.item = { code: row.lsnvname, id: knownItem?.id, change: item.change };
  if (rejecting && isUpdate(item.change)) issues.push({ code: 'ITEM_EXISTS', column: 'lsnvname', params: names });
  if (issues.length > 0) return { action: 'reject', issues };
  if (!course.change && !item.change) return { action: 'unchanged' };

  const warnings: RowIssue[] = [];
  const statistics = knownItem?.id === undefined ? 0 : (catalog.statistics.get(knownItem.id) ?? 0);
  if (isUpdate(item.change) && item.change.update.type !== undefined && statistics > 0) {
    warnings.push({
      code: 'ITEM_TYPE_CHANGED',
      column: 'lnk_type',
      severity: IssueSeverity.WARNING,
      params: { ...names, previous: String(item.change.previous.type), value: item.change.update.type, count: statistics },
    });
  }
  catalog.courses.set(courseKey, course.after, line);
  catalog.items.set(itemKey, item.after, line);
  return { action: item.change && !isUpdate(item.change) ? 'add' : 'update', plan, issues: warnings };
}
