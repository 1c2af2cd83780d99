import type { TestApp } from './build';

/** The tables imports write. */
export const DATA_TABLES = ['learners', 'courses', 'course_items', 'enrollments', 'lesson_statistics', 'course_statistics'];

/** Every row of the data tables, without their timestamps: to compare the database before and after (an undo). */
export async function dumpDataTables(app: Pick<TestApp, 'server'>): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of DATA_TABLES) {
    const rows: Record<string, unknown>[] = await app.server.services.store.dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
    result[table] = rows.map(({ created_at: _c, updated_at: _u, ...row }) => ({ ...row }));
  }
  return result;
}
