import { Learner } from '../../src/model/learner.entity';
import { Enrollment } from '../../src/model/enrollment.entity';
import { build, testDatabase, type TestApp } from '../helpers/build';

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

const manager = () => app.server.services.store.dataSource.manager;

test('dates stay YYYY-MM-DD strings end to end, whatever the time zone', async () => {
  const learner = await manager().save(Object.assign(new Learner(), { loginId: 'tz', available: true }));
  await manager().insert(Enrollment, { learnerId: learner.id, courseId: 1, enrolledOn: '2013-03-22' });
  const row = await manager().findOneByOrFail(Enrollment, { learnerId: learner.id });
  expect(row.enrolledOn).toBe('2013-03-22');
});

test('text keeps every Unicode character (utf8mb4 on MySQL)', async () => {
  const name = 'Zoë 🎓 Ünïcødé 漢字';
  await manager().save(Object.assign(new Learner(), { loginId: 'unicode', firstName: name, available: true }));
  expect((await manager().findOneByOrFail(Learner, { loginId: 'unicode' })).firstName).toBe(name);
});

(testDatabase === 'mysql' ? test : test.skip)('MySQL runs in strict mode: an over-long value is refused, not truncated', async () => {
  await expect(
    manager().insert(Learner, { loginId: 'x'.repeat(101), available: true }),
  ).rejects.toThrow(/too long/i);
  const [{ mode }] = await manager().query('SELECT @@SESSION.sql_mode AS mode, @@SESSION.time_zone AS tz');
  expect(mode).toMatch(/STRICT_ALL_TABLES/);
});

test('logins and codes compare exactly, on both databases: Demo, demo and Démo are three learners', async () => {
  for (const loginId of ['Demo', 'demo', 'Démo']) await manager().insert(Learner, { loginId, available: true });
  const found = await manager().find(Learner, { where: { loginId: 'demo' } });
  expect(found.map((l) => l.loginId)).toEqual(['demo']);
});
