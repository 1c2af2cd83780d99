import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** SQLite accepts at most 32766 placeholders a statement (MySQL 65535). */
const MAX_PLACEHOLDERS = 32766;

/** Splits a list into pieces of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let i = 0; i < items.length; i += size) pieces.push(items.slice(i, i + size));
  return pieces;
}

/**
 * Multi-row INSERTs, as many rows a statement as the placeholder limit allows, written as
 * plain SQL: TypeORM's insert builder costs more than the database for large batches, and would
 * read generated ids back with one `id = ? OR …` term a row (SQLite refuses that past 1000).
 * Values are converted as TypeORM would (booleans, dates, simple-json); columns a row does not
 * give take the database default.
 */
export async function insertRows(manager: EntityManager, entity: EntityTarget<ObjectLiteral>, rows: readonly ObjectLiteral[]): Promise<void> {
  if (rows.length === 0) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  // Rows with the same properties share a statement.
  const groups = new Map<string, ObjectLiteral[]>();
  for (const row of rows) {
    const signature = Object.keys(row).filter((key) => row[key] !== undefined).join('\u0000');
    const group = groups.get(signature);
    if (group) group.push(row);
    else groups.set(signature, [row]);
  }
  for (const [signature, group] of groups) {
    const columns = signature.split('\u0000').map((property) => {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`insertRows: ${metadata.name} has no column for "${property}"`);
      return column;
    });
    const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    for (const piece of chunks(group, Math.max(1, Math.floor(MAX_PLACEHOLDERS / columns.length)))) {
      const parameters: unknown[] = [];
      for (const row of piece) {
        for (const column of columns) parameters.push(driver.preparePersistentValue(row[column.propertyName], column));
      }
      const sql = `INSERT INTO ${driver.escape(metadata.tablePath)} (${names}) VALUES ${piece.map(() => tuple).join(', ')}`;
      await manager.query(sql, parameters);
    }
  }
}
