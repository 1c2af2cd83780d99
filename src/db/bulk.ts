import { Readable } from 'node:stream';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { sqliteStatement, sqliteValue } from './sql';

/** SQLite accepts at most 32766 placeholders a statement (MySQL 65535). */
const MAX_PLACEHOLDERS = 32766;

/** Splits a list into pieces of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let i = 0; i < items.length; i += size) pieces.push(items.slice(i, i + size));
  return pieces;
}

/**
 * Inserts rows the fastest way each database offers, as plain SQL (TypeORM's insert builder
 * costs more than the database for large batches, and would read generated ids back with one
 * `id = ? OR …` term a row): MySQL/MariaDB, LOAD DATA LOCAL for 100 rows and more, else
 * multi-row INSERTs as large as the placeholder limit allows; SQLite, one prepared single-row
 * INSERT run for each row. Values are converted as TypeORM would (booleans, dates,
 * simple-json); columns a row does not give take the database default.
 */
export async function insertRows(manager: EntityManager, entity: EntityTarget<ObjectLiteral>, rows: readonly ObjectLiteral[]): Promise<void> {
  if (rows.length === 0) return;
  // Rows with the same properties share a statement. Rows mostly come in runs of one shape:
  // a row with the properties of the row before it joins its group without a signature.
  const groups = new Map<string, { keys: string[]; rows: ObjectLiteral[] }>();
  let last: { keys: string[]; rows: ObjectLiteral[] } | undefined;
  for (const row of rows) {
    if (last && sameProperties(row, last.keys)) {
      last.rows.push(row);
      continue;
    }
    const keys = Object.keys(row).filter((key) => row[key] !== undefined);
    const signature = keys.join('\u0000');
    last = groups.get(signature);
    if (last) last.rows.push(row);
    else groups.set(signature, (last = { keys, rows: [row] }));
  }
  for (const { keys, rows: group } of groups.values()) {
    await insertValues(manager, entity, keys, group.map((row) => keys.map((key) => row[key])));
  }
}

/**
 * insertRows for rows given as arrays of values, in the order of `properties` (entity property
 * names): what a hot path builds without an object a row.
 */
export async function insertValues(
  manager: EntityManager,
  entity: EntityTarget<ObjectLiteral>,
  properties: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const columns = properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`insertRows: ${metadata.name} has no column for "${property}"`);
    return column;
  });
  const table = driver.escape(metadata.tablePath);
  const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  const persist = persistentValues(manager, columns);
  if (rows.length >= LOAD_DATA_MIN_ROWS && (await loadData(manager, table, names, columns, persist, rows))) return;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const prepared = sqliteStatement(manager, `INSERT INTO ${table} (${names}) VALUES ${tuple}`);
  if (prepared) {
    // SQLite: one prepared statement run a row, in the transaction, as its own loader would.
    const values: unknown[] = new Array(columns.length);
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) values[i] = sqliteValue(persist(row[i], i));
      prepared.run(values);
    }
    return;
  }
  for (const piece of chunks(rows, Math.max(1, Math.floor(MAX_PLACEHOLDERS / columns.length)))) {
    const parameters: unknown[] = [];
    for (const row of piece) {
      for (let i = 0; i < columns.length; i++) parameters.push(persist(row[i], i));
    }
    const sql = `INSERT INTO ${table} (${names}) VALUES ${piece.map(() => tuple).join(', ')}`;
    await manager.query(sql, parameters);
  }
}

/**
 * Column types whose values TypeORM's preparePersistentValue converts even when they are
 * strings or numbers (booleans, times, JSON, arrays, enums; MySQL parses `Number` columns).
 * A `date` column keeps a `YYYY-MM-DD` string as it is.
 */
const CONVERTED_TYPES = new Set<unknown>([
  Boolean,
  'boolean',
  Number,
  Date,
  'time',
  'datetime',
  'timestamp',
  'json',
  'jsonb',
  'simple-json',
  'simple-array',
  'simple-enum',
  'enum',
  'set',
]);

/**
 * `persist(value, i)`: the value the driver stores for `columns[i]`, as TypeORM's
 * preparePersistentValue gives it; strings, numbers and nulls of columns that store them as
 * they are go through without the call (ten million calls for a million rows of ten columns).
 */
export function persistentValues(manager: EntityManager, columns: readonly ColumnMetadata[]): (value: unknown, i: number) => unknown {
  const { driver } = manager.connection;
  const asIs = columns.map((column) => !column.transformer && !CONVERTED_TYPES.has(column.type));
  return (value, i) =>
    asIs[i] && (value === null || value === undefined || typeof value === 'string' || typeof value === 'number')
      ? value
      : driver.preparePersistentValue(value, columns[i]);
}

/** The row gives exactly these properties (others undefined or absent). */
function sameProperties(row: ObjectLiteral, keys: readonly string[]): boolean {
  let count = 0;
  for (const key in row) if (row[key] !== undefined) count++;
  return count === keys.length && keys.every((key) => row[key] !== undefined);
}

/**
 * How large groups of rows reach the database: `LOAD DATA LOCAL` on a MySQL/MariaDB server that
 * allows it (`local_infile`), else INSERT. Said at start-up: a server with `local_infile` off
 * silently costs the fast path.
 */
export async function bulkWritePath(manager: EntityManager): Promise<'LOAD DATA LOCAL' | 'INSERT'> {
  if (manager.connection.driver.options.type === 'better-sqlite3') return 'INSERT';
  const [row]: Array<{ enabled: unknown }> = await manager.query('SELECT @@GLOBAL.local_infile AS enabled');
  return Number(row.enabled) === 1 ? 'LOAD DATA LOCAL' : 'INSERT';
}

/** Below this, a multi-row INSERT costs no more than LOAD DATA. */
const LOAD_DATA_MIN_ROWS = 100;

const PIECE_BYTES = 1 << 20;

/** Servers that refused LOAD DATA LOCAL (local_infile off): INSERT from then on. */
const refusesLoadData = new WeakSet<object>();

/** A field of LOAD DATA's default text format (tab-separated, `\` escapes, `\N` for NULL). */
function tsvField(value: unknown): string | undefined {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value !== 'string') return undefined; // dates, JSON…: INSERT converts those
  return /[\\\t\n\r\0]/.test(value) ? value.replace(/[\\\t\n\r\0]/g, (c) => TSV_ESCAPES[c]) : value;
}

const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

interface MysqlConnection {
  query(options: { sql: string; infileStreamFactory: () => Readable }, callback: (error: unknown, result: unknown) => void): void;
}

/**
 * MySQL/MariaDB: the rows as one LOAD DATA LOCAL INFILE streamed from memory, in the
 * transaction's connection — the database's own loader, the fastest way in. False when it
 * cannot be used (SQLite, a value with no text form, a server that does not allow it); the
 * caller then INSERTs. LOCAL makes the server skip a row it refuses (a duplicate key: another
 * job's row) with a warning instead of an error: any row not loaded is a unique-key error here.
 */
async function loadData(
  manager: EntityManager,
  table: string,
  names: string,
  columns: ColumnMetadata[],
  persist: (value: unknown, i: number) => unknown,
  rows: ReadonlyArray<readonly unknown[]>,
): Promise<boolean> {
  const { driver } = manager.connection;
  const connection = (manager.queryRunner as { databaseConnection?: MysqlConnection } | undefined)?.databaseConnection;
  if (driver.options.type === 'better-sqlite3' || !connection || refusesLoadData.has(manager.connection)) return false;
  // A line a row, joined once: no string built field by field (garbage the size of the batch).
  const lines: string[] = new Array(rows.length + 1);
  const fields: string[] = new Array(columns.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < columns.length; i++) {
      const field = tsvField(persist(row[i], i));
      if (field === undefined) return false;
      fields[i] = field;
    }
    lines[r] = fields.join('\t');
  }
  lines[rows.length] = ''; // the last line's end
  const data = Buffer.from(lines.join('\n'), 'utf8');
  const pieces: Buffer[] = []; // packets under the protocol's 16 MiB
  for (let at = 0; at < data.length; at += PIECE_BYTES) pieces.push(data.subarray(at, at + PIECE_BYTES));
  const sql = `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE ${table} CHARACTER SET utf8mb4 (${names})`;
  let result: { affectedRows: number; warningStatus: number };
  try {
    result = await new Promise((resolve, reject) =>
      connection.query({ sql, infileStreamFactory: () => Readable.from(pieces) }, (error, value) =>
        error ? reject(error) : resolve(value as typeof result),
      ),
    );
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    // 1148 (MariaDB, MySQL 5.7) / 3948 (MySQL 8): local_infile is off on the server.
    if (errno === 1148 || errno === 3948 || errno === 4166) {
      refusesLoadData.add(manager.connection);
      return false;
    }
    throw error;
  }
  if (result.affectedRows === rows.length && result.warningStatus === 0) return true;
  // Strict mode makes INSERT refuse what LOCAL only warns about: the same refusal here.
  const warnings: Array<{ Level: string; Code: number; Message: string }> = await manager.query('SHOW WARNINGS');
  const refusal = warnings.find((warning) => warning.Level !== 'Note');
  if (result.affectedRows === rows.length && !refusal) return true;
  throw Object.assign(new Error(`LOAD DATA into ${table} kept ${result.affectedRows} rows of ${rows.length}: ${refusal?.Message ?? 'no warning'}`), {
    errno: refusal?.Code ?? 1062,
  });
}
