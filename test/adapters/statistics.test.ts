import type { ImportContext } from '../../src/adapters/define-adapter';
import { planStatistics, type StatisticRequest, type StatisticTable } from '../../src/adapters/statistics';
import { OnExisting } from '../../src/imports/enums';
import { LessonStatistic } from '../../src/model/lesson-statistic.entity';
import { build, type TestApp } from '../helpers/build';

// What a dry run of statistics remembers across batches: only what its report depends on.

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

type Values = { status: string };
const table: StatisticTable<Values> = { entity: LessonStatistic, target: 'itemId', values: ['status'] };

function context(state: Map<string, unknown>, onExisting: OnExisting): ImportContext<unknown> {
  return {
    manager: undefined as never, // set per batch below
    db: app.server.services.store.kind,
    job: { id: 1, importDate: '2026-01-01', onExisting, enrollIfNeeded: true, dryRun: true, options: {} },
    state,
    keepPreviousValues: () => {},
  };
}

/** Two batches naming the same (learner, item) pairs, planned as a dry run would, in rolled-back transactions. */
async function dryRun(onExisting: OnExisting) {
  const state = new Map<string, unknown>();
  const actions: string[] = [];
  for (const first of [1, 3]) {
    const rows = [first, first + 1].map((line) => ({ line, data: {} }));
    const requests: StatisticRequest<Values>[] = rows.map(() => ({
      issues: [],
      target: { learnerId: 7, courseId: 3, targetId: 11, values: { status: 'C' }, enrolledOn: null, learnerLogin: 'l', courseCode: 'c' },
    }));
    const decisions = await app.server.services.store.transaction(
      (manager) => planStatistics({ ...context(state, onExisting), manager }, table, rows, requests),
      { rollback: true },
    );
    actions.push(...decisions.map((decision) => decision.action));
  }
  return { actions, remembered: [...state.keys()].filter((key) => key.startsWith('dry-run-memory:')).sort() };
}

test('a NEW_SESSION dry run remembers the enrollments it would make, not the sessions: its memory does not grow with the file', async () => {
  const { actions, remembered } = await dryRun(OnExisting.NEW_SESSION);
  expect(actions).toEqual(['add', 'add', 'add', 'add']);
  expect(remembered).toEqual(['dry-run-memory:statistics-enrollments']);
});

test('REJECT and UPDATE dry runs remember the sessions earlier batches would have written', async () => {
  const rejected = await dryRun(OnExisting.REJECT);
  expect(rejected.actions).toEqual(['add', 'reject', 'reject', 'reject']);
  expect(rejected.remembered).toEqual(['dry-run-memory:statistics', 'dry-run-memory:statistics-enrollments']);
  const updated = await dryRun(OnExisting.UPDATE);
  expect(updated.actions).toEqual(['add', 'unchanged', 'unchanged', 'unchanged']);
  expect(updated.remembered).toEqual(['dry-run-memory:statistics', 'dry-run-memory:statistics-enrollments']);
});
