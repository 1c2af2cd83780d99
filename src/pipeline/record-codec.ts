import type { RowIssue } from '../adapters/define-adapter';
import { NO_RECORD_ISSUES, prepareRecord, quickValues, type PendingRecord } from './batch';
import type { CsvItem } from './csv-reader';
import { fieldCountProblem, type ColumnMapping } from './header';
import type { BatchBuilder, ReadingAdapter } from './prepared-batches';
import { cellKind } from '../adapters/fields';
import { rowPlan, type RowRecipe } from './validate';

/**
 * A batch of prepared records as the reading thread hands it to the job's thread: columns of
 * typed arrays and strings instead of an object a record, so that the job's side receives it at
 * the cost of a copy (structured clone of whole records costs it as much as preparing them).
 * Strings go by dictionaries both sides keep from batch to batch: a value met before (a login, a
 * course code) arrives as a number and is the same string object on the job's side.
 */
export interface EncodedBatch {
  count: number;
  lines: Float64Array;
  /** Every record's fields end to end; fieldEnds[k]: where field k ends; recordEnds[i]: fields in records 0..i. */
  text: string;
  fieldEnds: Uint32Array;
  recordEnds: Uint32Array;
  /** 1: the record is one of `others` (a problem, or a record with issues); 0: its data is in the columns. */
  kinds: Uint8Array;
  columns: EncodedColumn[];
  others: OtherRecord[];
}

/** A record kept whole: its issues, its data if any, and for a problem its raw text (it has no fields). */
interface OtherRecord {
  parsed: boolean;
  raw: string | null;
  data?: unknown;
  issues: RowIssue[];
}

type EncodedColumn =
  | { key: string; kind: 'string'; codes: Int32Array; reset: boolean; added: string[] }
  | { key: string; kind: 'number'; values: Float64Array; nulls: Uint8Array }
  | { key: string; kind: 'boolean'; values: Uint8Array };

/** A string of its own (V8 may keep a substring as a view of the string it was cut from). */
const flat = (value: string) => (value.length < 13 ? value : ` ${value}`.slice(1));

/** Strings a dictionary keeps before it starts over: bounded memory on both sides. */
const MAX_DICTIONARY = 65_536;
const NULL_CODE = -1;

/** A column being filled, in the form its values take (from the schema's recipe). */
type ColumnBuffer =
  | { kind: 'string'; codes: Int32Array; added: string[]; reset: boolean; dictionary: Map<string, number> }
  | { kind: 'number'; values: Float64Array; nulls: Uint8Array }
  | { kind: 'boolean'; values: Uint8Array };

/**
 * The reading thread's side: prepares records as the job would (prepareRecord), and writes the
 * validated values of the usual record (no issue) straight into typed columns — strings as
 * dictionary codes — so that nothing of a record but its text stays on the heap until the
 * batch is sent. Records with issues, and problems, go whole (`others`).
 */
export class ColumnBatch implements BatchBuilder<{ batch: EncodedBatch; transfer: ArrayBuffer[] }> {
  private count = 0;
  private lines!: Float64Array;
  private kinds!: Uint8Array;
  private recordEnds!: Uint32Array;
  private fieldEnds!: Uint32Array;
  private fieldCount = 0;
  private textLength = 0;
  /** Each record's fields joined: one string a record (their ends are in fieldEnds). */
  private texts: string[] = [];
  private others: OtherRecord[] = [];
  private columns!: ColumnBuffer[];
  private readonly scratch: unknown[] = [];
  private readonly dictionaries: Array<Map<string, number>>;
  private readonly keys: readonly string[];

  /** @param recipe the recipe of the adapter's row schema (it validates without zod). */
  constructor(
    private readonly adapter: ReadingAdapter,
    private readonly hasHeader: boolean,
    private readonly recipe: RowRecipe,
    private readonly capacity: number,
  ) {
    const plan = rowPlan(adapter);
    if (plan === null || plan.keys.join('\u0000') !== recipe.keys.join('\u0000')) throw new Error('ColumnBatch: the row schema does not match its recipe');
    this.keys = plan.keys;
    this.dictionaries = this.keys.map(() => new Map());
    this.start();
  }

  get size(): number {
    return this.count;
  }

  private start(): void {
    const capacity = this.capacity;
    this.count = 0;
    this.lines = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.recordEnds = new Uint32Array(capacity);
    this.fieldEnds = new Uint32Array(capacity * Math.max(1, this.keys.length));
    this.fieldCount = 0;
    this.textLength = 0;
    this.texts = [];
    this.others = [];
    this.columns = this.recipe.cells.map((cell, k): ColumnBuffer => {
      const kind = cellKind(cell);
      if (kind === 'number') return { kind, values: new Float64Array(capacity), nulls: new Uint8Array(capacity) };
      if (kind === 'boolean') return { kind, values: new Uint8Array(capacity) };
      // A batch brings at most `capacity` new strings: a dictionary that could not take them starts over.
      let dictionary = this.dictionaries[k];
      const reset = dictionary.size + capacity > MAX_DICTIONARY;
      if (reset) this.dictionaries[k] = dictionary = new Map();
      return { kind, codes: new Int32Array(capacity), added: [], reset, dictionary };
    });
  }

  add(item: CsvItem, mapping: ColumnMapping): void {
    const i = this.count++;
    if (i >= this.capacity) throw new Error('ColumnBatch: more records than the batch size');
    this.lines[i] = item.line;
    if (item.kind === 'record') this.keepFields(item.fields);
    this.recordEnds[i] = this.fieldCount;
    const { scratch } = this;
    if (item.kind === 'record' && fieldCountProblem(item.fields, mapping, this.hasHeader) === null && quickValues(this.adapter, item.fields, mapping, scratch) !== null) {
      if (this.write(i, scratch)) return;
    } else {
      const record = prepareRecord(item, mapping, this.adapter, this.hasHeader);
      if (record.fields !== null && record.issues.length === 0 && record.data !== undefined) {
        const data = record.data as Record<string, unknown>;
        if (this.write(i, this.keys.map((key) => data[key]))) return;
      }
      this.other(i, { parsed: record.fields !== null, raw: record.raw, data: record.data, issues: record.issues });
      return;
    }
    // A value of an unexpected type (not from a fields helper): the record goes whole.
    const data: Record<string, unknown> = {};
    this.keys.forEach((key, k) => (data[key] = scratch[k]));
    this.other(i, { parsed: true, raw: null, data, issues: [] });
  }

  private keepFields(fields: string[]): void {
    let ends = this.fieldEnds;
    if (this.fieldCount + fields.length > ends.length) {
      ends = new Uint32Array(Math.max(ends.length * 2, this.fieldCount + fields.length));
      ends.set(this.fieldEnds);
      this.fieldEnds = ends;
    }
    for (const field of fields) ends[this.fieldCount++] = this.textLength += field.length;
    this.texts.push(fields.length === 1 ? fields[0] : fields.join(''));
  }

  /** The record's values into the columns; false (nothing written) when one is not of its column's type. */
  private write(i: number, values: readonly unknown[]): boolean {
    const { columns } = this;
    for (let k = 0; k < columns.length; k++) {
      const value = values[k];
      if (value !== null && typeof value !== columns[k].kind) return false;
    }
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k];
      const value = values[k];
      if (column.kind === 'string') {
        if (value === null) {
          column.codes[i] = NULL_CODE;
          continue;
        }
        let code = column.dictionary.get(value as string);
        if (code === undefined) {
          // A copy: a field may be a slice of the chunk of text it was read from, which it would keep alive.
          const kept = flat(value as string);
          column.dictionary.set(kept, (code = column.dictionary.size));
          column.added.push(kept);
        }
        column.codes[i] = code;
      } else if (column.kind === 'number') {
        if (value === null) column.nulls[i] = 1;
        else column.values[i] = value as number;
      } else column.values[i] = value === null ? 2 : value ? 1 : 0;
    }
    return true;
  }

  private other(i: number, record: OtherRecord): void {
    this.kinds[i] = 1;
    this.others.push(record);
  }

  take(): { batch: EncodedBatch; transfer: ArrayBuffer[] } {
    const count = this.count;
    const columns = this.columns.map((column, k): EncodedColumn => {
      const key = this.keys[k];
      if (column.kind === 'string') return { key, kind: 'string', codes: column.codes.subarray(0, count), reset: column.reset, added: column.added };
      if (column.kind === 'number') return { key, kind: 'number', values: column.values.subarray(0, count), nulls: column.nulls.subarray(0, count) };
      return { key, kind: 'boolean', values: column.values.subarray(0, count) };
    });
    const batch: EncodedBatch = {
      count,
      lines: this.lines.subarray(0, count),
      text: this.texts.join(''),
      fieldEnds: this.fieldEnds.subarray(0, this.fieldCount),
      recordEnds: this.recordEnds.subarray(0, count),
      kinds: this.kinds.subarray(0, count),
      columns,
      others: this.others,
    };
    const arrays: ArrayBufferView[] = [batch.lines, batch.kinds, batch.fieldEnds, batch.recordEnds];
    for (const column of columns) {
      if (column.kind === 'string') arrays.push(column.codes);
      else if (column.kind === 'number') arrays.push(column.values, column.nulls);
      else if (column.kind === 'boolean') arrays.push(column.values);
    }
    this.start();
    return { batch, transfer: arrays.map((array) => array.buffer as ArrayBuffer) };
  }
}

/** The job's side: the records of an EncodedBatch, with the dictionaries kept in step with the reading thread's. */
export class BatchDecoder {
  private readonly dictionaries = new Map<string, string[]>();

  decode(batch: EncodedBatch): PendingRecord[] {
    const fields: FieldTable = { text: batch.text, fieldEnds: batch.fieldEnds, recordEnds: batch.recordEnds };
    const readers = batch.columns.map((column) => this.reader(column));
    const keys = batch.columns.map((column) => column.key);
    const records: PendingRecord[] = new Array(batch.count);
    let other = 0;
    for (let i = 0; i < batch.count; i++) {
      if (batch.kinds[i] === 1) {
        const { parsed, raw, data, issues } = batch.others[other++];
        records[i] = new DecodedRecord(batch.lines[i], parsed ? fields : null, i, raw, data, issues);
        continue;
      }
      const data: Record<string, unknown> = {};
      for (let c = 0; c < keys.length; c++) data[keys[c]] = readers[c](i);
      records[i] = new DecodedRecord(batch.lines[i], fields, i, null, data, NO_RECORD_ISSUES);
    }
    return records;
  }

  private reader(column: EncodedColumn): (i: number) => unknown {
    switch (column.kind) {
      case 'string': {
        let dictionary = this.dictionaries.get(column.key);
        if (!dictionary || column.reset) this.dictionaries.set(column.key, (dictionary = []));
        for (const value of column.added) dictionary.push(value);
        const { codes } = column;
        const strings = dictionary;
        return (i) => (codes[i] === NULL_CODE ? null : strings[codes[i]]);
      }
      case 'number': {
        const { values, nulls } = column;
        return (i) => (nulls[i] === 1 ? null : values[i]);
      }
      case 'boolean': {
        const { values } = column;
        return (i) => (values[i] === 2 ? null : values[i] === 1);
      }
    }
  }
}

interface FieldTable {
  text: string;
  fieldEnds: Uint32Array;
  recordEnds: Uint32Array;
}

/** A record as decoded: its fields are cut from the batch's text only when asked for (a rejected record). */
class DecodedRecord implements PendingRecord {
  constructor(
    readonly line: number,
    private readonly table: FieldTable | null,
    private readonly index: number,
    readonly raw: string | null,
    readonly data: unknown,
    readonly issues: RowIssue[],
  ) {}

  get fields(): string[] | null {
    const { table, index } = this;
    if (table === null) return null;
    const first = index === 0 ? 0 : table.recordEnds[index - 1];
    const last = table.recordEnds[index];
    const fields: string[] = [];
    for (let k = first; k < last; k++) fields.push(table.text.slice(k === 0 ? 0 : table.fieldEnds[k - 1], table.fieldEnds[k]));
    return fields;
  }
}
