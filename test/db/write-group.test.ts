import type { EntityManager } from 'typeorm';
import type { Store } from '../../src/db/store';
import { GroupRolledBackError, WriteGroup } from '../../src/db/write-group';
import { Learner } from '../../src/model/learner.entity';
import { TestKit } from '../../src/testing';

// SQLite's groups of batches: committed together, rolled back together, the turn given up as
// soon as another unit of work waits. (MySQL commits each batch: no group there.)

let kit: TestKit;
let store: Store;
beforeAll(async () => {
  kit = await TestKit.create({ database: 'sqlite' });
  store = kit.services.store;
});
afterAll(() => kit?.close());

const add = (login: string) => (manager: EntityManager) => manager.insert(Learner, { loginId: login, available: true });
/** What another connection sees: only what is committed. */
const committed = async (...logins: string[]) => {
  const found = await store.read((manager) => manager.findBy(Learner, logins.map((loginId) => ({ loginId }))));
  return found.map((learner) => learner.loginId).sort();
};

test('the batches of a group are committed together, when the group commits', async () => {
  const group = new WriteGroup(store, 60_000);
  await group.transaction(add('g1'));
  await group.transaction(add('g2'));
  expect(group.open).toBe(true);
  expect(group.due).toBe(false);
  expect(await committed('g1', 'g2')).toEqual([]);
  await group.commit();
  expect(group.open).toBe(false);
  expect(await committed('g1', 'g2')).toEqual(['g1', 'g2']);
});

test('a group is due once its time is up', async () => {
  const group = new WriteGroup(store, 20);
  await group.transaction(add('t1'));
  expect(group.due).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(group.due).toBe(true);
  await group.commit();
  expect(await committed('t1')).toEqual(['t1']);
});

test('another unit of work waiting for the database makes the group due; it runs once the group commits', async () => {
  const group = new WriteGroup(store, 60_000);
  await group.transaction(add('w1'));
  let ran = false;
  const other = store.transaction(async (manager) => {
    ran = true;
    await add('w2')(manager);
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(ran).toBe(false); // the group holds the turn
  expect(group.due).toBe(true);
  await group.commit();
  await other;
  expect(await committed('w1', 'w2')).toEqual(['w1', 'w2']);
});

test('a batch failing alone in its group fails as it is; the turn is given up', async () => {
  const group = new WriteGroup(store, 60_000);
  const failing = group.transaction(async (manager) => {
    await add('a1')(manager);
    throw new Error('adapter broke');
  });
  await expect(failing).rejects.toThrow(/^adapter broke$/);
  expect(group.open).toBe(false);
  await store.transaction(add('a2')); // the turn is free
  expect(await committed('a1', 'a2')).toEqual(['a2']);
});

test('a batch failing after others rolls the whole group back: GroupRolledBackError, nothing kept', async () => {
  const group = new WriteGroup(store, 60_000);
  await group.transaction(add('f1'));
  const error = await group
    .transaction(async (manager) => {
      await add('f2')(manager);
      throw new Error('adapter broke');
    })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(GroupRolledBackError);
  expect((error as Error).message).toMatch(/rolled back: adapter broke$/);
  expect(group.open).toBe(false);
  expect(await committed('f1', 'f2')).toEqual([]);
  await group.transaction(add('f1'));
  await group.commit();
  expect(await committed('f1', 'f2')).toEqual(['f1']);
});

test('the database rolling the transaction back by itself is a rolled-back group too', async () => {
  // RAISE(ROLLBACK) ends the transaction itself, as SQLite may for a full disk or an I/O error.
  await store.transaction((manager) =>
    manager.query("CREATE TRIGGER boom BEFORE INSERT ON learners WHEN NEW.login_id = 'boom' BEGIN SELECT RAISE(ROLLBACK, 'rolled back'); END"),
  );
  try {
    const group = new WriteGroup(store, 60_000);
    await group.transaction(add('r1'));
    await expect(group.transaction(add('boom'))).rejects.toBeInstanceOf(GroupRolledBackError);
    expect(group.open).toBe(false);
    // Alone: the error itself; and the store goes on.
    await expect(group.transaction(add('boom'))).rejects.toThrow(/^SqliteError: rolled back$/);
    await store.transaction(add('r2'));
    expect(await committed('r1', 'r2', 'boom')).toEqual(['r2']);
  } finally {
    await store.transaction((manager) => manager.query('DROP TRIGGER boom'));
  }
});
