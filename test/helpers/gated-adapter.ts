import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter, type AnyAdapter } from '../../src/adapters/define-adapter';
import { OnExisting } from '../../src/imports/enums';

/**
 * A test adapter whose batches wait for the test to let them through, so that a job can be
 * watched or cancelled while it runs, deterministically. Writes nothing.
 */
export function gatedAdapter() {
  const waiting: Array<() => void> = [];
  let open = false;
  const arrivals: Array<() => void> = [];
  const pass = async () => {
    if (open) return;
    arrivals.shift()?.();
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const adapter = defineAdapter({
    apiVersion: ADAPTER_API_VERSION,
    name: 'gated',
    label: 'Gated (tests)',
    description: 'Each batch waits for the test',
    columns: [{ name: 'n', label: 'n', description: 'any value', required: true }],
    rowSchema: z.object({ n: z.string() }),
    onExisting: { choices: [OnExisting.REJECT], default: OnExisting.REJECT },
    exampleFile: path.join(__dirname, 'gated-example.csv'),
    async resolve(rows) {
      return rows.map(() => ({ action: 'add' as const, plan: null }));
    },
    persist: pass,
  });
  return {
    adapter,
    /** `wrapped` under the name gated-<name>: each of its batches waits at this gate before it writes. */
    wrap: (wrapped: AnyAdapter): AnyAdapter => ({
      ...wrapped,
      name: `gated-${wrapped.name}`,
      async persist(rows, context) {
        await pass();
        await wrapped.persist(rows, context);
      },
    }),
    /** Resolves when a batch is waiting at the gate. */
    batchWaiting: () => (waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => arrivals.push(resolve))),
    /** Lets the waiting batch through. */
    release: () => waiting.shift()?.(),
    /** Batches waiting at the gate now. */
    waitingCount: () => waiting.length,
    /** Makes batches wait again. */
    shut: () => {
      open = false;
    },
    /** Lets every batch through from now on. */
    openAll: () => {
      open = true;
      while (waiting.length > 0) waiting.shift()?.();
    },
  };
}
