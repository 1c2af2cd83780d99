import { ReferenceCache } from '../../src/adapters/references';
import { Learner } from '../../src/model/learner.entity';
import { build, type TestApp } from '../helpers/build';

let app: TestApp;
beforeAll(async () => {
  app = await build();
  const learners = ['a', 'b', 'c', 'd', 'e'].map((loginId) => ({ loginId, available: true }));
  await app.server.services.store.transaction((manager) => manager.insert(Learner, learners));
});
afterAll(() => app?.close());

/** Counts the SELECTs on learners that a look-up sends. */
async function lookUp(cache: ReferenceCache, logins: string[]) {
  const { store } = app.server.services;
  let queries = 0;
  const found = await store.transaction(async (manager) => {
    const query = manager.query.bind(manager);
    manager.query = (sql: string, parameters?: unknown[]) => {
      if (/FROM .?learners/.test(sql)) queries++;
      return query(sql, parameters);
    };
    const lookup = await cache.learnersByLogin(manager, logins);
    return logins.map((login) => lookup.get(login)?.loginId ?? null);
  });
  return { found, queries };
}

test('a batch asks the database only for the keys the job has not met', async () => {
  const cache = new ReferenceCache();
  expect(await lookUp(cache, ['a', 'b', 'zz'])).toEqual({ found: ['a', 'b', null], queries: 1 });
  expect(await lookUp(cache, ['b', 'a', 'a'])).toEqual({ found: ['b', 'a', 'a'], queries: 0 });
  // Unknown keys are asked again: a learner may be imported meanwhile.
  expect(await lookUp(cache, ['a', 'zz'])).toEqual({ found: ['a', null], queries: 1 });
});

test('a full cache starts over and still answers every key of the batch', async () => {
  const cache = new ReferenceCache(3);
  expect((await lookUp(cache, ['a', 'b', 'c'])).found).toEqual(['a', 'b', 'c']);
  // d and e do not fit: the cache keeps this batch's keys (a, d, e) and drops the others.
  expect(await lookUp(cache, ['a', 'd', 'e'])).toEqual({ found: ['a', 'd', 'e'], queries: 1 });
  expect(await lookUp(cache, ['a', 'd', 'e'])).toEqual({ found: ['a', 'd', 'e'], queries: 0 });
  expect(await lookUp(cache, ['b'])).toEqual({ found: ['b'], queries: 1 });
});
