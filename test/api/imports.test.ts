import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, build, JOB_FIELDS, type TestApp } from '../helpers/build';
import { gatedAdapter } from '../helpers/gated-adapter';

let app: TestApp;
const gate = gatedAdapter();
beforeAll(async () => {
  // Every batch committed by itself (GROUP_COMMIT_MS 0), so that every batch is a progress step.
  app = await build({ BATCH_SIZE: '25', PROGRESS_INTERVAL_MS: '0', GROUP_COMMIT_MS: '0' }, { adapters: [gate.adapter] });
});
afterAll(() => {
  gate.openAll();
  return app?.close();
});

const header = 'user_loginid;firstname;lastname;email;available\n';
const learners = (count: number, from = 0) =>
  header + Array.from({ length: count }, (_, i) => `learner${from + i};First${i};Last${i};l${from + i}@example.com;Y\n`).join('');

const RUN = `mutation ($input: RunImportInput!) { runImport(input: $input) { ${JOB_FIELDS} } }`;

describe('the adapters', () => {
  test('are described with their columns and code tables', async () => {
    const res = await app.gql(`{ adapters { name label description onExistingChoices defaultOnExisting exampleCsv
      columns { name label required description codes { code label } } } }`);
    expect(res.errors).toBeUndefined();
    const learnersAdapter = res.data.adapters.find((a: any) => a.name === 'learners');
    expect(learnersAdapter.columns[0]).toMatchObject({ name: 'user_loginid', required: true });
    expect(learnersAdapter.columns.find((c: any) => c.name === 'available').codes).toEqual([
      { code: 'Y', label: 'Yes' },
      { code: 'N', label: 'No' },
    ]);
    expect(learnersAdapter.exampleCsv).toMatch(/^user_loginid;/);
  });

  test('speak French with Accept-Language: fr', async () => {
    const res = await app.gql('{ adapter(name: "learners") { label columns { name label } } }', {}, { lang: 'fr-FR,fr;q=0.9' });
    expect(res.data.adapter.label).toBe('Apprenants');
    expect(res.data.adapter.columns[1].label).toBe('Prénom');
  });

  test('an unknown adapter is null in a query and UNKNOWN_ADAPTER for an upload', async () => {
    expect((await app.gql('{ adapter(name: "nope") { name } }')).data.adapter).toBeNull();
    const res = await app.upload('nope', 'x.csv', 'a;b\n');
    expect(res.errors?.[0].extensions?.code).toBe('UNKNOWN_ADAPTER');
  });
});

describe('the wizard over HTTP', () => {
  test('upload (multipart) checks the file: encoding, separator, header, columns, preview', async () => {
    const res = await app.upload('learners', 'learners.csv', `\uFEFF${learners(12)}`);
    expect(res.errors).toBeUndefined();
    const file = res.data.uploadImportFile;
    expect(file).toMatchObject({ fileName: 'learners.csv', encoding: 'utf-8', delimiter: ';', hasHeader: true, problems: [] });
    expect(file.columns).toEqual(['user_loginid', 'firstname', 'lastname', 'email', 'available']);
    expect(file.preview).toHaveLength(10);
    expect(file.preview[0]).toEqual(['learner0', 'First0', 'Last0', 'l0@example.com', 'Y']);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a run is followed over the WebSocket subscription, step by step, to its final status', async () => {
    const rows = `n\n${Array.from({ length: 100 }, (_, i) => i).join('\n')}\n`;
    const uploaded = await app.upload('gated', 'gated.csv', rows);
    const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id status } }`, {
      input: { fileId: uploaded.data.uploadImportFile.id },
    });
    const jobId = run.data.runImport.id;
    await gate.batchWaiting(); // the first batch of 25 is in, the job is RUNNING
    const events: any[] = [];
    const done = new Promise<void>((resolve, reject) => {
      app.wsClient().subscribe(
        { query: `subscription ($id: ID!) { importProgress(jobId: $id) { id status progress counts { processed added } } }`, variables: { id: jobId } },
        { next: (message) => events.push(message.data?.importProgress ?? message), error: reject, complete: resolve },
      );
    });
    while (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    for (let batch = 0; batch < 4; batch++) {
      if (batch > 0) await gate.batchWaiting();
      gate.release();
    }
    await done;
    expect(events[0]).toMatchObject({ status: 'RUNNING', counts: { processed: 0 } });
    expect(events.map((e) => e.counts.processed)).toEqual([0, 25, 50, 75, 100, 100]);
    expect(events.at(-1)).toMatchObject({ id: jobId, status: 'SUCCEEDED', progress: 1, counts: { processed: 100, added: 100 } });
    expect(events.at(-2).progress).toBeGreaterThan(0);

    const job = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} issues { totalCount } logText rejectsCsv } }`, { id: jobId })).data.importJob;
    expect(job).toMatchObject({ status: 'SUCCEEDED', dryRun: false, file: { fileName: 'gated.csv' }, issues: { totalCount: 0 }, rejectsCsv: '' });
    expect(job.logText).toContain('Records processed: 100');
    expect(new Date(job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(job.startedAt).getTime());
  });

  test('a subscription to a finished job gets its final state at once', async () => {
    const job = await app.importFile('learners', learners(2, 5000));
    const events: any[] = [];
    await new Promise<void>((resolve, reject) => {
      app.wsClient().subscribe(
        { query: `subscription ($id: ID!) { importProgress(jobId: $id) { status } }`, variables: { id: job.id } },
        { next: (message) => events.push(message.data?.importProgress), error: reject, complete: resolve },
      );
    });
    expect(events).toEqual([{ status: 'SUCCEEDED' }]);
  });

  test('issues, log and rejects report every problem with its line and column', async () => {
    const job = await app.importFile('learners', `${header}ok1;A;;;\n;missing;;;\nok2;;;bad-mail;\nok3;;;;maybe\n`);
    expect(job.counts).toEqual({ processed: 4, rejected: 3, added: 1, updated: 0, unchanged: 0, errors: 3, warnings: 0 });
    const res = await app.gql(
      `query ($id: ID!) { importJob(id: $id) {
        page1: issues(first: 2) { totalCount edges { cursor node { line column severity code message } } pageInfo { hasNextPage endCursor } }
        errors: issues(severity: ERROR) { totalCount }
        warnings: issues(severity: WARNING) { totalCount }
        logText rejectsCsv } }`,
      { id: job.id },
    );
    const data = res.data.importJob;
    expect(data.page1.totalCount).toBe(3);
    expect(data.page1.edges.map((e: any) => e.node)).toEqual([
      { line: 3, column: 'user_loginid', severity: 'ERROR', code: 'REQUIRED', message: 'user_loginid is required' },
      expect.objectContaining({ line: 4, column: 'email', code: 'INVALID_EMAIL' }),
    ]);
    expect(data.page1.pageInfo.hasNextPage).toBe(true);
    expect(data.errors.totalCount).toBe(3);
    expect(data.warnings.totalCount).toBe(0);
    const page2 = await app.gql(`query ($id: ID!, $after: String) { importJob(id: $id) { issues(first: 2, after: $after) { edges { node { line code } } pageInfo { hasNextPage } } } }`, {
      id: job.id,
      after: data.page1.pageInfo.endCursor,
    });
    expect(page2.data.importJob.issues).toEqual({ edges: [{ node: { line: 5, code: 'INVALID_CODE' } }], pageInfo: { hasNextPage: false } });
    expect(data.logText).toContain('3\tuser_loginid\tERROR\tREQUIRED\tuser_loginid is required');
    expect(data.logText).toMatch(/Records processed: 4\nRecords rejected: 3\nAdded: 1\n/);
    expect(data.rejectsCsv).toBe(`${header.trim()}\r\n;missing;;;\r\nok2;;;bad-mail;\r\nok3;;;;maybe\r\n`);

    const fr = await app.gql(`query ($id: ID!) { importJob(id: $id) { issues(first: 1) { edges { node { message } } } logText } }`, { id: job.id }, { lang: 'fr' });
    expect(fr.data.importJob.issues.edges[0].node.message).toBe('user_loginid est obligatoire');
    expect(fr.data.importJob.logText).toContain('Enregistrements traités : 4'.replace(' :', ':'));
  });

  test('the plain downloads need the token and serve the log, the rejects file (with a BOM) and the example', async () => {
    const job = await app.importFile('learners', `${header};x;;;\n`);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const log = await fetch(`${app.url}/imports/${job.id}/log.txt`, { headers: auth });
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await log.text()).toContain('REQUIRED');
    const rejects = await fetch(`${app.url}/imports/${job.id}/rejects.csv`, { headers: auth });
    expect(rejects.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await rejects.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3).toString()).toBe(`${header.trim()}\r\n;x;;;\r\n`);
    const example = await fetch(`${app.url}/adapters/learners/example.csv`, { headers: auth });
    expect(await example.text()).toMatch(/^user_loginid;firstname/);
    expect((await fetch(`${app.url}/imports/${job.id}/log.txt`)).status).toBe(401);
    expect((await fetch(`${app.url}/imports/999999/log.txt`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${app.url}/adapters/nope/example.csv`, { headers: auth })).status).toBe(404);
  });

  test('the history lists jobs newest first, filters by adapter and status, and pages', async () => {
    const res = await app.gql(`{ all: importJobs(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } }
      learners: importJobs(adapter: "learners") { totalCount }
      done: importJobs(adapter: "learners", status: SUCCEEDED) { totalCount }
      none: importJobs(adapter: "other") { totalCount edges { node { id } } } }`);
    const ids = res.data.all.edges.map((e: any) => Number(e.node.id));
    expect(ids[0]).toBeGreaterThan(ids[1]);
    expect(res.data.all.pageInfo.hasNextPage).toBe(true);
    expect(res.data.done.totalCount).toBe(res.data.learners.totalCount);
    expect(res.data.learners.totalCount).toBeLessThan(res.data.all.totalCount);
    expect(res.data.none).toEqual({ totalCount: 0, edges: [] });
    const next = await app.gql(`query ($after: String) { importJobs(first: 1, after: $after) { edges { node { id } } } }`, {
      after: res.data.all.pageInfo.endCursor,
    });
    expect(Number(next.data.importJobs.edges[0].node.id)).toBeLessThan(ids[1]);
  });

  test('a dry run validates and resolves everything and writes nothing', async () => {
    const content = learners(3, 7000);
    const dry = await app.importFile('learners', content, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, status: 'SUCCEEDED', counts: { processed: 3, added: 3 } });
    const real = await app.importFile('learners', content);
    expect(real.counts).toMatchObject({ processed: 3, added: 3 });
  });
});

describe('errors have codes', () => {
  test('the same file twice is DUPLICATE_FILE unless allowDuplicate', async () => {
    const content = learners(2, 9000);
    const first = await app.upload('learners', 'dup.csv', content);
    await app.waitForJob((await app.gql(RUN, { input: { fileId: first.data.uploadImportFile.id } })).data.runImport.id);
    const again = await app.upload('learners', 'dup-again.csv', content);
    const refused = await app.gql(RUN, { input: { fileId: again.data.uploadImportFile.id } });
    expect(refused.errors?.[0].extensions?.code).toBe('DUPLICATE_FILE');
    const allowed = await app.gql(RUN, { input: { fileId: again.data.uploadImportFile.id, options: { allowDuplicate: true } } });
    expect(allowed.errors).toBeUndefined();
    expect((await app.waitForJob(allowed.data.runImport.id)).counts).toMatchObject({ unchanged: 2 });
  });

  test('unknown ids are NOT_FOUND; bad options and onExisting choices are BAD_USER_INPUT', async () => {
    expect((await app.gql(RUN, { input: { fileId: '424242' } })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await app.gql('{ importJob(id: "424242") { id } }')).data.importJob).toBeNull();
    expect((await app.gql('mutation { cancelImport(id: "424242") { id } }')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const file = (await app.upload('learners', 'opts.csv', learners(1, 9100))).data.uploadImportFile;
    const badOption = await app.gql(RUN, { input: { fileId: file.id, options: { nonsense: 1 } } });
    expect(badOption.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badOption.errors?.[0].message).toContain('options');
    const badChoice = await app.gql(RUN, { input: { fileId: file.id, onExisting: 'NEW_SESSION' } });
    expect(badChoice.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a file missing a required column is refused at run time with its problems', async () => {
    const uploaded = await app.upload('learners', 'nocol.csv', 'firstname;email\nA;a@example.com\n', { hasHeader: true });
    expect(uploaded.data.uploadImportFile.problems).toEqual([
      expect.objectContaining({ severity: 'ERROR', code: 'MISSING_COLUMN', column: 'user_loginid', line: 1 }),
    ]);
    const run = await app.gql(RUN, { input: { fileId: uploaded.data.uploadImportFile.id } });
    expect(run.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const mapped = await app.gql(RUN, { input: { fileId: uploaded.data.uploadImportFile.id, options: { columnMap: { email: 'user_loginid' } } } });
    expect(mapped.errors).toBeUndefined();
    expect((await app.waitForJob(mapped.data.runImport.id)).counts).toMatchObject({ added: 1 });
  });
});

test('cancelling a running job stops it at a batch boundary and keeps what was committed', async () => {
  const rows = `n\n${Array.from({ length: 200 }, (_, i) => i).join('\n')}\n`;
  const uploaded = await app.upload('gated', 'cancel.csv', rows);
  const jobId = (await app.gql(RUN, { input: { fileId: uploaded.data.uploadImportFile.id } })).data.runImport.id;
  await gate.batchWaiting();
  gate.release(); // batch 1 commits
  await gate.batchWaiting(); // batch 2 is being written
  const cancelling = app.gql(`mutation ($id: ID!) { cancelImport(id: $id) { status counts { processed added } } }`, { id: jobId });
  await new Promise((resolve) => setTimeout(resolve, 50));
  gate.release(); // batch 2 commits, then the job sees the cancellation
  const cancelled = (await cancelling).data.cancelImport;
  expect(cancelled).toEqual({ status: 'CANCELLED', counts: { processed: 50, added: 50 } });
  const again = await app.gql(`mutation ($id: ID!) { cancelImport(id: $id) { status } }`, { id: jobId });
  expect(again.data.cancelImport.status).toBe('CANCELLED');
});

test('GET /healthz answers when the database does', async () => {
  const res = await fetch(`${app.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ok' });
});

describe('upload limits', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await build({ MAX_UPLOAD_BYTES: '1000', MAX_UPLOAD_BYTES_BY_ADAPTER: 'learners=200' });
  });
  afterAll(() => small?.close());

  test('a file over the adapter limit is PAYLOAD_TOO_LARGE and not stored', async () => {
    const res = await small.upload('learners', 'big.csv', learners(20));
    expect(res.errors?.[0]).toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 200 } });
    expect(fs.readdirSync(path.join(small.dataDir, 'uploads'))).toEqual([]);
    expect((await small.upload('learners', 'ok.csv', learners(1))).errors).toBeUndefined();
    expect((await small.gql('{ adapter(name: "learners") { maxUploadBytes } }')).data.adapter.maxUploadBytes).toBe(200);
  });

  test('one file per request', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation ($file: Upload!) { uploadImportFile(file: $file, adapter: "learners") { id } }', variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'], 1: ['variables.other'] }));
    form.append('0', new Blob(['user_loginid\na\n']), 'a.csv');
    form.append('1', new Blob(['user_loginid\nb\n']), 'b.csv');
    const res = await fetch(`${small.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
