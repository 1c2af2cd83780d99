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

  /**
   * @param indexed the file of a part of a split import: each record (and the header, as line 0)
   *   preceded by `line length\n`, so that the parts' files can be merged in file order
   *   (mergeIndexedRejects); no BOM.
   */
  constructor(
    private readonly file: string,
    private readonly delimiter: string,
    private length: number,
    private readonly indexed = false,
  ) {
    this.rollback(length);
  }

  /** A record that parsed, starting on `line`: written again with the same separator. */
  add(fields: string[], line: number): void {
    this.start();
    this.push(line, this.format(fields));
  }

  /** A record that did not parse: its text as it was (a leading formula character guarded). */
  addRaw(raw: string, line: number): void {
    this.start();
    const text = raw.replace(/[\r\n]+$/, '');
    this.push(line, `${/^[=+\-@\t]/.test(text) ? "'" : ''}${text}\r\n`);
  }

  private push(line: number, text: string): void {
    if (this.indexed) this.pending.push(`${line} ${Buffer.byteLength(text)}\n`);
    this.pending.push(text);
  }

  private start(): void {
    if (this.length > 0 || this.pending.length > 0) return;
    if (!this.indexed) this.pending.push(BOM);
    if (this.header) this.push(0, this.format(this.header));
  }

  private format(fields: string[]): string {
    return stringify([fields], { delimiter: this.delimiter, escape_formulas: true, record_delimiter: 'windows' });
  }

  /** The file's length once what was added is written: what the checkpoint stores, before the write. */
  lengthAfterFlush(): number {
    return this.pending.reduce((length, text) => length + Buffer.byteLength(text, 'utf8'), this.length);
  }

  /** Forgets what was added and not written. */
  discard(): void {
    this.pending = [];
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

/** The entries of an indexed rejects file (RejectsWriter `indexed`), in order, read a chunk at a time. */
class IndexedEntries {
  private buffer = Buffer.alloc(0);
  private position = 0;
  private readonly handle: number | null;
  /** The current entry (null: none left). */
  line: number | null = null;
  text: Buffer = Buffer.alloc(0);

  constructor(file: string) {
    this.handle = fs.existsSync(file) ? fs.openSync(file, 'r') : null;
    this.next();
  }

  /** At least `bytes` bytes in the buffer, unless the file ends first. */
  private fill(bytes: number): boolean {
    while (this.buffer.length < bytes && this.handle !== null) {
      const chunk = Buffer.alloc(Math.max(1 << 16, bytes - this.buffer.length));
      const read = fs.readSync(this.handle, chunk, 0, chunk.length, this.position);
      if (read === 0) return false;
      this.position += read;
      this.buffer = Buffer.concat([this.buffer, chunk.subarray(0, read)]);
    }
    return this.buffer.length >= bytes;
  }

  next(): void {
    this.line = null;
    let end = this.buffer.indexOf(10);
    while (end === -1 && this.fill(this.buffer.length + 1)) end = this.buffer.indexOf(10);
    if (end === -1) return;
    const [line, length] = this.buffer.subarray(0, end).toString('latin1').split(' ').map(Number);
    if (!this.fill(end + 1 + length)) throw new Error('a rejects file of a part ends inside a record');
    this.text = this.buffer.subarray(end + 1, end + 1 + length);
    this.buffer = this.buffer.subarray(end + 1 + length);
    this.line = line;
  }

  close(): void {
    if (this.handle !== null) fs.closeSync(this.handle);
  }
}

/**
 * The rejects files of the parts of a split import merged into one, in file order, as one stream
 * writes it (BOM, header, records). Written beside `target` and renamed onto it, so that a run
 * that lost its lease meanwhile cannot leave half a file. Returns the file's length.
 */
export async function mergeIndexedRejects(sources: string[], target: string, attempt: number): Promise<number> {
  const entries = sources.map((source) => new IndexedEntries(source));
  const temporary = `${target}.${attempt}.merging`;
  const out = fs.openSync(temporary, 'w');
  let length = 0;
  const write = (bytes: Buffer | string) => {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    fs.writeSync(out, buffer);
    length += buffer.length;
  };
  try {
    let header: Buffer | null = null;
    for (const source of entries) {
      if (source.line !== 0) continue;
      header ??= source.text;
      source.next();
    }
    let started = false;
    for (;;) {
      let first: IndexedEntries | null = null;
      for (const source of entries) if (source.line !== null && (first === null || source.line < first.line!)) first = source;
      if (first === null) break;
      if (!started) {
        write(BOM);
        if (header) write(header);
        started = true;
      }
      write(first.text);
      first.next();
    }
    fs.fsyncSync(out);
  } finally {
    fs.closeSync(out);
    for (const source of entries) source.close();
  }
  await fs.promises.rename(temporary, target);
  return length;
}
