import type { AnyAdapter } from '../adapters/define-adapter';
import { IssueSeverity } from '../imports/enums';
import type { IssueData } from '../imports/issue-data';
import { renderMessage } from '../i18n/messages';
import type { CsvItem } from './csv-reader';
import { normalizeHeaderName } from './header-name';
import { columnMatcher, headerWidth } from './column-proposals';

export { normalizeHeaderName };

/** What of an adapter the header is read with. */
type Columns = Pick<AnyAdapter, 'columns'>;


/** True when the first record reads as a header: most of its cells name the adapter's columns. */
export function looksLikeHeader(fields: string[], adapter: Columns, columnMap?: Record<string, string>): boolean {
  const match = columnMatcher(adapter, columnMap);
  const cells = fields.filter((cell) => normalizeHeaderName(cell) !== '');
  const known = cells.filter((cell) => match(cell) !== undefined).length;
  return known > 0 && known >= cells.length / 2;
}

/**
 * True when every cell of the record names one of the adapter's columns (two at least): a
 * header row, even in a file said to have none (SPEC §4.3: recognised and skipped).
 */
export function isHeaderRecord(fields: string[], adapter: Columns): boolean {
  const match = columnMatcher(adapter);
  const cells = fields.filter((cell) => normalizeHeaderName(cell) !== '');
  return cells.length >= Math.min(2, adapter.columns.length) && cells.every((cell) => match(cell) !== undefined);
}

/** Where each adapter column is found in a record: its index, or -1 when absent. */
export interface ColumnMapping {
  /** Adapter column names, in the adapter's order. */
  readonly names: string[];
  /** For each adapter column, the index of its field in a record (-1: absent). */
  readonly positions: number[];
  /** Number of fields a record is expected to have. */
  readonly width: number;
}

const fileProblem = (code: string, params: Record<string, string>, severity: IssueSeverity, line: number | null): IssueData => ({
  line,
  column: params.column ?? null,
  severity,
  code,
  message: renderMessage(code, params, 'en'),
  params,
});

/** Without a header, columns are read by position. */
export function positionalMapping(adapter: Columns): ColumnMapping {
  const names = adapter.columns.map((column) => column.name);
  return { names, positions: names.map((_, i) => i), width: names.length };
}

/**
 * Maps a header record to the adapter's columns: by name, alias, label or the given column map (columnMatcher).
 * A required column that is missing is an ERROR, an unknown or repeated one a WARNING.
 */
export function mapHeader(
  header: string[],
  adapter: Columns,
  options: { line?: number; columnMap?: Record<string, string> } = {},
): { mapping: ColumnMapping; problems: IssueData[] } {
  const match = columnMatcher(adapter, options.columnMap);
  const line = options.line ?? 1;
  const problems: IssueData[] = [];
  const names = adapter.columns.map((column) => column.name);
  const positions = names.map(() => -1);
  const width = headerWidth(header);
  header.slice(0, width).forEach((cell, index) => {
    const name = match(cell)?.column;
    if (name === undefined) {
      if (cell.trim() !== '') problems.push(fileProblem('UNKNOWN_COLUMN', { name: cell.trim() }, IssueSeverity.WARNING, line));
      return;
    }
    const at = names.indexOf(name);
    if (positions[at] >= 0) {
      problems.push(fileProblem('DUPLICATE_COLUMN', { column: name }, IssueSeverity.WARNING, line));
      return;
    }
    positions[at] = index;
  });
  if (width > 0 && positions.every((at) => at < 0)) {
    // Not one cell names a column: not this import's header (or no header at all), one problem instead of one per column.
    const expected = adapter.columns.map((column) => column.name).join(', ');
    return { mapping: { names, positions, width }, problems: [fileProblem('HEADER_NOT_RECOGNISED', { expected }, IssueSeverity.ERROR, line)] };
  }
  adapter.columns.forEach((column, i) => {
    if (column.required && positions[i] < 0) {
      problems.push(fileProblem('MISSING_COLUMN', { column: column.name }, IssueSeverity.ERROR, line));
    }
  });
  return { mapping: { names, positions, width }, problems };
}

/** How a file's first item is read when it is a header: the mapping by name, and the header's problems. */
export interface FirstHeader {
  fields: string[];
  mapping: ColumnMapping;
  problems: IssueData[];
}

/**
 * The header of a file, read from its first item (record or broken record): the first record
 * when the file has a header; when it has none, a first record that names the adapter's columns
 * in every cell, skipped with a HEADER_SKIPPED warning and read as the header (its order is the
 * file's). Null: the first item is a record, columns are read by position. The check step and
 * every job (on the job's thread, in a worker, from a checkpoint) decide with this one function.
 */
export function firstItemHeader(
  item: CsvItem,
  adapter: Columns,
  options: { hasHeader: boolean; columnMap?: Record<string, string> },
): FirstHeader | null {
  if (!options.hasHeader) {
    if (item.kind === 'problem' || !isHeaderRecord(item.fields, adapter)) return null;
    const { mapping, problems } = mapHeader(item.fields, adapter, { line: item.line });
    return { fields: item.fields, mapping, problems: [fileProblem('HEADER_SKIPPED', {}, IssueSeverity.WARNING, item.line), ...problems] };
  }
  if (item.kind === 'problem') {
    // A header that cannot be read maps nothing: the file cannot be imported.
    const problem = fileProblem('HEADER_UNREADABLE', { detail: item.detail }, IssueSeverity.ERROR, item.line);
    return { fields: [], mapping: positionalMapping(adapter), problems: [problem] };
  }
  return { fields: item.fields, ...mapHeader(item.fields, adapter, { line: item.line, columnMap: options.columnMap }) };
}

/** Leading `'` that our rejects files (and Excel users) put before = + - @ and tab. */
const formulaGuard = /^'(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/;

/** A cell as schemas read it: the field at `at` (if any) trimmed, without a formula guard, null when empty. */
export function cellAt(fields: string[], at: number): string | null {
  let value = at >= 0 && at < fields.length ? fields[at].trim() : '';
  if (value.charCodeAt(0) === 0x27 /* ' */) value = value.replace(formulaGuard, '');
  return value === '' ? null : value;
}

/** Builds the row object an adapter's schema reads: trimmed cells, empty ones as null. */
export function recordToCells(fields: string[], mapping: ColumnMapping): Record<string, string | null> {
  const cells: Record<string, string | null> = {};
  for (let i = 0; i < mapping.names.length; i++) cells[mapping.names[i]] = cellAt(fields, mapping.positions[i]);
  return cells;
}

/**
 * Compares the record's field count with the expected width. More non-empty fields than
 * columns cannot be read without guessing: an error. Fewer fields than the header names
 * read as empty cells: a warning (without a header, missing trailing cells are normal).
 */
export function fieldCountProblem(
  fields: string[],
  mapping: ColumnMapping,
  hasHeader: boolean,
): { code: 'TOO_MANY_FIELDS' | 'TOO_FEW_FIELDS'; count: number } | null {
  let count = fields.length;
  while (count > mapping.width && fields[count - 1].trim() === '') count--;
  if (count > mapping.width) return { code: 'TOO_MANY_FIELDS', count };
  if (hasHeader && count < mapping.width) return { code: 'TOO_FEW_FIELDS', count };
  return null;
}
