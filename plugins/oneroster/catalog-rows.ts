import type { ImportContext, PlannedRow, Row, RowDecision } from '../../src/adapters/define-adapter';
import catalog from '../catalog';
import type { CatalogRow } from '../catalog/row';
import type { Plan } from '../catalog/decide';
import { renamed, warning, withDeltaChecks, type Status } from './vocab';

/** A courses.csv or classes.csv record as the catalog adapter's course row (no item). */
export function courseRow(sourcedId: string, title: string | null): CatalogRow {
  return { crsvname: sourcedId, course_title: title, lsnvname: null, lnk_type: null, lesson_title: null, course_kind: null };
}

const toTarget = { crsvname: 'sourcedId', course_title: 'title' };

/**
 * The catalog's resolve for courses.csv and classes.csv. The catalog has no "inactive" course
 * (statistics and enrollments refer to it): a tobedeleted record leaves the course as it is,
 * with a warning, rather than deleting it or guessing.
 */
export async function resolveCourses<T extends CatalogRow & { status: Status | null; dateLastModified: string | null }>(
  rows: Row<T>[],
  ctx: ImportContext<unknown>,
): Promise<RowDecision<Plan>[]> {
  return withDeltaChecks(rows, ctx, async (passed) => {
    const kept = passed.filter((row) => row.data.status !== 'tobedeleted');
    const decided = renamed(kept.length > 0 ? await catalog.resolve(kept, ctx as ImportContext<Record<string, never>>) : [], toTarget);
    let next = 0;
    return passed.map((row): RowDecision<Plan> =>
      row.data.status === 'tobedeleted' ? { action: 'unchanged', issues: [warning('COURSE_KEPT', 'status', { course: row.data.crsvname })] } : decided[next++],
    );
  });
}

export const courseMessages = {
  ...catalog.messages,
  COURSE_KEPT: {
    en: 'Course "{course}" is to be deleted: courses are never deleted here (their enrollments and statistics refer to them); it is left as it is',
    fr: 'Le cours « {course} » est à supprimer : les cours ne sont jamais supprimés ici (leurs inscriptions et statistiques s’y rapportent) ; il est laissé tel quel',
  },
};

export function persistCourses<T extends CatalogRow>(rows: PlannedRow<T, Plan>[], ctx: ImportContext<unknown>): Promise<void> {
  return catalog.persist(rows, ctx as ImportContext<Record<string, never>>);
}
