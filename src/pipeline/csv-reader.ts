/**
 * A streaming CSV tokenizer that never loses a valid record to a broken neighbour.
 *
 * Why not csv-parse: with `skip_records_with_error`, csv-parse 7 stops reading the rest of
 * the chunk after a `max_record_size` error and swallows the rest of the file after an
 * unclosed quote, so valid records after the bad one are lost; and with `info` and `raw`
 * (needed for line numbers) it reads ~60k records/s, a fraction of what the database
 * accepts. This reader resynchronises at the next line after any broken record, in linear
 * time, and reports where each record starts.
 *
 * Rules: fields separated by one delimiter character; records end at CRLF, LF or CR; a field
 * starting with `"` is quoted and may hold delimiters, line breaks and `""` (or, with
 * `escape: '\\'`, `\"`); spaces after a closing quote are tolerated; a quote inside an
 * unquoted field is kept as it is; blank records are skipped.
 */

export interface CsvReaderOptions {
  delimiter: string;
  /** `"` (doubled quotes, the default) or `\\` (Blackboard's `\"`). */
  escape?: string;
  /** Longest record, in characters. */
  maxRecordSize: number;
}

/** XLSX_CELL_ERROR: a workbook's row with an error value (#N/A…) in a cell (see xlsx.ts). */
export type CsvProblemCode = 'MALFORMED_RECORD' | 'UNCLOSED_QUOTE' | 'RECORD_TOO_LONG' | 'XLSX_CELL_ERROR';

export type CsvItem =
  | { kind: 'record'; line: number; fields: string[] }
  | {
      kind: 'problem';
      line: number;
      code: CsvProblemCode;
      /** In English, for logs; `params` fill the message. */
      detail: string;
      params: Record<string, number | string>;
      raw: string;
    };

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const NEED_MORE = -1;

export class CsvReader {
  private buffer = '';
  /** Absolute offset of buffer[0] in the text. */
  private base = 0;
  /** Line number of buffer[0]. */
  private line = 1;
  /** Until this absolute offset, a quoted field may not span lines (after an unclosed quote). */
  private singleLineUntil = -1;
  /** Dropping the rest of an over-long line that is not in the buffer yet. */
  private discarding = false;
  private final = false;
  private readonly delimiter: number;
  private readonly escape: number;

  constructor(private readonly options: CsvReaderOptions) {
    if (options.delimiter.length !== 1) throw new Error('delimiter must be one character');
    this.delimiter = options.delimiter.charCodeAt(0);
    this.escape = (options.escape ?? '"').charCodeAt(0);
  }

  /** Adds text; returns the records and problems it completes. */
  push(chunk: string): CsvItem[] {
    this.buffer += chunk;
    return this.scan();
  }

  /** Ends the text; returns what remained. */
  end(): CsvItem[] {
    this.final = true;
    return this.scan();
  }

  private scan(): CsvItem[] {
    const out: CsvItem[] = [];
    const text = this.buffer;
    let start = 0;
    if (this.discarding) {
      const lineEnd = this.findLineBreak(text, 0);
      if (lineEnd < 0) {
        this.base += text.length;
        this.buffer = '';
        return out;
      }
      this.discarding = false;
      start = this.afterLineBreak(text, lineEnd);
      this.line++;
    }
    while (start < text.length) {
      const next = this.readRecord(text, start, out);
      if (next === NEED_MORE) break;
      start = next;
    }
    this.buffer = text.slice(start);
    this.base += start;
    return out;
  }

  private findLineBreak(text: string, from: number): number {
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) return i;
    }
    return -1;
  }

  private afterLineBreak(text: string, at: number): number {
    return text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
  }

  /** A CR at the end of the buffer may be the first half of a CRLF. */
  private lineBreakIncomplete(text: string, at: number): boolean {
    return !this.final && text.charCodeAt(at) === CR && at + 1 >= text.length;
  }

  /**
   * Reports a broken record starting at `start` and resumes at the line after its first
   * line; `reached` is how far the failed attempt read, re-read afterwards without letting
   * quoted fields span lines, so each character is read at most twice.
   */
  private recover(
    text: string,
    start: number,
    reached: number,
    code: 'UNCLOSED_QUOTE' | 'RECORD_TOO_LONG',
    out: CsvItem[],
  ): number {
    const max = this.options.maxRecordSize;
    const detail = code === 'UNCLOSED_QUOTE' ? 'a quote is never closed' : `longer than ${max} characters`;
    const lineEnd = this.findLineBreak(text, start);
    const rawEnd = Math.min(lineEnd < 0 ? text.length : lineEnd, start + this.options.maxRecordSize);
    out.push({ kind: 'problem', line: this.line, code, detail, params: code === 'RECORD_TOO_LONG' ? { max } : {}, raw: text.slice(start, rawEnd) });
    this.singleLineUntil = Math.max(this.singleLineUntil, this.base + reached);
    if (lineEnd < 0 || this.lineBreakIncomplete(text, lineEnd)) {
      if (this.final) return text.length;
      this.discarding = lineEnd < 0;
      return lineEnd < 0 ? text.length : lineEnd;
    }
    this.line++;
    return this.afterLineBreak(text, lineEnd);
  }

  /** Reads the record at `start`; returns where the next one starts, or NEED_MORE. */
  private readRecord(text: string, start: number, out: CsvItem[]): number {
    const n = text.length;
    const max = this.options.maxRecordSize;
    const spanAllowed = this.base + start >= this.singleLineUntil;
    const fields: string[] = [];
    let lines = 0;
    let pos = start;
    for (;;) {
      // At the start of a field.
      if (pos >= n) {
        if (!this.final) return NEED_MORE;
        fields.push('');
        return this.emit(fields, lines, pos, out);
      }
      let c = text.charCodeAt(pos);
      if (c === SPACE || (c === TAB && this.delimiter !== TAB)) {
        // Spaces before an opening quote (`"a", "b"`) are not part of the field.
        let next = pos;
        while (next < n && (text.charCodeAt(next) === SPACE || (text.charCodeAt(next) === TAB && this.delimiter !== TAB))) next++;
        if (next >= n && !this.final) return NEED_MORE;
        if (text.charCodeAt(next) === QUOTE) {
          pos = next;
          c = QUOTE;
        }
      }
      if (c !== QUOTE) {
        let end = pos;
        while (end < n) {
          c = text.charCodeAt(end);
          if (c === this.delimiter || c === LF || c === CR) break;
          end++;
        }
        if (end - start > max) return this.recover(text, start, end, 'RECORD_TOO_LONG', out);
        if (end >= n && !this.final) return NEED_MORE;
        fields.push(text.slice(pos, end));
        if (end >= n) return this.emit(fields, lines, end, out);
        if (c === this.delimiter) {
          pos = end + 1;
          continue;
        }
        if (this.lineBreakIncomplete(text, end)) return NEED_MORE;
        return this.emit(fields, lines + 1, this.afterLineBreak(text, end), out);
      }
      // A quoted field.
      let value = '';
      let from = ++pos;
      for (;;) {
        if (pos - start > max) {
          return this.recover(text, start, pos, 'RECORD_TOO_LONG', out);
        }
        if (pos >= n) {
          if (!this.final) return NEED_MORE;
          return this.recover(text, start, pos, 'UNCLOSED_QUOTE', out);
        }
        c = text.charCodeAt(pos);
        if (c === this.escape && this.escape !== QUOTE) {
          if (pos + 1 >= n && !this.final) return NEED_MORE;
          const next = text.charCodeAt(pos + 1);
          if (next === QUOTE || next === this.escape) {
            value += text.slice(from, pos);
            from = pos + 1;
            pos += 2;
            continue;
          }
          pos++;
          continue;
        }
        if (c === QUOTE) {
          if (pos + 1 >= n && !this.final) return NEED_MORE;
          if (text.charCodeAt(pos + 1) === QUOTE) {
            value += text.slice(from, pos + 1);
            pos += 2;
            from = pos;
            continue;
          }
          value += text.slice(from, pos);
          pos++;
          while (pos < n && (text.charCodeAt(pos) === SPACE || (text.charCodeAt(pos) === TAB && this.delimiter !== TAB))) pos++;
          if (pos >= n) {
            if (!this.final) return NEED_MORE;
            fields.push(value);
            return this.emit(fields, lines, pos, out);
          }
          c = text.charCodeAt(pos);
          if (c === this.delimiter) {
            fields.push(value);
            pos++;
            break;
          }
          if (c === LF || c === CR) {
            if (this.lineBreakIncomplete(text, pos)) return NEED_MORE;
            fields.push(value);
            return this.emit(fields, lines + 1, this.afterLineBreak(text, pos), out);
          }
          return this.malformed(text, start, pos, lines, out);
        }
        if (c === LF || c === CR) {
          if (!spanAllowed) return this.recover(text, start, pos, 'UNCLOSED_QUOTE', out);
          if (this.lineBreakIncomplete(text, pos)) return NEED_MORE;
          pos = this.afterLineBreak(text, pos);
          lines++;
          continue;
        }
        pos++;
      }
    }
  }

  /** Text after a closing quote: the record is broken up to the end of that line. */
  private malformed(text: string, start: number, pos: number, lines: number, out: CsvItem[]): number {
    const lineEnd = this.findLineBreak(text, pos);
    if (lineEnd < 0 && !this.final) {
      const max = this.options.maxRecordSize;
      if (text.length - start > max) return this.recover(text, start, pos, 'RECORD_TOO_LONG', out);
      return NEED_MORE;
    }
    if (lineEnd >= 0 && this.lineBreakIncomplete(text, lineEnd)) return NEED_MORE;
    const end = lineEnd < 0 ? text.length : lineEnd;
    const at = { atLine: this.line + lines, atColumn: pos - this.lineStart(text, start, pos) + 1 };
    out.push({
      kind: 'problem',
      line: this.line,
      code: 'MALFORMED_RECORD',
      detail: `text after a closing quote at line ${at.atLine}, column ${at.atColumn}`,
      params: at,
      raw: text.slice(start, end),
    });
    this.line += lines + (lineEnd < 0 ? 0 : 1);
    return lineEnd < 0 ? end : this.afterLineBreak(text, lineEnd);
  }

  private lineStart(text: string, start: number, pos: number): number {
    for (let i = pos - 1; i >= start; i--) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) return i + 1;
    }
    return start;
  }

  private emit(fields: string[], lines: number, next: number, out: CsvItem[]): number {
    if (fields.some((field) => field.length > 0 && field.trim() !== '')) out.push({ kind: 'record', line: this.line, fields });
    this.line += lines;
    return next;
  }
}

/** Reads a whole text at once (check step, tests). */
export function readAll(text: string, options: CsvReaderOptions): CsvItem[] {
  const reader = new CsvReader(options);
  return [...reader.push(text), ...reader.end()];
}
