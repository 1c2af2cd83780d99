import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import type { CsvItem } from './csv-reader';
import { CellReader, type ExcelRow } from './xlsx-cells';
import { openEntry, openZipFile } from './zip-file';

export { XLSX_DELIMITER } from './xlsx-cells';

/**
 * XLSX input: a workbook read as records of text cells, like a CSV file's, so that the rest of
 * the pipeline (header, validation, counters, rejects, resume) does not know the difference.
 *
 * The zip is opened with yauzl (its central directory: random access, real inflated sizes
 * checked against the declared ones), which bounds the expansion before anything is parsed and
 * lets the chosen sheet be streamed alone, after the shared strings and styles it refers to.
 * The sheet's XML is parsed by exceljs's streaming worksheet reader (the reader behind
 * `stream.xlsx.WorkbookReader`), fed one entry at a time: the WorkbookReader itself reads the zip
 * in file order and copies every sheet written before the shared strings (Excel's order) to a
 * temporary file that an early stop leaves behind.
 */

/** exceljs's streaming reader (4.4): the public WorkbookReader's parts, used on their own; loaded when a workbook is read, not at start-up. */
const workbookReader = () => require('exceljs/lib/stream/xlsx/workbook-reader') as new (input: unknown, options: object) => ExcelBook;

interface ExcelBook {
  sharedStrings?: unknown[];
  properties?: { model?: { date1904?: boolean } };
  model?: { sheets: unknown[] };
  workbookRels?: unknown[];
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ value: AsyncIterable<ExcelRow> }>;
}

/**
 * Limits on what a workbook may expand to (zip bombs): total inflated bytes, inflated / compressed
 * of a large entry, and the shared strings (the cells' text, held in memory while a sheet is read).
 */
export const XLSX_LIMITS = { maxUncompressedBytes: 2 * 1024 ** 3, maxRatio: 200, ratioFrom: 1024 ** 2, maxSharedStringsBytes: 256 * 1024 ** 2 };
/** The `encoding` an ImportFile holds for a workbook. */
export const XLSX_ENCODING = 'xlsx';
/** Rows handed on at a time. */
const CHUNK_ROWS = 256;
/** The XML parts read whole (workbook, its relationships). */
const MAX_PART_BYTES = 16 * 1024 * 1024;

/** A workbook that cannot be read: a file-level problem (code and message parameters). */
export class WorkbookProblem extends Error {
  constructor(
    readonly code: 'XLSX_UNREADABLE' | 'XLSX_TOO_LARGE' | 'XLSX_STRINGS_TOO_LARGE' | 'XLSX_ENCRYPTED' | 'XLS_FORMAT',
    readonly params: Record<string, string> = {},
  ) {
    super(`${code} ${JSON.stringify(params)}`);
  }
}

/** What a file's first bytes say it is: a zip (an .xlsx), an OLE2 compound file (.xls, or an encrypted workbook), or neither. */
export function containerOf(head: Buffer): 'zip' | 'ole2' | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return 'zip';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole2';
  return null;
}

/** An OLE2 file is an encrypted OOXML workbook when it holds an `EncryptedPackage` stream (its directory names it in UTF-16LE). */
export async function ole2Problem(file: string): Promise<WorkbookProblem> {
  const marker = Buffer.from('EncryptedPackage', 'utf16le');
  let tail = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    const window = Buffer.concat([tail, chunk as Buffer]);
    if (window.includes(marker)) return new WorkbookProblem('XLSX_ENCRYPTED');
    tail = window.subarray(Math.max(0, window.length - marker.length));
  }
  return new WorkbookProblem('XLS_FORMAT');
}

export interface SheetInfo {
  name: string;
  /** Its part in the zip, e.g. `xl/worksheets/sheet1.xml`. */
  path: string;
}

/** A sheet named by `options.sheet`: its name, or its 1-based position in the workbook's tabs. */
export type SheetChoice = string | number;

const decodeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()];
    return String.fromCodePoint(entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : Number(entity.slice(1)));
  });

/** The attributes of each `<tag …>` of an XML text (any namespace prefix). */
function tags(xml: string, tag: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const match of xml.matchAll(new RegExp(`<(?:\\w+:)?${tag}\\s([^>]*?)/?>`, 'g'))) {
    const attributes: Record<string, string> = {};
    for (const [, name, value] of match[1].matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) attributes[name] = decodeXml(value);
    found.push(attributes);
  }
  return found;
}

/** An opened workbook: its sheets, its date system, its parts streamed on demand. */
export class Workbook {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    readonly sheets: SheetInfo[],
    readonly date1904: boolean,
  ) {}

  /** Opens the file and reads its directory and workbook part; a WorkbookProblem when it is no readable workbook. */
  static async open(file: string, limits = XLSX_LIMITS): Promise<Workbook> {
    let zip: yauzl.ZipFile;
    try {
      zip = await openZipFile(file);
    } catch (error) {
      throw new WorkbookProblem('XLSX_UNREADABLE', { detail: (error as Error).message });
    }
    try {
      const entries = await readDirectory(zip, limits);
      const strings = entries.get('xl/sharedStrings.xml');
      if (strings && strings.uncompressedSize > limits.maxSharedStringsBytes) throw new WorkbookProblem('XLSX_STRINGS_TOO_LARGE', { max: String(limits.maxSharedStringsBytes / 1024 ** 2) });
      const styles = entries.get('xl/styles.xml');
      if (styles && styles.uncompressedSize > MAX_PART_BYTES) throw new WorkbookProblem('XLSX_UNREADABLE', { detail: 'xl/styles.xml is too large' });
      const workbook = await Workbook.part(zip, entries, 'xl/workbook.xml');
      if (workbook === null) throw new WorkbookProblem('XLSX_UNREADABLE', { detail: 'the archive has no xl/workbook.xml (is it an Excel workbook?)' });
      const rels = (await Workbook.part(zip, entries, 'xl/_rels/workbook.xml.rels')) ?? '';
      const targets = new Map(tags(rels, 'Relationship').map((rel) => [rel.Id, rel.Target]));
      const sheets = tags(workbook, 'sheet').flatMap((sheet): SheetInfo[] => {
        const target = targets.get(sheet['r:id'] ?? sheet.id ?? '');
        if (!sheet.name || !target) return [];
        const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
        return entries.has(path) ? [{ name: sheet.name, path }] : [];
      });
      const flag = tags(workbook, 'workbookPr')[0]?.date1904;
      return new Workbook(zip, entries, sheets, flag === '1' || flag === 'true');
    } catch (error) {
      zip.close();
      if (error instanceof WorkbookProblem) throw error;
      throw new WorkbookProblem('XLSX_UNREADABLE', { detail: (error as Error).message });
    }
  }

  private static async part(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, path: string): Promise<string | null> {
    const entry = entries.get(path);
    if (!entry) return null;
    if (entry.uncompressedSize > MAX_PART_BYTES) throw new WorkbookProblem('XLSX_UNREADABLE', { detail: `${path} is too large` });
    let text = '';
    for await (const chunk of await Workbook.stream(zip, entry)) text += chunk;
    return text;
  }

  private static async stream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
    const stream = await openEntry(zip, entry);
    // Decoded here, across chunks: exceljs decodes each chunk alone, which cuts a character split between two.
    stream.setEncoding('utf8');
    return stream;
  }

  /** The sheet named by a choice, or null when there is none such. */
  sheet(choice: SheetChoice): SheetInfo | null {
    if (typeof choice === 'number') return this.sheets[choice - 1] ?? null;
    return this.sheets.find((sheet) => sheet.name === choice) ?? this.sheets.find((sheet) => sheet.name.toLowerCase() === choice.toLowerCase()) ?? null;
  }

  /**
   * A sheet's rows as records (the CSV reader's items), CHUNK_ROWS at a time: every cell as
   * text (see cellText), empty rows left out, each record as wide as the sheet's first one
   * (trailing empty cells dropped or added), its line the row's number. `onBytes` is told the
   * progress in the file's own (compressed) bytes.
   */
  async *rows(sheet: SheetInfo, fileSize: number, onBytes: (bytes: number) => void = () => {}): AsyncGenerator<CsvItem[]> {
    const book = new (workbookReader())(null, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
    const strings = this.entries.get('xl/sharedStrings.xml');
    if (strings) for await (const _ of book._parseSharedStrings(await Workbook.stream(this.zip, strings)));
    const styles = this.entries.get('xl/styles.xml');
    if (styles) await book._parseStyles(await Workbook.stream(this.zip, styles));
    book.properties = { model: { date1904: this.date1904 } };
    book.model = { sheets: [] };
    const entry = this.entries.get(sheet.path)!;
    const source = await Workbook.stream(this.zip, entry);
    // Progress: the part's characters scaled to the file's size (the sheet is most of the file).
    const scale = fileSize / Math.max(1, entry.uncompressedSize);
    source.on('data', (chunk: string) => onBytes(chunk.length * scale));
    const cells = new CellReader(this.date1904);
    let width: number | null = null;
    let chunk: CsvItem[] = [];
    try {
      const [{ value: rows }] = book._parseWorksheet(source, '1');
      for await (const row of rows) {
        const item = cells.record(row, width);
        if (item === null) continue;
        width ??= item.kind === 'record' ? item.fields.length : null;
        chunk.push(item);
        if (chunk.length >= CHUNK_ROWS) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
    } finally {
      source.destroy();
    }
  }

  close(): void {
    this.zip.close();
  }
}

/** The directory's entries by name, the expansion bounded (see XLSX_LIMITS). */
async function readDirectory(zip: yauzl.ZipFile, limits: typeof XLSX_LIMITS): Promise<Map<string, yauzl.Entry>> {
  const entries = new Map<string, yauzl.Entry>();
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (total > limits.maxUncompressedBytes || (entry.uncompressedSize >= limits.ratioFrom && ratio > limits.maxRatio)) {
        reject(new WorkbookProblem('XLSX_TOO_LARGE', { max: String(Math.round(limits.maxUncompressedBytes / 1024 ** 2)), ratio: String(limits.maxRatio) }));
        return;
      }
      if (entry.isEncrypted()) {
        reject(new WorkbookProblem('XLSX_ENCRYPTED'));
        return;
      }
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return entries;
}

/**
 * A workbook's records, as readItems gives a CSV file's: the chosen sheet's, or those of the
 * first sheet (in the workbook's order) that has any.
 */
export async function* readWorkbookItems(file: string, choice: SheetChoice | undefined, onBytes: (bytes: number) => void = () => {}): AsyncGenerator<CsvItem[]> {
  const size = (await fs.promises.stat(file)).size;
  const book = await Workbook.open(file);
  try {
    const chosen = choice === undefined ? null : book.sheet(choice);
    if (choice !== undefined && chosen === null) throw new Error(`no sheet ${JSON.stringify(choice)} in the workbook (sheets: ${book.sheets.map((s) => s.name).join(', ')})`);
    for (const sheet of chosen ? [chosen] : book.sheets) {
      let any = false;
      for await (const items of book.rows(sheet, size, onBytes)) {
        any ||= items.length > 0;
        yield items;
      }
      if (any) return;
    }
  } finally {
    book.close();
  }
}
