import type { EntityManager } from 'typeorm';

/**
 * A condition matching exact tuples, `(a, b) IN ((1, 2), (3, 4))`, for a query builder: the
 * database seeks each tuple in the composite index, where `a IN (…) AND b IN (…)` would read
 * every combination. MySQL/MariaDB take a list of rows; SQLite wants a VALUES list.
 */
export function tuplesIn(
  manager: EntityManager,
  columns: readonly string[],
  tuples: ReadonlyArray<readonly unknown[]>,
  prefix = 't',
): { condition: string; parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = {};
  const rows = tuples.map((tuple, i) => {
    const names = tuple.map((value, j) => {
      const name = `${prefix}${i}_${j}`;
      parameters[name] = value;
      return `:${name}`;
    });
    return `(${names.join(', ')})`;
  });
  const sqlite = manager.connection.options.type === 'better-sqlite3';
  const list = sqlite ? `VALUES ${rows.join(', ')}` : rows.join(', ');
  return { condition: `(${columns.join(', ')}) IN (${list})`, parameters };
}
