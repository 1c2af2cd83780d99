import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Plain SQL for the hot paths of imports (MySQL: a query per batch and table; SQLite: prepared
 * statements): TypeORM's query builder and entity hydration cost more than the database there.
 */

/** Rows whose key columns equal one of the tuples. */
export interface Condition {
  columns: readonly string[];
  tuples: ReadonlyArray<readonly unknown[]>;
}

/** `column IN (…)`. */
export function inList(column: string, values: readonly unknown[]): Condition {
  return { columns: [column], tuples: values.map((value) => [value]) };
}

/** `(a, b) IN ((…), …)`. */
export function tuplesIn(columns: readonly string[], tuples: ReadonlyArray<readonly unknown[]>): Condition {
  return { columns, tuples };
}

/**
 * The condition as one SQL expression for MySQL/MariaDB: `a IN (?, …)`, or
 * `(a, b) IN ((?, ?), …)` — the server seeks each tuple in the composite index, where
 * `a IN (…) AND b IN (…)` would read every combination. (SQLite runs a prepared statement a
 * key instead: queryWhere.)
 */
export function conditionSql({ columns, tuples }: Condition): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  // Whole numbers (ids) are written as they are: nothing to escape, and no placeholder for the
  // driver to replace thousands of times; anything else is a parameter.
  const literal = (value: unknown) => {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    params.push(value);
    return '?';
  };
  if (columns.length === 1) return { sql: `${columns[0]} IN (${tuples.map((tuple) => literal(tuple[0])).join(', ')})`, params };
  const list = tuples.map((tuple) => `(${tuple.map(literal).join(', ')})`).join(', ');
  return { sql: `(${columns.join(', ')}) IN (${list})`, params };
}

/** A prepared statement of better-sqlite3 (the part used here): positional parameters as one array. */
interface SqliteStatement {
  /** Parameters as one array, or one by one. */
  all(...parameters: unknown[]): unknown[];
  get(...parameters: unknown[]): unknown;
  run(...parameters: unknown[]): unknown;
  pluck(on: boolean): SqliteStatement;
}

interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

const statements = new WeakMap<SqliteDatabase, Map<string, SqliteStatement>>();

/**
 * On SQLite, the connection itself and a statement prepared once for `sql`: in-process, a
 * statement run once a row costs less than compiling a statement of thousands of
 * placeholders every batch. Null on MySQL. Statements run in the manager's transaction
 * (SQLite has one connection).
 */
export function sqliteStatement(manager: EntityManager, sql: string, options: { pluck?: boolean } = {}): SqliteStatement | null {
  const { driver } = manager.connection;
  if (driver.options.type !== 'better-sqlite3') return null;
  const db = (driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  const key = options.pluck ? `pluck:${sql}` : sql;
  let statement = cache.get(key);
  if (!statement) {
    if (cache.size >= 200) cache.clear(); // a handful of call sites: never reached in practice
    statement = db.prepare(sql);
    // pluck: a row comes back as the value of its first column, no object.
    if (options.pluck) statement.pluck(true);
    cache.set(key, statement);
  }
  return statement;
}

/** better-sqlite3 binds no booleans. */
export const sqliteValue = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value);
const isBoolean = (value: unknown) => typeof value === 'boolean';

/**
 * Runs `head WHERE <condition> tail` (tail: GROUP BY…). MySQL: one statement. SQLite: one
 * prepared statement `… WHERE a = ? AND b = ? …` run for each tuple (index seeks either way).
 */
export async function queryWhere(manager: EntityManager, head: string, where: Condition, tail = ''): Promise<ObjectLiteral[]> {
  const statement = sqliteStatement(manager, `${head} WHERE ${where.columns.map((column) => `${column} = ?`).join(' AND ')} ${tail}`);
  if (!statement) {
    const { sql, params } = conditionSql(where);
    return manager.query(`${head} WHERE ${sql} ${tail}`, params);
  }
  const rows: ObjectLiteral[] = [];
  for (const tuple of where.tuples) {
    // better-sqlite3 binds an array as the positional parameters: the tuple itself, unless it holds a boolean.
    for (const row of statement.all(tuple.some(isBoolean) ? tuple.map(sqliteValue) : tuple)) rows.push(row as ObjectLiteral);
  }
  return rows;
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
  const rows = await queryWhere(manager, `SELECT ${select} FROM ${driver.escape(metadata.tablePath)}`, where);
  return rows.map((row) => {
    for (const column of columns) row[column.propertyName] = driver.prepareHydratedValue(row[column.propertyName], column);
    return row as T;
  });
}
