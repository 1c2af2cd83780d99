import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { OnExisting } from '../../src/imports/enums';
import { Learner } from '../../src/model/learner.entity';
import { build, testDatabase, type TestApp } from '../helpers/build';

// Batches that overlap (MySQL, adapters with overlapBatches): the next batch is resolved while
// the one before is written, but rows are written and committed in file order, and a batch
// whose first attempt fails makes the next one start over after it — nothing lost or doubled.

/** Events of the adapter, in the order they happened. */
const log: string[] = [];
/** Batches (by first line) whose persist throws a deadlock at their first attempt. */
const deadlockOnce = new Set<number>();
/** Batches whose persist throws an adapter error (not retryable) at their first attempt. */
const breakOnce = new Set<number>();

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

const adapter = defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'overlapping',
  label: 'Overlapping (tests)',
  description: 'Adds a learner a row, slowly',
  columns: [{ name: 'login', label: 'login', description: 'a learner login', required: true }],
  rowSchema: z.object({ login: z.string() }),
  onExisting: { choices: [OnExisting.REJECT], default: OnExisting.REJECT },
  exampleFile: path.join(__dirname, '..', 'helpers', 'gated-example.csv'),
  overlapBatches: true,
  async resolve(rows) {
    log.push(`resolve ${rows[0].line}`);
    return rows.map(() => ({ action: 'add' as const, plan: null }));
  },
  async persist(rows, ctx) {
    const first = rows[0].row.line;
    log.push(`persist ${first}`);
    await tick(); // time for the next batch to be resolved meanwhile
    await ctx.manager.insert(
      Learner,
      rows.map(({ row }) => ({ loginId: row.data.login, available: true })),
    );
    if (deadlockOnce.delete(first)) throw Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
    if (breakOnce.delete(first)) throw new Error('the adapter broke');
    log.push(`persisted ${first}`);
  },
});

let app: TestApp;
beforeAll(async () => {
  // Each batch committed by itself on SQLite too (grouped batches: grouped-batches.test.ts).
  app = await build({ BATCH_SIZE: '2', PROGRESS_INTERVAL_MS: '0', GROUP_COMMIT_MS: '0' }, { adapters: [adapter] });
});
afterAll(() => app?.close());
beforeEach(() => {
  log.length = 0;
});

const file = (prefix: string, count: number) => `login\n${Array.from({ length: count }, (_, i) => `${prefix}${i}`).join('\n')}\n`;
const logins = (prefix: string) =>
  app.server.services.store.read(async (manager) =>
    (await manager.find(Learner, { select: { loginId: true } })).map((l) => l.loginId).filter((login) => login.startsWith(prefix)),
  );
const persisted = () => log.filter((event) => event.startsWith('persisted')).map((event) => Number(event.split(' ')[1]));
/** Whether a batch was resolved before the one before it had written its rows. */
const overlapped = () => log.some((event, i) => event.startsWith('resolve') && log[i - 1]?.startsWith('persist '));

test('batches are resolved ahead on MySQL, written in file order, every row once', async () => {
  const job = await app.importFile('overlapping', file('ov-a', 12));
  expect(job.status).toBe('SUCCEEDED');
  expect(job.counts).toMatchObject({ processed: 12, added: 12, rejected: 0 });
  expect((await logins('ov-a')).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `ov-a${i}`).sort());
  expect(persisted()).toEqual([2, 4, 6, 8, 10, 12]);
  expect(overlapped()).toBe(testDatabase === 'mysql');
});

test('a deadlock in a batch: the batch after it starts over once it is committed; nothing lost or doubled', async () => {
  deadlockOnce.add(6);
  const job = await app.importFile('overlapping', file('ov-b', 12));
  expect(job.status).toBe('SUCCEEDED');
  expect(job.counts).toMatchObject({ processed: 12, added: 12, rejected: 0 });
  const stored = await logins('ov-b');
  expect(stored.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `ov-b${i}`).sort());
  expect(persisted()).toEqual([2, 4, 6, 8, 10, 12]);
  expect(deadlockOnce.size).toBe(0);
});

test('a batch that breaks the adapter goes row by row, the next one after it; nothing lost or doubled', async () => {
  breakOnce.add(4);
  const job = await app.importFile('overlapping', file('ov-c', 8));
  expect(job.status).toBe('SUCCEEDED');
  expect(job.counts).toMatchObject({ processed: 8, added: 8, rejected: 0 });
  expect((await logins('ov-c')).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `ov-c${i}`).sort());
  // Lines 4 and 5 went row by row (a persist each), after line 2's batch and before line 6's.
  expect(persisted()).toEqual([2, 4, 5, 6, 8]);
  expect(breakOnce.size).toBe(0);
});
