import { bulkWritePath, insertRows, persistentValues } from '../../src/db/bulk';
import { coreEntities } from '../../src/db/data-source';
import { Learner } from '../../src/model/learner.entity';
import { build, testDatabase, type TestApp } from '../helpers/build';

// insertRows writes large groups with LOAD DATA LOCAL on MySQL/MariaDB and multi-row INSERTs
// elsewhere: the same rows must come back, whatever their characters, and a refused row must
// fail the whole call as INSERT would.

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

const store = () => app.server.services.store;

const awkward = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'NULL', '', 'Zoë 🎓 漢字', 'quote"\'s', 'nul\u0000byte'];

test('a large group of rows comes back exactly, nulls, empty strings and escapes included', async () => {
  const rows = Array.from({ length: 350 }, (_, i) => ({
    loginId: `bulk-${i}`,
    firstName: awkward[i % awkward.length],
    lastName: i % 3 === 0 ? null : `L${i}`,
    available: i % 2 === 0,
  }));
  const loads = () => store().read(async (manager) => Number((await manager.query("SHOW GLOBAL STATUS LIKE 'Com_load'"))[0]?.Value ?? 0));
  const before = testDatabase === 'mysql' ? await loads() : 0;
  await store().transaction((manager) => insertRows(manager, Learner, rows));
  if (testDatabase === 'mysql') expect(await loads()).toBeGreaterThan(before); // the LOAD DATA path ran
  const stored = await store().read((manager) =>
    manager.createQueryBuilder(Learner, 'l').where("l.loginId LIKE 'bulk-%'").orderBy('l.id').getMany(),
  );
  expect(stored.map(({ loginId, firstName, lastName, available }) => ({ loginId, firstName, lastName, available }))).toEqual(rows);
});

/** Dates by their time (an invalid date equals no other, not even itself). */
const comparable = (value: unknown) => (value instanceof Date ? `Date(${value.getTime()})` : value);

test('values go to the database as TypeORM would convert them, for every column of every core table', async () => {
  const { dataSource } = store();
  const samples = ['2013-03-22', 'C', '87.5', '', 'x'.repeat(300), 0, 87.5, -3, 2 ** 40, null, undefined, true, false, new Date(Date.UTC(2020, 1, 3, 4, 5, 6)), { a: 1 }, ['a', 'b']];
  for (const entity of coreEntities) {
    const { columns } = dataSource.getMetadata(entity);
    const persist = persistentValues(dataSource.manager, columns);
    columns.forEach((column, i) => {
      for (const value of samples) {
        let expected: unknown;
        try {
          expected = dataSource.driver.preparePersistentValue(value, column);
        } catch {
          continue; // a value the column cannot take either way
        }
        expect([column.propertyPath, value, comparable(persist(value, i))]).toEqual([column.propertyPath, value, comparable(expected)]);
      }
    });
  }
});

test('a duplicate key in a large group fails the call, and its transaction keeps none of the rows', async () => {
  await store().transaction((manager) => insertRows(manager, Learner, [{ loginId: 'taken', available: true }]));
  const rows = Array.from({ length: 200 }, (_, i) => ({ loginId: i === 150 ? 'taken' : `dup-${i}`, available: true }));
  await expect(store().transaction((manager) => insertRows(manager, Learner, rows))).rejects.toMatchObject({
    message: expect.stringMatching(/duplicate|unique/i),
  });
  const count = await store().read((manager) => manager.createQueryBuilder(Learner, 'l').where("l.loginId LIKE 'dup-%'").getCount());
  expect(count).toBe(0);
});

// Last in this file: the data source remembers that the server refused LOAD DATA LOCAL.
(testDatabase === 'mysql' ? test : test.skip)('a server that refuses LOAD DATA LOCAL gets the rows by INSERT', async () => {
  const global = (value: number) => store().read((manager) => manager.query(`SET GLOBAL local_infile = ${value}`));
  const [{ Value: before }] = await store().read((manager) => manager.query("SHOW GLOBAL VARIABLES LIKE 'local_infile'"));
  expect(await store().read((manager) => bulkWritePath(manager))).toBe(before === 'ON' ? 'LOAD DATA LOCAL' : 'INSERT');
  await global(0);
  try {
    expect(await store().read((manager) => bulkWritePath(manager))).toBe('INSERT');
    const rows = Array.from({ length: 150 }, (_, i) => ({ loginId: `refused-${i}`, firstName: awkward[i % awkward.length], available: true }));
    await store().transaction((manager) => insertRows(manager, Learner, rows));
    const stored = await store().read((manager) =>
      manager.createQueryBuilder(Learner, 'l').where("l.loginId LIKE 'refused-%'").orderBy('l.id').getMany(),
    );
    expect(stored.map(({ loginId, firstName }) => ({ loginId, firstName }))).toEqual(rows.map(({ loginId, firstName }) => ({ loginId, firstName })));
  } finally {
    await global(before === 'ON' ? 1 : 0);
  }
});

(testDatabase === 'sqlite' ? test : test.skip)('SQLite writes by INSERT, and says so', async () => {
  expect(await store().read((manager) => bulkWritePath(manager))).toBe('INSERT');
});
