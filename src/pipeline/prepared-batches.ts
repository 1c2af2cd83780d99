import type { AnyAdapter } from '../adapters/define-adapter';
import { IssueSeverity } from '../imports/enums';
import type { IssueData } from '../imports/issue-data';
import { prepareRecord, type PendingRecord } from './batch';
import type { TextEncoding } from './encoding';
import { mapHeader, positionalMapping, type ColumnMapping } from './header';
import { readItems } from './read-items';

/** What reading a stored file needs: where it is, how it is written, where a job resumes. */
export interface ReadPlan {
  file: string;
  encoding: TextEncoding;
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
export type SourceEvent =
  | { kind: 'header'; fields: string[]; line: number; problems: IssueData[] }
  | { kind: 'batch'; records: PendingRecord[]; bytesRead: number };

/** What of an adapter reading needs: its columns (the header) and its row schema (validation). */
export type ReadingAdapter = Pick<AnyAdapter, 'columns' | 'rowSchema'>;

/** A header problem that stops the job: nothing after the header is read. */
export const isFatal = (problems: readonly IssueData[]) => problems.some((problem) => problem.severity === IssueSeverity.ERROR);

/**
 * The file's records read, decoded, tokenized, mapped and validated, in batches of
 * `batchSize`: the header first (when the file has one), then each batch with how many bytes
 * of the file were read so far. The same whether it runs on the job's thread or in a worker.
 * `turn`, when it gives a promise, is awaited between groups of records (another batch is in
 * the database meanwhile).
 */
export async function* preparedBatches(
  plan: ReadPlan,
  adapter: ReadingAdapter,
  options: { signal?: AbortSignal; turn?: () => Promise<void> | null } = {},
): AsyncGenerator<SourceEvent> {
  let bytesRead = 0;
  const items = readItems(
    plan.file,
    plan.encoding,
    { delimiter: plan.delimiter, escape: plan.escape, maxRecordSize: plan.maxRecordSize },
    (bytes) => (bytesRead += bytes),
  );
  let mapping: ColumnMapping | null = plan.hasHeader ? null : positionalMapping(adapter);
  let skip = plan.skip;
  let batch: PendingRecord[] = [];
  let sinceTurn = 0;
  for await (const chunk of items) {
    for (const item of chunk) {
      if (options.signal?.aborted) return;
      if (mapping === null && item.kind === 'record') {
        const header = mapHeader(item.fields, adapter, { line: item.line, columnMap: plan.columnMap });
        mapping = header.mapping;
        yield { kind: 'header', fields: item.fields, line: item.line, problems: header.problems };
        if (isFatal(header.problems)) return;
        continue;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      batch.push(prepareRecord(item, mapping ?? positionalMapping(adapter), adapter, plan.hasHeader));
      if (batch.length >= plan.batchSize) {
        yield { kind: 'batch', records: batch, bytesRead };
        batch = [];
        sinceTurn = 0;
      } else if (++sinceTurn >= TURN_EVERY) {
        sinceTurn = 0;
        const turn = options.turn?.();
        if (turn) await turn;
      }
    }
  }
  if (batch.length > 0) yield { kind: 'batch', records: batch, bytesRead };
}

/** Records prepared between two turns of the event loop while a batch is in the database. */
const TURN_EVERY = 200;
