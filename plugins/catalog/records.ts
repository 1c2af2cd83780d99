import type { DryRunMemory } from '../../src/adapters/dry-run-memory';

/** A record as a row sees it: its values, and its id once it is in the database. */
export interface Known<V> {
  values: V;
  id?: number;
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
