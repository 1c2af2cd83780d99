import { build, type TestApp } from '../helpers/build';

let app: TestApp;
beforeAll(async () => {
  app = await build();
});
afterAll(() => app?.close());

const REJECTED = `query ($id: ID!, $first: Int, $after: String) { importJob(id: $id) {
  rejectedRecords(first: $first, after: $after) { totalCount header pageInfo { hasNextPage endCursor }
    edges { cursor node { line fields issues { line column severity code message } } } } } }`;

describe('rejectedRecords: the rejects file as records, each with its line and issues', () => {
  let jobId: string;
  beforeAll(async () => {
    const csv = [
      'user_loginid;firstname;email;available',
      'ok1;Ann;ann@example.com;Y',
      'bad1;"Bob; the second";not-an-email;Y',
      'ok2;Cid;cid@example.com;Y',
      'bad2;Dan;dan@example.com;maybe',
      'bad3;Eve;also-bad;X',
      '',
    ].join('\n');
    const job = await app.importFile('learners', csv);
    expect(job.counts).toMatchObject({ processed: 5, added: 2, rejected: 3, errors: 4 });
    jobId = job.id;
  });

  test('header, fields as written, the line in the imported file, the issues of that line only', async () => {
    const res = await app.gql(REJECTED, { id: jobId });
    expect(res.errors).toBeUndefined();
    const page = res.data.importJob.rejectedRecords;
    expect(page.totalCount).toBe(3);
    expect(page.header).toEqual(['user_loginid', 'firstname', 'email', 'available']);
    const nodes = page.edges.map((edge: any) => edge.node);
    expect(nodes.map((node: any) => node.line)).toEqual([3, 5, 6]);
    expect(nodes[0].fields).toEqual(['bad1', 'Bob; the second', 'not-an-email', 'Y']);
    expect(nodes[0].issues.map((issue: any) => [issue.line, issue.column, issue.severity])).toEqual([[3, 'email', 'ERROR']]);
    expect(nodes[2].issues.map((issue: any) => issue.column).sort()).toEqual(['available', 'email']);
  });

  test('is paged (Relay), and speaks French with Accept-Language: fr', async () => {
    const first = (await app.gql(REJECTED, { id: jobId, first: 2 })).data.importJob.rejectedRecords;
    expect(first.edges.map((edge: any) => edge.node.line)).toEqual([3, 5]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await app.gql(REJECTED, { id: jobId, first: 2, after: first.pageInfo.endCursor }, { lang: 'fr' })).data.importJob.rejectedRecords;
    expect(next.edges.map((edge: any) => edge.node.line)).toEqual([6]);
    expect(next.pageInfo.hasNextPage).toBe(false);
    const english = (await app.gql(REJECTED, { id: jobId })).data.importJob.rejectedRecords.edges[2].node.issues[0].message;
    expect(next.edges[0].node.issues[0].message).not.toBe(english);
  });

  test('a job without rejects has none; a file without a header has no header row', async () => {
    const clean = await app.importFile('learners', 'user_loginid\nclean1\n');
    expect((await app.gql(REJECTED, { id: clean.id })).data.importJob.rejectedRecords).toMatchObject({ totalCount: 0, header: null, edges: [] });
    const noHeader = await app.importFile('learners', 'nh1;A;B;bad-email;Y\nnh2;A;B;ok@example.com;Y\n', {}, { hasHeader: false });
    const page = (await app.gql(REJECTED, { id: noHeader.id })).data.importJob.rejectedRecords;
    expect(page).toMatchObject({ totalCount: 1, header: null });
    expect(page.edges[0].node).toMatchObject({ line: 1, fields: ['nh1', 'A', 'B', 'bad-email', 'Y'] });
  });

  test('fixesJobId: the corrected records import as a new job that links back; fixedBy lists it', async () => {
    const fixed = await app.importFile(
      'learners',
      'user_loginid;firstname;email;available\nbad1;Bob;bob@example.com;Y\nbad2;Dan;dan@example.com;Y\nbad3;Eve;eve@example.com;N\n',
      { fixesJobId: jobId },
    );
    expect(fixed.counts).toMatchObject({ processed: 3, added: 3, rejected: 0 });
    const res = await app.gql(`query ($id: ID!, $orig: ID!) { fix: importJob(id: $id) { fixes { id } } orig: importJob(id: $orig) { fixes { id } fixedBy { id } } }`, {
      id: fixed.id,
      orig: jobId,
    });
    expect(res.data).toEqual({ fix: { fixes: { id: jobId } }, orig: { fixes: null, fixedBy: [{ id: fixed.id }] } });
  });

  test('fixesJobId must name a job of the same adapter', async () => {
    const uploaded = await app.upload('catalog', 'catalog.csv', 'crsvname;course_title\nC1;Course\n');
    const fileId = uploaded.data.uploadImportFile.id;
    const run = (fixesJobId: string) => app.gql('mutation ($input: RunImportInput!) { runImport(input: $input) { id } }', { input: { fileId, fixesJobId } });
    expect((await run(jobId)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await run('999999')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
