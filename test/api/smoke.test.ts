import { build, type TestApp } from '../helpers/build';

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

test('imports learners end to end', async () => {
  const res = await app.gql('{ adapters { name columns { name required } } }');
  expect(res.errors).toBeUndefined();
  expect(res.data.adapters.map((a: any) => a.name)).toContain('learners');
  const job = await app.importFile('learners', 'user_loginid;firstname;email\ndemo;Demo;demo@example.com\nbad;;not-an-email\n');
  expect(job.status).toBe('SUCCEEDED');
  expect(job.counts).toMatchObject({ processed: 2, added: 1, rejected: 1, errors: 1 });
});
