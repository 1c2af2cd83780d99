import type { AnyAdapter, SyncKeyValues } from '../adapters/define-adapter';
import type { PendingRecord } from '../pipeline/batch';
import { positionalMapping, recordToCells, type ColumnMapping } from '../pipeline/header';
import type { SyncKey } from './sync-key.entity';

/** Keys are stored as the database holds the values: up to 100 characters (longer ones name no row). */
const KEY_MAX = 100;

/**
 * The keys of a snapshot job's records, batch by batch: what its file has. A record the schema
 * accepted gives its key from its data; one rejected for another cell gives it from its cells as
 * read, so that a typo in an e-mail never retires the learner. A record that did not parse names
 * nothing.
 */
export class SyncKeyCollector {
  private mapping: ColumnMapping;

  constructor(
    private readonly adapter: Pick<AnyAdapter, 'sync' | 'columns'>,
    private readonly jobId: number,
  ) {
    this.mapping = positionalMapping(adapter);
  }

  /** The file's header mapping (a file without a header is read by position). */
  useMapping(mapping: ColumnMapping): void {
    this.mapping = mapping;
  }

  keysOf(records: readonly PendingRecord[]): Partial<SyncKey>[] {
    const scopes = this.adapter.sync?.scopes ?? [];
    const keys: Partial<SyncKey>[] = [];
    const seen = new Set<string>();
    for (const record of records) {
      const values = record.data !== undefined ? (record.data as Record<string, unknown>) : record.fields ? recordToCells(record.fields, this.mapping) : null;
      if (values === null) continue;
      for (const scope of scopes) {
        const key = scope.key(values);
        if (!key || !valid(key)) continue;
        const [k1, k2 = ''] = key;
        const id = `${scope.table}\u0000${k1}\u0000${k2}`;
        if (seen.has(id)) continue; // once a batch is enough
        seen.add(id);
        keys.push({ jobId: this.jobId, scope: scope.table, k1, k2 });
      }
    }
    return keys;
  }
}

const valid = (key: SyncKeyValues) => key.every((part) => typeof part === 'string' && part !== '' && part.length <= KEY_MAX);

/** A key part from a value as data or cells hold it: a non-empty trimmed string, or null. */
function keyPart(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

/** For adapters' `sync.scopes[].key`: the key of one or two values, or null when one is empty. */
export function syncKey(first: unknown, second?: unknown): SyncKeyValues | null {
  const k1 = keyPart(first);
  if (k1 === null) return null;
  if (second === undefined) return [k1];
  const k2 = keyPart(second);
  return k2 === null ? null : [k1, k2];
}
