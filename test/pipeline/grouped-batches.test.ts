import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { OnExisting } from '../../src/imports/enums';
import { Learner } from '../../src/model/learner.entity';
import { TestKit } from '../../src/testing';

// SQLite commits a job's batches in groups: a batch that fails after others of its group rolls
// them back with it, and the job does them again from its checkpoint, as after a restart —
// nothing lost, nothing doubled, no issue or rejected record reported twice.

/** Events of the adapter, in the order they happened. */
const log: string[] = [];
/** Batches (by first line) whose persist throws at their first attempt. */
const breakOnce = new Set<number>();

const adapter = defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'grouped',
  label: 'Grouped (tests)',
  description: 'Adds a learner a row; "bad" is rejected',
  columns: [{ name: 'login', label: 'login', description: 'a learner login', required: true }],
  rowSchema: z.object({ login: z.string() }),
  onExisting: { choices: [OnExisting.REJECT], default: OnExisting.REJECT },
  exampleFile: path.join(__dirname, '..', 'helpers', 'gated-example.csv'),
  async resolve(rows) {
    return rows.map((row) =>
      row.data.login === 'bad' ? { action: 'reject' as const, issues: [{ code: 'BAD_LOGIN', column: 'login' }] } : { action: 'add' as const, plan: null },
    );
  },
  async persist(rows, ctx) {
    const first = rows[0].row.line;
    log.push(`persist ${first}`);
    await ctx.manager.insert(
      Learner,
      rows.map(({ row }) => ({ loginId: row.data.login, available: true })),
    );
    if (breakOnce.delete(first)) throw new Error('the adapter broke');
  },
});

let kit: TestKit;
beforeAll(async () => {
  // Batches of two rows, all in one group unless something fails.
  kit = await TestKit.create({ database: 'sqlite', adapters: [adapter], env: { BATCH_SIZE: '2', GROUP_COMMIT_MS: '10000' } });
});
afterAll(() => kit?.close());

test('a batch failing after others of its group: the group is done again from the checkpoint, the failing batch by itself', async () => {
  // Lines 2-3, 4-5 (with a rejected record), 6-7 (breaks once), 8.
  const csv = 'login\nx0\nx1\nx2\nbad\nx4\nx5\nx6\n';
  breakOnce.add(6);
  const result = await kit.import('grouped', csv);
  expect(result.job).toMatchObject({ status: 'SUCCEEDED', processed: 7, added: 6, rejected: 1, errors: 1 });
  // The first pass wrote 2, 4, then 6 broke and rolled its group back; the second pass wrote them again.
  expect(log).toEqual(['persist 2', 'persist 4', 'persist 6', 'persist 2', 'persist 4', 'persist 6', 'persist 8']);
  expect(result.issues.map((issue) => `${issue.line} ${issue.code}`)).toEqual(['5 BAD_LOGIN']);
  expect(result.rejectsCsv.match(/bad/g)).toHaveLength(1);
  const logins = (await kit.manager.find(Learner)).map((learner) => learner.loginId).sort();
  expect(logins).toEqual(['x0', 'x1', 'x2', 'x4', 'x5', 'x6']);
});
