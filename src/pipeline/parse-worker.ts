import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnDefinition } from '../adapters/define-adapter';
import type { IssueData } from '../imports/issue-data';
import { preparedBatches, type ReadPlan } from './prepared-batches';
import { ColumnBatch, type EncodedBatch } from './record-codec';
import { rowSchemaFromRecipe, type RowRecipe } from './validate';

/**
 * A job's reading thread (see record-source.ts): reads, decodes, tokenizes and validates the
 * file with the adapter's row schema made again from its recipe, and sends the batches as
 * columns, at most AHEAD of what the job has taken.
 */

export interface ParseWorkerData {
  plan: ReadPlan;
  columns: ColumnDefinition[];
  recipe: RowRecipe;
}

export type WorkerMessage =
  | { kind: 'header'; fields: string[]; line: number; problems: IssueData[] }
  | { kind: 'batch'; batch: EncodedBatch; bytesRead: number }
  | { kind: 'end' }
  | { kind: 'error'; message: string; stack?: string };

/** Batches sent that the job has not taken yet: how far the thread reads ahead. */
const AHEAD = 2;

const port = parentPort!;
const { plan, columns, recipe } = workerData as ParseWorkerData;
let unread = 0;
let wake: (() => void) | null = null;
port.on('message', (message: { kind: 'taken' }) => {
  if (message.kind !== 'taken') return;
  unread--;
  wake?.();
  wake = null;
});

async function run(): Promise<void> {
  const adapter = { columns, rowSchema: rowSchemaFromRecipe(recipe) };
  const builder = new ColumnBatch(adapter, plan.hasHeader, recipe, plan.batchSize);
  for await (const event of preparedBatches(plan, adapter, { builder })) {
    if (event.kind === 'header') {
      port.postMessage(event satisfies WorkerMessage);
      continue;
    }
    while (unread >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
    unread++;
    const { batch, transfer } = event.records;
    port.postMessage({ kind: 'batch', batch, bytesRead: event.bytesRead } satisfies WorkerMessage, transfer);
  }
  port.postMessage({ kind: 'end' } satisfies WorkerMessage);
}

run().catch((error: Error) => port.postMessage({ kind: 'error', message: error.message, stack: error.stack } satisfies WorkerMessage));
