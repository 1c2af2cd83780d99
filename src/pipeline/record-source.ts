import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnyAdapter } from '../adapters/define-adapter';
import type { Config } from '../config/config';
import type { DatabaseKind } from '../db/data-source';
import type { ImportFile } from '../imports/import-file.entity';
import type { ImportJob } from '../imports/import-job.entity';
import type { FileEncoding } from './read-items';
import type { SheetChoice } from './xlsx';
import type { ParseWorkerData, WorkerMessage } from './parse-worker';
import { preparedBatches, type ReadingAdapter, type ReadPlan, type SourceEvent } from './prepared-batches';
import { BatchDecoder } from './record-codec';
import { rowRecipe } from './validate';
import type { CsvItem } from './csv-reader';
import type { ColumnMapping } from './header';

/**
 * Where a job's prepared records come from. A large file whose row schema validates without zod
 * (every column a `fields` helper's, so that the schema can be made again from plain data) is
 * read, decoded, tokenized and validated in a worker thread, on the other core, while the job's
 * thread resolves and writes; any other file on the job's thread, between the turns of its
 * batches. Both give the same events, in the same order.
 */
export interface RecordSource extends AsyncIterable<SourceEvent> {
  /** Stops reading; the worker thread, if any, ends. */
  close(): Promise<void>;
}

export interface SourceOptions {
  /** Whether to read in a worker thread (when the row schema allows it). */
  worker: boolean;
  signal: AbortSignal;
  /** On the job's thread: a promise to await between groups of records (a batch is in the database). */
  turn: () => Promise<void> | null;
  /** Which records to prepare (a part of a split import); read on the job's thread then. */
  keep?: (item: CsvItem, mapping: ColumnMapping) => boolean;
}

/**
 * A job's records, from its checkpoint on. PARSE_WORKER `auto` reads in a worker thread on
 * SQLite, whose work the job's thread does itself, and for dry runs, which leave the database
 * server little to do; not for MySQL/MariaDB imports (a server on the same machine needs that
 * core: measured no faster, and 35 MB more).
 */
export function openJobSource(
  config: Pick<Config, 'MAX_RECORD_SIZE' | 'BATCH_SIZE' | 'PARSE_WORKER' | 'PARSE_WORKER_MIN_BYTES'>,
  db: DatabaseKind,
  job: Pick<ImportJob, 'recordsDone' | 'dryRun' | 'options'>,
  file: Pick<ImportFile, 'encoding' | 'delimiter' | 'hasHeader' | 'size'>,
  stored: string,
  adapter: ReadingAdapter & Pick<AnyAdapter, 'format'>,
  options: Omit<SourceOptions, 'worker'>,
): RecordSource {
  const plan: ReadPlan = {
    file: stored,
    encoding: file.encoding as FileEncoding,
    sheet: job.options.sheet as SheetChoice | undefined,
    delimiter: file.delimiter,
    escape: adapter.format?.escape,
    maxRecordSize: config.MAX_RECORD_SIZE,
    hasHeader: file.hasHeader,
    columnMap: job.options.columnMap as Record<string, string> | undefined,
    skip: job.recordsDone,
    batchSize: config.BATCH_SIZE,
  };
  const { PARSE_WORKER, PARSE_WORKER_MIN_BYTES } = config;
  const worker = !options.keep && PARSE_WORKER !== 'never' && file.size >= PARSE_WORKER_MIN_BYTES && (PARSE_WORKER === 'always' || db === 'sqlite' || job.dryRun);
  return openRecordSource(plan, adapter, { ...options, worker });
}

export function openRecordSource(plan: ReadPlan, adapter: ReadingAdapter, options: SourceOptions): RecordSource {
  const recipe = options.worker ? rowRecipe(adapter.rowSchema) : null;
  if (recipe === null) {
    const events = preparedBatches(plan, adapter, { signal: options.signal, turn: options.turn, keep: options.keep });
    return { [Symbol.asyncIterator]: () => events, close: async () => void (await events.return(undefined)) };
  }
  // Plain data only crosses to the thread: the columns (for the header) and the schema's recipe.
  const columns = adapter.columns.map(({ name, label, description, required, aliases, codes }) => ({ name, label, description, required, aliases, codes }));
  return new WorkerSource({ plan, columns, recipe });
}

/** The compiled thread next to this file; from the TypeScript sources (tests), through SWC as they are. */
function workerEntry(): { file: string; execArgv?: string[] } {
  const extension = path.extname(__filename);
  const file = path.join(__dirname, `parse-worker${extension}`);
  return extension === '.ts' ? { file, execArgv: [...process.execArgv, '--require', '@swc-node/register'] } : { file };
}

/** A worker thread's events, in order; each batch taken is acknowledged, so that the thread reads on. */
class WorkerSource implements RecordSource {
  private readonly worker: Worker;
  private readonly decoder = new BatchDecoder();
  private readonly queue: WorkerMessage[] = [];
  private failure: Error | null = null;
  private finished = false;
  private wake: (() => void) | null = null;

  constructor(data: ParseWorkerData) {
    const { file, execArgv } = workerEntry();
    // A small young generation: the thread's garbage is short-lived, and its memory counts.
    this.worker = new Worker(file, { workerData: data, execArgv, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'error') this.fail(Object.assign(new Error(message.message), { stack: message.stack }));
      else this.queue.push(message);
      this.notify();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.finished) this.fail(new Error(`the thread reading the file stopped (exit code ${code})`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    this.wake?.();
    this.wake = null;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SourceEvent> {
    for (;;) {
      const message = this.queue.shift();
      if (message === undefined) {
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      switch (message.kind) {
        case 'end':
          this.finished = true;
          return;
        case 'header':
          yield { kind: 'header', fields: message.fields, line: message.line, problems: message.problems };
          break;
        case 'batch': {
          const records = this.decoder.decode(message.batch);
          this.worker.postMessage({ kind: 'taken' });
          yield { kind: 'batch', records, bytesRead: message.bytesRead };
          break;
        }
      }
    }
  }

  async close(): Promise<void> {
    this.finished = true;
    await this.worker.terminate();
  }
}
