import type { EntityManager } from 'typeorm';
import type { ImportContext, Row } from '../../src/adapters/define-adapter';
import { DryRunMemory } from '../../src/adapters/dry-run-memory';
import { coursesByCode, itemsByKey } from '../../src/adapters/references';
import { LessonStatistic } from '../../src/model/lesson-statistic.entity';
import { itemKeyOf, type Catalog, type CourseValues, type ItemValues } from './decide';
import { chunks } from '../../src/db/bulk';
import { RecordSet, type Known } from './records';
import type { CatalogRow } from './row';

/** Lesson statistics per item, for the given items (those that have none are absent). */
async function statisticsByItem(manager: EntityManager, itemIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const ids of chunks(itemIds, 10_000)) {
    const rows = await manager
      .createQueryBuilder(LessonStatistic, 'statistic')
      .select('statistic.itemId', 'itemId')
      .addSelect('COUNT(*)', 'count')
      .where('statistic.itemId IN (:...ids)', { ids })
      .groupBy('statistic.itemId')
      .getRawMany<{ itemId: number | string; count: number | string }>();
    for (const row of rows) counts.set(Number(row.itemId), Number(row.count));
  }
  return counts;
}

/**
 * Looks a batch up: its courses (one query), the items of those that are stored (one query),
 * and — only when a row changes a stored item's type — that item's lesson statistics.
 */
export async function loadCatalog(rows: Row<CatalogRow>[], ctx: ImportContext<unknown>): Promise<Catalog> {
  const memory = DryRunMemory.of(ctx, 'catalog');
  memory?.rewind(rows[0].line); // a batch resolved again must not see its own earlier attempt

  const storedCourses = [...(await coursesByCode(ctx.manager, rows.map(({ data }) => data.crsvname))).values()];
  const courseByCode = new Map(storedCourses.map((course) => [course.code, course]));
  const courseById = new Map(storedCourses.map((course) => [course.id, course]));
  const courses = new RecordSet<CourseValues>(
    'course',
    new Map(storedCourses.map((course) => [course.code, { id: course.id, values: { title: course.title, kind: course.kind } }])),
    memory,
  );

  const wantedItems = rows.flatMap(({ data }) => {
    const course = courseByCode.get(data.crsvname);
    return course && data.lsnvname !== null ? [{ courseId: course.id, code: data.lsnvname }] : [];
  });
  const storedItems = [...(await itemsByKey(ctx.manager, wantedItems)).values()];
  const items = new RecordSet<ItemValues>(
    'item',
    new Map(
      storedItems.map((item): [string, Known<ItemValues>] => [
        itemKeyOf(courseById.get(item.courseId)!.code, item.code),
        { id: item.id, values: { type: item.type, title: item.title } },
      ]),
    ),
    memory,
  );

  // Items whose type some row changes from what it is before the batch: a warning if they have statistics.
  const retyped = new Set<number>();
  for (const { data } of rows) {
    if (data.lsnvname === null || data.lnk_type === null) continue;
    const item = items.get(itemKeyOf(data.crsvname, data.lsnvname));
    if (item?.id !== undefined && item.values.type !== data.lnk_type) retyped.add(item.id);
  }
  const statistics = await statisticsByItem(ctx.manager, [...retyped]);

  return { courses, items, statistics, onExisting: ctx.job.onExisting };
}
