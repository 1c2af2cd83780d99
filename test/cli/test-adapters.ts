import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyAdapter } from '../../src/adapters/define-adapter';
import learnersAdapter from '../../plugins/learners';

const learners = learnersAdapter as AnyAdapter;

/** learners, each batch taking `ms` longer: a job that runs long enough to be watched, cancelled or left. */
export const slowLearners = (ms: () => number): AnyAdapter => ({
  ...learners,
  name: 'slow-learners',
  async persist(rows, context) {
    await sleep(ms());
    await learners.persist(rows, context);
  },
});

/** learners whose database stays locked: each batch is tried again until the job fails. */
export const failingLearners: AnyAdapter = {
  ...learners,
  name: 'failing-learners',
  async persist() {
    throw Object.assign(new Error('the database stays locked'), { code: 'SQLITE_BUSY', errno: 1205 });
  },
};
