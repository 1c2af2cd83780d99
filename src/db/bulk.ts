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
 * Multi-row INSERTs, as many rows a statement as the placeholder limit allows. Generated ids
 * are not read back (`updateEntity(false)`): TypeORM would do it with one `id = ? OR …` term
 * a row, which SQLite refuses past 1000 rows ("Expression tree is too large").
 */
export async function insertRows(manager: EntityManager, entity: EntityTarget<ObjectLiteral>, rows: readonly ObjectLiteral[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = manager.connection.getMetadata(entity).columns.length;
  for (const piece of chunks(rows, Math.max(1, Math.floor(MAX_PLACEHOLDERS / columns)))) {
    await manager.createQueryBuilder().insert().into(entity).values(piece).updateEntity(false).execute();
  }
}
