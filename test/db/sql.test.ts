import { conditionSql, inList, queryWhere, tuplesIn } from '../../src/db/sql';
import { Learner } from '../../src/model/learner.entity';
import { build, type TestApp } from '../helpers/build';

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

const store = () => app.server.services.store;

test('conditionSql writes whole numbers as they are and passes anything else as a parameter', () => {
  expect(conditionSql(inList('id', [1, -2, 2 ** 53]))).toEqual({ sql: 'id IN (1, -2, ?)', params: [2 ** 53] });
  expect(conditionSql(tuplesIn(['a', 'b'], [[1, 'x'], [1.5, 2]]))).toEqual({ sql: '(a, b) IN ((1, ?), (?, 2))', params: ['x', 1.5] });
  expect(conditionSql(inList('login_id', ["o'hara", '1) OR (1=1']))).toEqual({ sql: 'login_id IN (?, ?)', params: ["o'hara", '1) OR (1=1'] });
});

test('queryWhere finds exactly the rows of the tuples, numbers and strings alike', async () => {
  const rows = await store().transaction(async (manager) => {
    await manager.insert(Learner, ['qw1', "qw'2", 'qw3', '4'].map((loginId) => ({ loginId, available: true })));
    const ids = new Map<string, number>(
      (await manager.find(Learner, { select: { id: true, loginId: true } })).map((learner) => [learner.loginId, learner.id]),
    );
    const head = 'SELECT id, login_id AS login FROM learners';
    const byId = await queryWhere(manager, head, inList('id', [ids.get('qw1'), ids.get('qw3'), 999_999]));
    const byLogin = await queryWhere(manager, head, inList('login_id', ["qw'2", '4', 'nobody', '1) OR (1=1']));
    const byPair = await queryWhere(manager, head, tuplesIn(['id', 'login_id'], [[ids.get('qw1'), 'qw1'], [ids.get('qw3'), "qw'2"], [ids.get('4'), '4']]));
    const logins = (found: Array<Record<string, unknown>>) => found.map((row) => row.login).sort();
    return { byId: logins(byId), byLogin: logins(byLogin), byPair: logins(byPair) };
  });
  expect(rows).toEqual({ byId: ['qw1', 'qw3'], byLogin: ["qw'2", '4'].sort(), byPair: ['4', 'qw1'] });
});
