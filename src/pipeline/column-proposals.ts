import { distance } from 'fastest-levenshtein';
import type { AnyAdapter } from '../adapters/define-adapter';
import { languages, localize } from '../i18n/localized';
import { ColumnMatchReason } from '../imports/enums';
import { normalizeHeaderName } from './header-name';

/** What of an adapter the header is matched with. */
type Columns = Pick<AnyAdapter, 'columns'>;

/** A file column and the adapter column proposed for it. */
export interface ColumnProposal {
  /** The header cell, trimmed. */
  fileColumn: string;
  /** The adapter column; null: none (the file column is ignored). */
  column: string | null;
  reason: ColumnMatchReason;
  /** 0..1: 1 for an exact name or a saved mapping, below 0.8 for a fuzzy match. */
  confidence: number;
  /** Whether the import reads the column so without options.columnMap (a fuzzy match is only proposed). */
  applied: boolean;
}

/** A match of one header cell, before the header is looked at as a whole. */
export interface CellMatch {
  column: string;
  reason: ColumnMatchReason;
  confidence: number;
}

const confidenceOf: Partial<Record<ColumnMatchReason, number>> = {
  [ColumnMatchReason.SAVED_MAPPING]: 1,
  [ColumnMatchReason.EXACT]: 1,
  [ColumnMatchReason.NORMALIZED]: 0.95,
  [ColumnMatchReason.ALIAS]: 0.9,
  [ColumnMatchReason.LABEL]: 0.85,
};

/** Fuzzy matches below this similarity (1 - edit distance / length) are not proposed. */
export const FUZZY_THRESHOLD = 0.7;
/** A fuzzy match's confidence is its similarity times this: always below the applied matches'. */
const FUZZY_WEIGHT = 0.8;
/** Shorter names are too easily close to anything. */
const FUZZY_MIN_LENGTH = 3;

/**
 * Which adapter column a header cell names, and why: a given map (a saved mapping, or runImport's
 * columnMap) first, then the column's exact name, its name in another case or without accents,
 * spaces, quotes or `*` (normalizeHeaderName), an alias, a label (English or French). A name or
 * alias wins over another column's label. These matches are applied; fuzzy ones never are.
 */
export function columnMatcher(adapter: Columns, map: Record<string, string> = {}): (cell: string) => CellMatch | undefined {
  const lookup = new Map<string, CellMatch>();
  const add = (name: string, column: string, reason: ColumnMatchReason) =>
    lookup.set(normalizeHeaderName(name), { column, reason, confidence: confidenceOf[reason]! });
  for (const column of adapter.columns) for (const lang of languages) add(localize(column.label, lang), column.name, ColumnMatchReason.LABEL);
  for (const column of adapter.columns) for (const alias of column.aliases ?? []) add(alias, column.name, ColumnMatchReason.ALIAS);
  for (const column of adapter.columns) add(column.name, column.name, ColumnMatchReason.NORMALIZED);
  for (const [fileName, columnName] of Object.entries(map)) {
    const column = adapter.columns.find((c) => normalizeHeaderName(c.name) === normalizeHeaderName(columnName));
    if (column) add(fileName, column.name, ColumnMatchReason.SAVED_MAPPING);
  }
  return (cell) => {
    const match = lookup.get(normalizeHeaderName(cell));
    // The name as the adapter writes it: exact, not merely normalized.
    if (match?.reason === ColumnMatchReason.NORMALIZED && match.column === cell.trim()) return { ...match, reason: ColumnMatchReason.EXACT, confidence: 1 };
    return match;
  };
}

/** A name as fuzzy matching compares it: normalized, without spaces, `_`, `-`, `.` nor quotes. */
const compact = (name: string) => normalizeHeaderName(name).replace(/[\s_.'"-]+/g, '');

/** 1 - edit distance / the longer length: 1 for the same compact name. */
function similarity(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  return length === 0 ? 0 : 1 - distance(a, b) / length;
}

/** The number of trailing cells that are not empty. */
export function headerWidth(header: readonly string[]): number {
  let width = header.length;
  while (width > 0 && header[width - 1].trim() === '') width--; // trailing separators
  return width;
}

/**
 * The check step's proposal for every column of a header (trailing empty cells aside), in the
 * header's order: the applied matches of columnMatcher, each adapter column to the first cell
 * that names it (a later one is NONE, as the import ignores it); then, for the cells left,
 * the closest name, alias or label of a column left (FUZZY, at least FUZZY_THRESHOLD similar),
 * best pairs first, so that no two file columns get the same adapter column.
 */
export function proposeColumns(header: readonly string[], adapter: Columns, map?: Record<string, string>): ColumnProposal[] {
  const match = columnMatcher(adapter, map);
  const taken = new Set<string>();
  const proposals = header.slice(0, headerWidth(header)).map((cell): ColumnProposal => {
    const fileColumn = cell.trim();
    const found = fileColumn === '' ? undefined : match(fileColumn);
    if (!found || taken.has(found.column)) return { fileColumn, column: null, reason: ColumnMatchReason.NONE, confidence: 0, applied: false };
    taken.add(found.column);
    return { fileColumn, ...found, applied: true };
  });
  const pairs: Array<{ at: number; column: string; score: number }> = [];
  proposals.forEach((proposal, at) => {
    const name = compact(proposal.fileColumn);
    if (proposal.applied || name.length < FUZZY_MIN_LENGTH) return;
    for (const column of adapter.columns) {
      if (taken.has(column.name)) continue;
      const spellings = [column.name, ...(column.aliases ?? []), ...languages.map((lang) => localize(column.label, lang))];
      const score = Math.max(...spellings.map((spelling) => similarity(name, compact(spelling))));
      if (score >= FUZZY_THRESHOLD) pairs.push({ at, column: column.name, score });
    }
  });
  // Best pairs first; equal ones in the header's, then the adapter's order (sort is stable).
  pairs.sort((a, b) => b.score - a.score);
  for (const { at, column, score } of pairs) {
    if (taken.has(column) || proposals[at].column !== null) continue;
    taken.add(column);
    proposals[at] = { ...proposals[at], column, reason: ColumnMatchReason.FUZZY, confidence: Math.round(score * FUZZY_WEIGHT * 100) / 100 };
  }
  return proposals;
}

/** A saved column mapping as the check step reads it. */
export interface SavedMappingRef {
  id: number;
  name: string;
  /** File header name → adapter column. */
  map: Record<string, string>;
}

/** The signature a mapping is matched with: its file columns, normalized, in order. */
export const fileColumnsSignature = (map: Record<string, string>): string[] => [...new Set(Object.keys(map).map(normalizeHeaderName))].sort();

/**
 * The saved mapping a header matches: one whose every file column is a cell of the header; of
 * several, the one with the most file columns, then the newest.
 */
export function matchSavedMapping<M extends SavedMappingRef>(header: readonly string[], mappings: readonly M[]): M | null {
  const cells = new Set(header.map(normalizeHeaderName));
  let best: M | null = null;
  let bestSize = 0;
  for (const mapping of mappings) {
    const columns = fileColumnsSignature(mapping.map);
    if (columns.length === 0 || !columns.every((column) => cells.has(column))) continue;
    if (columns.length > bestSize || (columns.length === bestSize && best !== null && mapping.id > best.id)) {
      best = mapping;
      bestSize = columns.length;
    }
  }
  return best;
}
