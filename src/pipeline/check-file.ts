import type { AnyAdapter } from '../adapters/define-adapter';
import { renderMessage } from '../i18n/messages';
import { IssueSeverity } from '../imports/enums';
import type { IssueData } from '../imports/issue-data';
import { readAll, type CsvItem } from './csv-reader';
import { decode, detectEncoding, notTextReason, type TextEncoding } from './encoding';
import { firstItemHeader, looksLikeHeader, positionalMapping, type ColumnMapping } from './header';
import { readItems, readSniffSample, type FileEncoding } from './read-items';
import { stringify } from 'csv-stringify/sync';
import { containerOf, ole2Problem, Workbook, WorkbookProblem, XLSX_DELIMITER, XLSX_ENCODING, type SheetChoice } from './xlsx';
import { delimiterName, SniffSample } from './sniff';
import { betterAdapters, columnCountMismatch, delimiterFor, fitOf } from './adapter-fit';
import { matchSavedMapping, type SavedMappingRef } from './column-proposals';

/** How much of a file the encoding is detected from. */
export const CHECK_SAMPLE_BYTES = 64 * 1024;
export const PREVIEW_RECORDS = 10;
/** Broken records kept while looking for the first readable ones (the first one names the problem). */
const KEPT_PROBLEMS = 10;

export interface FileCheck {
  /** A text encoding, or `xlsx` for a workbook. */
  encoding: FileEncoding;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  preview: string[][];
  problems: IssueData[];
  /** The saved mapping the header matched, applied to the check (and to the import). */
  savedMapping: SavedMappingRef | null;
  /** A workbook's sheets, in its order (null: a CSV file). */
  sheets: string[] | null;
}

export interface CheckOptions {
  adapter: AnyAdapter;
  /** null: decide from the first record. */
  hasHeader: boolean | null;
  /** Whether the whole file is valid UTF-8. */
  utf8: boolean;
  maxRecordSize: number;
  columnMap?: Record<string, string>;
  /** Every adapter the file could be meant for (the registry's): a file that reads as another's is LIKELY_WRONG_ADAPTER. */
  adapters?: readonly AnyAdapter[];
  /** This adapter's saved column mappings: one the header matches is applied (SAVED_MAPPING_APPLIED). */
  savedMappings?: readonly SavedMappingRef[];
  /** A workbook's sheet to check (options.sheet); none: the first that has records. */
  sheet?: SheetChoice;
}

const problem = (code: string, params: Record<string, string> = {}, line: number | null = null, severity = IssueSeverity.ERROR): IssueData => ({
  line,
  column: params.column ?? null,
  severity,
  code,
  message: renderMessage(code, params, 'en'),
  params,
});

/** What the file's start tells: the encoding and the separator, or why the file is not text. */
interface Sniffed {
  encoding: FileEncoding;
  delimiter: string;
  notText: string | null;
}

/** The encoding (and whether the file is text at all) from the first bytes. */
function sniffEncoding(head: Buffer, options: CheckOptions): { encoding: TextEncoding; notText: string | null } {
  const encoding = detectEncoding(head, options.utf8);
  return { encoding, notText: notTextReason(head, decode(head, encoding)) };
}

/**
 * Step 2 of the wizard on a file held in memory whole (tests, small files): see checkStoredFile.
 */
export function checkFile(bytes: Buffer, options: CheckOptions): FileCheck {
  const { adapter } = options;
  const { encoding, notText } = sniffEncoding(bytes, options);
  const text = decode(bytes, encoding);
  const sample = new SniffSample();
  sample.push(text);
  const sniffed = { encoding, notText, delimiter: delimiterFor(adapter, notText ? null : sample.text(true)) };
  if (notText) return notTextCheck(sniffed);
  const items = readAll(text, { delimiter: sniffed.delimiter, escape: adapter.format?.escape, maxRecordSize: options.maxRecordSize });
  return { ...checkItems(items, sniffed, text, options), sheets: null };
}

/**
 * Step 2 of the wizard, before anything is written: encoding (from the first bytes), separator
 * (from the first lines), header and columns, a preview of the first records, and the
 * file-level problems. The file is read as a job reads it, as far as it takes to find its first
 * records: a first record longer than MAX_RECORD_SIZE is one broken record, not an empty file.
 */
export async function checkStoredFile(file: string, head: Buffer, options: CheckOptions): Promise<FileCheck> {
  const { adapter } = options;
  const container = containerOf(head);
  if (container !== null) return checkWorkbook(file, container, options);
  const { encoding, notText } = sniffEncoding(head, options);
  const sniffed = { encoding, notText, delimiter: delimiterFor(adapter, notText ? null : await readSniffSample(file, encoding)) };
  if (notText) return notTextCheck(sniffed);
  const items = await firstItems(readItems(file, encoding, { delimiter: sniffed.delimiter, escape: adapter.format?.escape, maxRecordSize: options.maxRecordSize }));
  return { ...checkItems(items, sniffed, wholeLines(decode(head, encoding), head.length < CHECK_SAMPLE_BYTES), options), sheets: null };
}

/** The header, the preview, and enough records to judge the file by. */
async function firstItems(chunks: AsyncGenerator<CsvItem[]>): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  let records = 0;
  let problems = 0;
  reading: for await (const chunk of chunks) {
    for (const item of chunk) {
      if (item.kind === 'problem' && problems++ >= KEPT_PROBLEMS) continue;
      items.push(item);
      if (item.kind === 'record' && ++records > PREVIEW_RECORDS) break reading;
    }
  }
  return items;
}

/**
 * The separator of an XLSX import's rejects file (CSV): `;`, or the adapter's own when it reads
 * no `;` (a rejects file must import again as it is).
 */
export function xlsxDelimiter(adapter: AnyAdapter): string {
  const candidates = adapter.format?.delimiters;
  return !candidates || candidates.includes(XLSX_DELIMITER) ? XLSX_DELIMITER : candidates[0];
}

/**
 * Step 2 for a zip or OLE2 file: a workbook's sheets, then its chosen sheet checked as a CSV
 * file's records are; a file that is no readable workbook (.xls, encrypted, broken, a zip bomb)
 * gets one file-level problem.
 */
async function checkWorkbook(file: string, container: 'zip' | 'ole2', options: CheckOptions): Promise<FileCheck> {
  const sniffed: Sniffed = { encoding: XLSX_ENCODING, delimiter: xlsxDelimiter(options.adapter), notText: null };
  const refused = (code: string, params: Record<string, string>, sheets: string[] = []): FileCheck => ({
    ...noHeader,
    encoding: sniffed.encoding,
    delimiter: sniffed.delimiter,
    problems: [problem(code, params)],
    sheets,
  });
  let sheets: string[];
  try {
    if (container === 'ole2') throw await ole2Problem(file);
    const book = await Workbook.open(file);
    sheets = book.sheets.map((sheet) => sheet.name);
    const unknown = options.sheet !== undefined && book.sheet(options.sheet) === null;
    book.close();
    if (unknown) return refused('UNKNOWN_SHEET', { sheet: String(options.sheet), sheets: sheets.join(', ') }, sheets);
  } catch (error) {
    if (error instanceof WorkbookProblem) return refused(error.code, error.params);
    throw error;
  }
  let items: CsvItem[];
  try {
    items = await firstItems(readItems(file, XLSX_ENCODING, { delimiter: sniffed.delimiter, maxRecordSize: options.maxRecordSize, sheet: options.sheet }));
  } catch (error) {
    return refused(error instanceof WorkbookProblem ? error.code : 'XLSX_UNREADABLE', error instanceof WorkbookProblem ? error.params : { detail: (error as Error).message }, sheets);
  }
  // Other adapters try the first records as CSV text with `,`, which every adapter reads.
  const sample = stringify(items.flatMap((item) => (item.kind === 'record' ? [item.fields] : [])), { delimiter: ',' });
  return { ...checkItems(items, sniffed, sample, options), sheets };
}

/** The text without its last line when it may be cut inside it. */
function wholeLines(text: string, complete: boolean): string {
  if (complete) return text;
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return lastBreak > 0 ? text.slice(0, lastBreak + 1) : text;
}

/** What a file without records (or not text) has of a header: nothing. */
const noHeader = { hasHeader: false, columns: [], preview: [], savedMapping: null } as const satisfies Partial<FileCheck>;

function notTextCheck(sniffed: Sniffed): FileCheck {
  const { encoding, delimiter } = sniffed;
  return { ...noHeader, encoding, delimiter, problems: [problem('NOT_TEXT', { detail: sniffed.notText! })], sheets: null };
}

/**
 * The cells a broken record starts with (its last one may be cut): enough to tell a header too
 * long to read (a clear file-level problem) from a first data record too long (one rejected record).
 */
function readableStart(item: Extract<CsvItem, { kind: 'problem' }>, sniffed: Sniffed, options: CheckOptions): string[] {
  const [start] = readAll(item.raw, { delimiter: sniffed.delimiter, escape: options.adapter.format?.escape, maxRecordSize: item.raw.length + 1 });
  return start?.kind === 'record' ? start.fields.slice(0, -1) : [];
}

/** The check of the file's first items (records and broken records), in file order. */
function checkItems(items: CsvItem[], sniffed: Sniffed, sampleText: string, options: CheckOptions): Omit<FileCheck, 'sheets'> {
  const { adapter } = options;
  const { encoding, delimiter } = sniffed;
  if (!items.some((item) => item.kind === 'record')) {
    const broken = items.find((item) => item.kind === 'problem');
    const found = broken
      ? problem('UNREADABLE_FILE', { delimiter: delimiterName(delimiter), detail: broken.detail }, broken.line)
      : problem('EMPTY_FILE');
    return { ...noHeader, encoding, delimiter, problems: [found] };
  }
  const [first] = items;
  const firstFields = first.kind === 'record' ? first.fields : readableStart(first, sniffed, options);
  // A saved mapping is for a header: not for a file said to have none.
  const matched = options.hasHeader === false ? null : matchSavedMapping(firstFields, options.savedMappings ?? []);
  const columnMap = matched ? { ...matched.map, ...options.columnMap } : options.columnMap;
  const hasHeader = options.hasHeader ?? looksLikeHeader(firstFields, adapter, columnMap);
  const savedMapping = hasHeader ? matched : null;
  const header = firstItemHeader(first, adapter, { hasHeader, columnMap });
  const problems: IssueData[] = [...(header?.problems ?? [])];
  if (savedMapping) problems.unshift(problem('SAVED_MAPPING_APPLIED', { name: savedMapping.name, id: String(savedMapping.id) }, first.line, IssueSeverity.WARNING));
  const columns = header ? header.fields.slice(0, header.mapping.width).map((cell) => cell.trim()) : positionalMapping(adapter).names;
  const body = header ? items.slice(1) : items;
  if (body.length === 0 && !problems.some((p) => p.severity === IssueSeverity.ERROR)) problems.push(problem('EMPTY_FILE'));
  problems.push(...wrongFileProblems(items, header?.mapping ?? null, hasHeader, sampleText, options));
  return {
    encoding,
    delimiter,
    hasHeader,
    columns,
    preview: body.flatMap((item) => (item.kind === 'record' ? [item.fields] : [])).slice(0, PREVIEW_RECORDS),
    problems,
    savedMapping,
  };
}

/**
 * What tells, before anything runs, that the file is not one of this adapter's: records whose
 * field count the adapter cannot read (a WARNING: each record is judged at import), and a file
 * that reads as another adapter's (an ERROR: runImport refuses it unless told otherwise).
 */
function wrongFileProblems(items: CsvItem[], mapping: ColumnMapping | null, hasHeader: boolean, sampleText: string, options: CheckOptions): IssueData[] {
  const { adapter } = options;
  const problems: IssueData[] = [];
  const body = mapping ? items.slice(1) : items;
  const mismatch = columnCountMismatch(body, adapter, mapping ?? positionalMapping(adapter));
  if (mismatch) {
    const expected = mismatch.min === mismatch.max ? String(mismatch.max) : `${mismatch.min}–${mismatch.max}`;
    problems.push(problem('COLUMN_COUNT_MISMATCH', { count: String(mismatch.count), expected }, mismatch.line, IssueSeverity.WARNING));
  }
  if (options.adapters) {
    const chosen = fitOf(adapter, items, { hasHeader, mapping });
    const better = betterAdapters(chosen, options.adapters, sampleText, options.maxRecordSize);
    if (better.length > 0) problems.push(problem('LIKELY_WRONG_ADAPTER', { adapter: adapter.name, suggested: better.join(', ') }));
  }
  return problems;
}
