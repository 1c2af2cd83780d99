import type { AnyAdapter } from '../adapters/define-adapter';
import { IssueSeverity } from '../imports/enums';
import type { IssueData } from '../imports/issue-data';
import { prepareRecord, type PendingRecord } from './batch';
import type { CsvItem } from './csv-reader';
import { firstItemHeader, positionalMapping, type ColumnMapping } from './header';
import { readItems, type FileEncoding } from './read-items';
import type { SheetChoice } from './xlsx';

/** What reading a stored file needs: where it is, how it is written, where a job resumes. */
export interface ReadPlan {
  file: string;
  encoding: FileEncoding;
  /** A workbook's sheet (options.sheet; none: the first with records). */
  sheet?: SheetChoice;
  delimiter: string;
  escape?: string;
  maxRecordSize: number;
  hasHeader: boolean;
  columnMap?: Record<string, string>;
  /** Records already done (a resumed job): read, not prepared again. */
  skip: number;
  batchSize: number;
}

/** What the reading side tells the job, in file order. */
export type SourceEvent<B = PendingRecord[]> =
  | { kind: 'header'; fields: string[]; line: number; problems: IssueData[] }
  | { kind: 'batch'; records: B; bytesRead: number; skipped?: number };

/** Collects a batch's records in some form: pending records, or columns for a worker's hand-over. */
export interface BatchBuilder<B> {
  /** Prepares (maps, validates) a record or problem of the file. */
  add(item: CsvItem, mapping: ColumnMapping): void;
  readonly size: number;
  /** The batch so far; the builder starts a new one. */
  take(): B;
}

/** A batch as pending records, the job's own form. */
export class RecordBatch implements BatchBuilder<PendingRecord[]> {
  private records: PendingRecord[] = [];

  constructor(
    private readonly adapter: ReadingAdapter,
    private readonly hasHeader: boolean,
  ) {}

  add(item: CsvItem, mapping: ColumnMapping): void {
    this.records.push(prepareRecord(item, mapping, this.adapter, this.hasHeader));
  }

  get size(): number {
    return this.records.length;
  }

  take(): PendingRecord[] {
    const records = this.records;
    this.records = [];
    return records;
  }
}

/** What of an adapter reading needs: its columns (the header) and its row schema (validation). */
export type ReadingAdapter = Pick<AnyAdapter, 'columns' | 'rowSchema'>;

/** A header problem that stops the job: nothing after the header is read. */
const isFatal = (problems: readonly IssueData[]) => problems.some((problem) => problem.severity === IssueSeverity.ERROR);

/**
 * The file's records read, decoded, tokenized, mapped and validated, in batches of
 * `batchSize`: the header first (when the file has one), then each batch with how many bytes
 * of the file were read so far. The same whether it runs on the job's thread or in a worker.
 * `turn`, when it gives a promise, is awaited between groups of records (another batch is in
 * the database meanwhile).
 */
export async function* preparedBatches<B = PendingRecord[]>(
  plan: ReadPlan,
  adapter: ReadingAdapter,
  options: {
    signal?: AbortSignal;
    turn?: () => Promise<void> | null;
    builder?: BatchBuilder<B>;
    /** Which records to prepare (a part of a split import: its own); the others are counted as `skipped`. */
    keep?: (item: CsvItem, mapping: ColumnMapping) => boolean;
  } = {},
): AsyncGenerator<SourceEvent<B>> {
  const batch = options.builder ?? (new RecordBatch(adapter, plan.hasHeader) as unknown as BatchBuilder<B>);
  let bytesRead = 0;
  const items = readItems(
    plan.file,
    plan.encoding,
    { delimiter: plan.delimiter, escape: plan.escape, maxRecordSize: plan.maxRecordSize, sheet: plan.sheet },
    (bytes) => (bytesRead += bytes),
  );
  // Decided on the file's first item, whatever it is (a header is not a record: never skipped nor counted).
  let mapping: ColumnMapping | null = null;
  let skip = plan.skip;
  let sinceTurn = 0;
  let skipped = 0;
  for await (const chunk of items) {
    for (const item of chunk) {
      if (options.signal?.aborted) return;
      if (mapping === null) {
        const header = firstItemHeader(item, adapter, { hasHeader: plan.hasHeader, columnMap: plan.columnMap });
        mapping = header?.mapping ?? positionalMapping(adapter);
        if (header) {
          yield { kind: 'header', fields: header.fields, line: item.line, problems: header.problems };
          if (isFatal(header.problems)) return;
          continue;
        }
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      if (options.keep && !options.keep(item, mapping)) skipped++;
      else batch.add(item, mapping);
      if (batch.size >= plan.batchSize) {
        yield { kind: 'batch', records: batch.take(), bytesRead, skipped };
        skipped = 0;
        sinceTurn = 0;
      } else if (++sinceTurn >= TURN_EVERY) {
        sinceTurn = 0;
        const turn = options.turn?.();
        if (turn) await turn;
      }
    }
  }
  if (batch.size > 0 || skipped > 0) yield { kind: 'batch', records: batch.take(), bytesRead, skipped };
}

/** Records prepared between two turns of the event loop while a batch is in the database. */
const TURN_EVERY = 200;
