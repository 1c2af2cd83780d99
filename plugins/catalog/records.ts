import type { DryRunMemory } from '../../src/adapters/dry-run-memory';
import type { DatabaseKind } from '../../src/db/data-source';

/** A record as a row sees it: its values, and its id once it is in the database. */
export interface Known<V> {
  values: V;
  id?: number;
}

/**
 * The key a code is compared by. MySQL's utf8mb4_unicode_ci ignores case and accents, so
 * `Comics` and `comics` are one course for its unique index: keys follow the database, so
 * that a row finds the record the index would clash with instead of failing on insert.
 */
export function keyFolder(db: DatabaseKind): (code: string) => string {
  if (db !== 'mysql') return (code) => code;
  return (code) => code.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Records by key as the current row sees them: as earlier rows of the batch left them, else
 * as a dry run's earlier batches would have left them, else as stored.
 */
export class RecordSet<V> {
  private readonly current = new Map<string, Known<V>>();

  constructor(
    private readonly name: string,
    private readonly stored: Map<string, Known<V>>,
    private readonly memory: DryRunMemory | null,
  ) {}

  get(key: string): Known<V> | undefined {
    return this.current.get(key) ?? (this.memory?.get(`${this.name}\u0000${key}`) as Known<V> | undefined) ?? this.stored.get(key);
  }

  /** `line`: the row that leaves the record so (a dry run forgets it if that row is resolved again). */
  set(key: string, record: Known<V>, line: number): void {
    this.current.set(key, record);
    this.memory?.set(line, `${this.name}\u0000${key}`, record);
  }
}
