import type { AnyAdapter } from '../adapters/define-adapter';
import { isError, prepareRecord } from './batch';
import { readAll, type CsvItem } from './csv-reader';
import { firstItemHeader, isHeaderRecord, looksLikeHeader, positionalMapping, type ColumnMapping } from './header';
import { defaultDelimiters, detectDelimiter } from './sniff';

/** Records of a file's start that an adapter's schema is tried on. */
export const FIT_SAMPLE = 10;

/** How well a file's first records read as an adapter's. */
export interface AdapterFit {
  adapter: string;
  /** Every cell of the first record names one of the adapter's columns. */
  ownsHeader: boolean;
  /** Sampled records (after the header, if any) and those the adapter's row schema accepts. */
  sampled: number;
  valid: number;
  /** Most sampled records fill half of the columns at least (an adapter with optional columns accepts short records of any file). */
  filled: boolean;
}

/** The separator an adapter would read the text with. */
export function delimiterFor(adapter: AnyAdapter, text: string | null): string {
  const candidates = adapter.format?.delimiters ?? defaultDelimiters;
  if (text === null) return candidates[0];
  return detectDelimiter(text, candidates, adapter.columns.length, adapter.format?.escape) ?? candidates[0];
}

/** The first records as the adapter reads them: mapped (by its header or by position) and validated, nothing looked up. */
export function fitOf(adapter: AnyAdapter, items: CsvItem[], header: { hasHeader: boolean; mapping: ColumnMapping | null }): AdapterFit {
  const [first] = items;
  const mapping = header.mapping ?? positionalMapping(adapter);
  const body = (header.mapping ? items.slice(1) : items).filter((item) => item.kind === 'record').slice(0, FIT_SAMPLE);
  const valid = body.filter((item) => !prepareRecord(item, mapping, adapter, header.hasHeader).issues.some(isError)).length;
  const filled = body.filter((item) => item.kind === 'record' && fieldCount(item.fields) * 2 >= mapping.width).length * 2 > body.length;
  return { adapter: adapter.name, ownsHeader: first?.kind === 'record' && isHeaderRecord(first.fields, adapter), sampled: body.length, valid, filled };
}

/** Fields of a record, trailing empty ones left out. */
function fieldCount(fields: string[]): number {
  let count = fields.length;
  while (count > 0 && fields[count - 1].trim() === '') count--;
  return count;
}

/** How the text reads as another adapter's file: its own separator, its header detected. */
function fitOfOther(adapter: AnyAdapter, text: string, maxRecordSize: number): AdapterFit {
  const items = readAll(text, { delimiter: delimiterFor(adapter, text), escape: adapter.format?.escape, maxRecordSize });
  const [first] = items;
  const hasHeader = first?.kind === 'record' && looksLikeHeader(first.fields, adapter);
  const header = first ? firstItemHeader(first, adapter, { hasHeader }) : null;
  return fitOf(adapter, items, { hasHeader, mapping: header?.mapping ?? null });
}

/**
 * The other adapters the file clearly belongs to, best first: those whose columns the first
 * record names in every cell (the chosen adapter's do not) and whose schema accepts most of the
 * first records; or, when the chosen adapter accepts none of them, those that accept them all,
 * most of them filling half of its columns at least.
 * Empty when the chosen adapter reads the file as its own.
 */
export function betterAdapters(chosen: AdapterFit, others: readonly AnyAdapter[], text: string, maxRecordSize: number): string[] {
  if (chosen.ownsHeader) return [];
  const fits = others
    // A package adapter reads zips, never a CSV file: its columns describe no file to suggest it for.
    .filter((adapter) => adapter.name !== chosen.adapter && !adapter.package)
    .map((adapter) => fitOfOther(adapter, text, maxRecordSize))
    .filter((fit) => fit.sampled > 0)
    .filter((fit) => (fit.ownsHeader && fit.valid * 2 >= fit.sampled) || (chosen.sampled > 0 && chosen.valid === 0 && fit.valid === fit.sampled && fit.filled));
  const score = (fit: AdapterFit) => (fit.ownsHeader ? 1 : 0) + fit.valid / fit.sampled;
  const best = Math.max(...fits.map(score));
  return fits.filter((fit) => score(fit) === best).map((fit) => fit.adapter);
}

/**
 * The field count most of the first records have, when the adapter cannot read it: more fields
 * than its columns (or the header's), or too few to reach its last required column. Trailing
 * empty fields do not count. Null when most records fit.
 */
export function columnCountMismatch(
  items: CsvItem[],
  adapter: AnyAdapter,
  mapping: ColumnMapping,
): { count: number; min: number; max: number; line: number } | null {
  const required = adapter.columns.flatMap((column, i) => (column.required && mapping.positions[i] >= 0 ? [mapping.positions[i]] : []));
  const min = required.length > 0 ? Math.max(...required) + 1 : 1;
  const max = mapping.width;
  const misfits: Array<{ count: number; line: number }> = [];
  const records = items.filter((item) => item.kind === 'record').slice(0, FIT_SAMPLE);
  for (const record of records) {
    const count = fieldCount(record.fields);
    if (count < min || count > max) misfits.push({ count, line: record.line });
  }
  if (misfits.length * 2 <= records.length) return null;
  const frequency = new Map<number, number>();
  for (const { count } of misfits) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  const [count] = [...frequency.entries()].sort((a, b) => b[1] - a[1])[0];
  return { count, min, max, line: misfits[0].line };
}
