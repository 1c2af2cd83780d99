import { stringify } from 'csv-stringify/sync';
import type { CsvItem } from './csv-reader';

/**
 * A workbook's cells as the text the adapters read (see xlsx.ts): what a CSV export of the sheet
 * would hold, in the forms the `fields` helpers accept.
 */

/** exceljs's own helpers (4.4): the date formats it recognises, serials to dates (loaded with the reader, not at start-up). */
type ExcelUtils = { isDateFmt(format: string | undefined): boolean; excelToDate(serial: number, date1904: boolean): Date };
let utils: ExcelUtils | undefined;
const excelUtils = (): ExcelUtils => (utils ??= require('exceljs/lib/utils/utils') as ExcelUtils);

/** The separator of the records an XLSX file's rejects are written with (unless the adapter reads none: see xlsxDelimiter), and of a row kept as raw text. */
export const XLSX_DELIMITER = ';';

export interface ExcelCell {
  value: unknown;
  numFmt?: string;
}
export interface ExcelRow {
  number: number;
  eachCell(callback: (cell: ExcelCell, column: number) => void): void;
}
/** Excel's own precision: 15 significant digits (87.49999999999999 is the 87.5 it shows). */
export function numberText(value: number): string {
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  // No exponent: the adapters read plain decimals.
  return rounded.toLocaleString('en-US', { useGrouping: false, maximumSignificantDigits: 15 });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Which parts of a date a number format shows (quoted text and [colours] aside; `[h]` elapsed hours count as time). */
function formatParts(format: string): { date: boolean; time: boolean } {
  const code = format.replace(/"[^"]*"/g, '').replace(/\[(?![hms]+\])[^\]]*\]/gi, '').replace(/\\./g, '');
  return { date: /[dy]|m{3,}/i.test(code), time: /[hs]/i.test(code) };
}

/**
 * A date cell as the adapters' date fields read it: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` when its
 * format shows a time too, and a time-only format as a duration `H:MM:SS` (hours past 24 kept).
 */
export function dateText(date: Date, format: string, date1904: boolean): string {
  const parts = formatParts(format);
  if (!parts.date && parts.time) {
    const serial = date.getTime() / 86_400_000 + 25569 - (date1904 ? 1462 : 0);
    const seconds = Math.round(serial * 86_400);
    return `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  }
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const day = `${pad(rounded.getUTCFullYear(), 4)}-${pad(rounded.getUTCMonth() + 1)}-${pad(rounded.getUTCDate())}`;
  if (!parts.time) return day;
  return `${day} ${pad(rounded.getUTCHours())}:${pad(rounded.getUTCMinutes())}:${pad(rounded.getUTCSeconds())}`;
}

/** An Excel error value (`#N/A`, `#DIV/0!`…), found in a cell. */
class CellError {
  constructor(readonly error: string) {}
}

/** Column letters of a 1-based column number. */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A sheet's cells as text. */
export class CellReader {
  constructor(private readonly date1904: boolean) {}

  /**
   * A row as a record (null when every cell is empty), or a problem naming its first error
   * cell; `width` pads or cuts its trailing empty cells.
   */
  record(row: ExcelRow, width: number | null): CsvItem | null {
    const fields: string[] = [];
    let error: { column: number; error: string } | null = null;
    row.eachCell((cell, column) => {
      const text = this.text(cell);
      if (text instanceof CellError) {
        error ??= { column, error: text.error };
        fields[column - 1] = text.error;
      } else fields[column - 1] = text;
    });
    for (let i = 0; i < fields.length; i++) fields[i] ??= '';
    if (!fields.some((field) => field.trim() !== '')) return null;
    let end = fields.length;
    while (width !== null && end > width && fields[end - 1] === '') end--;
    fields.length = end;
    while (width !== null && fields.length < width) fields.push('');
    if (error === null) return { kind: 'record', line: row.number, fields };
    const { column, error: value } = error as { column: number; error: string };
    const cell = `${columnLetters(column)}${row.number}`;
    return {
      kind: 'problem',
      line: row.number,
      code: 'XLSX_CELL_ERROR',
      detail: `cell ${cell} holds the error ${value}`,
      params: { cell, error: value },
      raw: stringify([fields], { delimiter: XLSX_DELIMITER, record_delimiter: 'windows' }),
    };
  }

  private text(cell: ExcelCell): string | CellError {
    return this.valueText(cell.value, cell.numFmt ?? '');
  }

  private valueText(value: unknown, format: string): string | CellError {
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return new CellError('#VALUE!');
      return excelUtils().isDateFmt(format) ? dateText(excelUtils().excelToDate(value, this.date1904), format, this.date1904) : numberText(value);
    }
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? new CellError('#VALUE!') : dateText(value, format, this.date1904);
    const object = value as { richText?: Array<{ text: string }>; text?: unknown; error?: string; formula?: string; sharedFormula?: string; result?: unknown };
    if (object.error !== undefined) return new CellError(object.error);
    if (object.richText) return object.richText.map((run) => run.text ?? '').join('');
    // A formula by its cached value (none when the file was written by a tool that does not compute: empty).
    if (object.formula !== undefined || object.sharedFormula !== undefined) return this.valueText(object.result, format);
    if (object.text !== undefined) return this.valueText(object.text, format);
    return String(value);
  }
}

