import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Plain SQL for the hot paths of imports (a query per batch): TypeORM's query builder and
 * entity hydration cost more than the database there.
 */

export interface Condition {
  sql: string;
  params: unknown[];
}

/** `column IN (?, ?, …)`. */
export function inList(column: string, values: readonly unknown[]): Condition {
  return { sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] };
}

/**
 * `(a, b) IN ((?, ?), …)`: the database seeks each tuple in the composite index, where
 * `a IN (…) AND b IN (…)` would read every combination. SQLite wants a VALUES list.
 */
export function tuplesIn(manager: EntityManager, columns: readonly string[], tuples: ReadonlyArray<readonly unknown[]>): Condition {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const rows = tuples.map(() => row).join(', ');
  const list = manager.connection.options.type === 'better-sqlite3' ? `VALUES ${rows}` : rows;
  return { sql: `(${columns.join(', ')}) IN (${list})`, params: tuples.flat() };
}

/**
 * Some columns of an entity's rows, as plain objects keyed by property name, with TypeORM's
 * value conversions (booleans, dates) but without building entities.
 */
export async function selectWhere<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  properties: ReadonlyArray<keyof T & string>,
  where: Condition,
): Promise<T[]> {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = properties.map((property) => metadata.findColumnWithPropertyName(property)!);
  const select = columns.map((column) => `${driver.escape(column.databaseName)} AS ${driver.escape(column.propertyName)}`).join(', ');
  const rows: ObjectLiteral[] = await manager.query(`SELECT ${select} FROM ${driver.escape(metadata.tablePath)} WHERE ${where.sql}`, where.params);
  return rows.map((row) => {
    for (const column of columns) row[column.propertyName] = driver.prepareHydratedValue(row[column.propertyName], column);
    return row as T;
  });
}
