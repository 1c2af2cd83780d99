import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';

const BOM = '\uFEFF';

/**
 * The rejects file: rejected records in the input's layout (its header, columns and
 * separator), UTF-8 with a BOM for Excel, cells that a spreadsheet would run as formulas
 * prefixed with `'` (the importer strips it again, so the fixed file imports as it is).
 * Its length is stored with each batch's checkpoint; a batch that does not commit is cut off.
 */
export class RejectsWriter {
  private handle: number | null = null;
  private pending: string[] = [];
  /** The input's header row, written first when the input had one. */
  header: string[] | null = null;

  constructor(
    private readonly file: string,
    private readonly delimiter: string,
    private length: number,
  ) {
    this.rollback(length);
  }

  /** A record that parsed: written again with the same separator. */
  add(fields: string[]): void {
    this.start();
    this.pending.push(this.format(fields));
  }

  /** A record that did not parse: its text as it was (a leading formula character guarded). */
  addRaw(raw: string): void {
    this.start();
    const text = raw.replace(/[\r\n]+$/, '');
    this.pending.push(`${/^[=+\-@\t]/.test(text) ? "'" : ''}${text}\r\n`);
  }

  private start(): void {
    if (this.length > 0 || this.pending.length > 0) return;
    this.pending.push(BOM);
    if (this.header) this.pending.push(this.format(this.header));
  }

  private format(fields: string[]): string {
    return stringify([fields], { delimiter: this.delimiter, escape_formulas: true, record_delimiter: 'windows' });
  }

  /** Writes what was added; returns the file's length, to be stored with the checkpoint. */
  flush(): number {
    if (this.pending.length === 0) return this.length;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.handle ??= fs.openSync(this.file, 'a');
    fs.writeSync(this.handle, bytes);
    fs.fsyncSync(this.handle);
    this.length += bytes.length;
    return this.length;
  }

  /** Forgets what was added since the checkpoint that covered `length` bytes. */
  rollback(length: number): void {
    this.pending = [];
    this.length = length;
    if (fs.existsSync(this.file)) fs.truncateSync(this.file, length);
  }

  close(): void {
    if (this.handle !== null) fs.closeSync(this.handle);
    this.handle = null;
  }
}
