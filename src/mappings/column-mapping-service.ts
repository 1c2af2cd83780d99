import type { AnyAdapter } from '../adapters/define-adapter';
import type { Store } from '../db/store';
import { apiError } from '../graphql/errors';
import { normalizeHeaderName } from '../pipeline/header-name';
import { fileColumnsSignature, type SavedMappingRef } from '../pipeline/column-proposals';
import { SavedColumnMapping } from './column-mapping.entity';

/** The most file columns a saved mapping may name. */
const MAX_ENTRIES = 500;

/** Saved column mappings: saved (or replaced) by name for an adapter, listed, deleted. */
export class ColumnMappingService {
  constructor(private readonly store: Store) {}

  /**
   * Saves `map` (file header name → adapter column) as `name` for the adapter, replacing the
   * map of a mapping of that name. Refused (BAD_USER_INPUT): an empty name, a map that is not
   * an object of strings, a target that is not one of the adapter's columns, two file columns
   * that are the same name, or two that go to the same column.
   */
  async save(adapter: AnyAdapter, name: string, raw: unknown, tokenId: number | null): Promise<SavedColumnMapping> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) throw invalid('name: give a name of 1 to 100 characters');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('map: give an object { "file header name": "adapter column" }');
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length === 0 || entries.length > MAX_ENTRIES) throw invalid(`map: give 1 to ${MAX_ENTRIES} file columns`);
    const map: Record<string, string> = {};
    const byFileColumn = new Map<string, string>();
    const byColumn = new Map<string, string>();
    const columns = adapter.columns.map((column) => column.name);
    for (const [fileColumn, target] of entries) {
      const key = fileColumn.trim();
      if (normalizeHeaderName(key) === '' || key.length > 255) throw invalid(`map: ${JSON.stringify(fileColumn)} is not a header name (1 to 255 characters)`);
      const column = typeof target === 'string' ? columns.find((c) => normalizeHeaderName(c) === normalizeHeaderName(target)) : undefined;
      if (column === undefined) {
        throw invalid(`map.${JSON.stringify(key)}: ${JSON.stringify(target)} is not a column of ${adapter.name} (columns: ${columns.join(', ')})`);
      }
      const same = byFileColumn.get(normalizeHeaderName(key));
      if (same !== undefined) throw invalid(`map: ${JSON.stringify(same)} and ${JSON.stringify(key)} are the same header name`);
      const other = byColumn.get(column);
      if (other !== undefined) throw invalid(`map: ${JSON.stringify(other)} and ${JSON.stringify(key)} both go to ${column}; a column is read from one file column`);
      byFileColumn.set(normalizeHeaderName(key), key);
      byColumn.set(column, key);
      map[key] = column;
    }
    return this.store.transaction(async (m) => {
      const existing = await m.findOneBy(SavedColumnMapping, { adapter: adapter.name, name: trimmed });
      const mapping = existing ?? Object.assign(new SavedColumnMapping(), { adapter: adapter.name, name: trimmed, createdByTokenId: tokenId });
      mapping.map = map;
      mapping.signature = fileColumnsSignature(map);
      return m.save(mapping);
    });
  }

  /** Every saved mapping (of one adapter), by adapter and name. */
  list(adapter?: string | null): Promise<SavedColumnMapping[]> {
    return this.store.read((m) => m.find(SavedColumnMapping, { where: adapter ? { adapter } : {}, order: { adapter: 'ASC', name: 'ASC' } }));
  }

  /** The mappings an upload for this adapter may match. */
  async forAdapter(adapter: string): Promise<SavedMappingRef[]> {
    return (await this.list(adapter)).map(({ id, name, map }) => ({ id, name, map }));
  }

  /** False when there is no mapping with this id. */
  async remove(id: number): Promise<boolean> {
    const { affected } = await this.store.transaction((m) => m.delete(SavedColumnMapping, { id }));
    return (affected ?? 0) > 0;
  }
}

const invalid = (message: string) => apiError('BAD_USER_INPUT', `Invalid column mapping: ${message}`);
