import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN, JOB_FIELDS, build, type TestApp } from '../helpers/build';
import { gatedAdapter } from '../helpers/gated-adapter';

const post = (app: TestApp, body: unknown) =>
  fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });

describe('limits on what one request may ask', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app?.close());

  test('too many aliases or tokens: refused before execution (the schema itself is shallow)', async () => {
    const nested = `{ importJobs { edges { node { file { problems { code } } issues { edges { node { code } } } } } } }`;
    expect((await app.gql(nested)).errors).toBeUndefined();
    const aliases = await app.gql(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: adapters { name }`).join(' ')} }`);
    expect(aliases.errors?.[0].message).toMatch(/Aliases limit/);
    const tokens = await app.gql(`{ adapters { ${Array.from({ length: 2100 }, () => 'name').join(' ')} } }`);
    expect(tokens.errors?.[0].message).toMatch(/more th\w+ 2000 tokens/); // graphql 16 says "more that"
  });

  test('what an admin console asks for passes the limits', async () => {
    const history = `{ importJobs(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${JOB_FIELDS}
      createdBy options logText rejectsCsv issues(first: 1000) { totalCount edges { node { line column severity code message } } pageInfo { endCursor } } } } } }`;
    expect((await app.gql(history)).errors).toBeUndefined();
  });

  test('batched HTTP requests are refused', async () => {
    const res = await post(app, [{ query: '{ adapters { name } }' }, { query: '{ adapters { name } }' }]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].message).toMatch(/batching disabled/i);
  });

  test('uploads are stored under generated names, outside anything served, with their sha256', async () => {
    const content = 'user_loginid\nrest1\n';
    const res = await app.upload('learners', '../../etc/passwd;rm -rf.csv', content);
    const file = res.data.uploadImportFile;
    expect(file.fileName).toBe('passwd;rm -rf.csv'); // kept as data only (the multipart parser already drops the path)
    const stored = fs.readdirSync(path.join(app.dataDir, 'uploads'));
    expect(stored.every((name) => /^[0-9a-f-]{36}$/.test(name))).toBe(true);
    const sha = require('node:crypto').createHash('sha256').update(content).digest('hex');
    expect(file.sha256).toBe(sha);
    expect(stored.some((name) => fs.readFileSync(path.join(app.dataDir, 'uploads', name), 'utf8') === content)).toBe(true);
    for (const name of stored) {
      expect((await fetch(`${app.url}/uploads/${name}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(404);
    }
  });

  test('each job keeps who ran it, when, and with which options', async () => {
    const job = await app.importFile('learners', 'user_loginid\naudit9\n', { dryRun: true, options: { allowDuplicate: true, columnMap: { login: 'user_loginid' } } });
    const res = await app.gql(`query ($id: ID!) { importJob(id: $id) { createdBy createdAt dryRun onExisting enrollIfNeeded options } }`, { id: job.id });
    expect(res.data.importJob).toMatchObject({
      createdBy: 'ADMIN_TOKEN',
      dryRun: true,
      onExisting: 'UPDATE',
      enrollIfNeeded: false,
      options: { allowDuplicate: true, columnMap: { login: 'user_loginid' } },
    });
    expect(Date.now() - new Date(res.data.importJob.createdAt).getTime()).toBeLessThan(60_000);
  });
});

describe('in production', () => {
  let app: TestApp;
  const gate = gatedAdapter();
  let example: string;
  beforeAll(async () => {
    // An adapter whose example file disappears after start: reading it fails unexpectedly.
    example = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lms-prod-')), 'example.csv');
    fs.writeFileSync(example, 'n\n1\n');
    app = await build({ NODE_ENV: 'production' }, { adapters: [{ ...gate.adapter, exampleFile: example }] });
    fs.rmSync(example);
  });
  afterAll(() => app?.close());

  test('introspection is off, over HTTP and over the WebSocket', async () => {
    const res = await app.gql('{ __schema { types { name } } }');
    expect(res.errors?.[0].message).toMatch(/introspection/i);
    const ws = await new Promise<any>((resolve) => {
      app.wsClient().subscribe({ query: '{ __schema { queryType { name } } }' }, { next: resolve, error: resolve, complete: () => {} });
    });
    expect(JSON.stringify(ws)).toMatch(/introspection/i);
  });

  test('unexpected errors are masked: no message, no path, no stack', async () => {
    const res = await app.gql('{ adapter(name: "gated") { exampleCsv } }');
    expect(res.errors?.[0]).toEqual(expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }));
    expect(JSON.stringify(res)).not.toMatch(/ENOENT|lms-prod|stack/);
    const known = await app.gql('{ importJob(id: "x") { id } }');
    expect(known.errors?.[0]).toEqual(expect.objectContaining({ extensions: { code: 'NOT_FOUND' } }));
  });
});
