import fs from 'node:fs';
import path from 'node:path';
import { build, type TestApp } from '../helpers/build';

/**
 * Column mapping through the real service over HTTP: the check step's proposal for every column
 * of the header, saved mappings (operators save, list and delete them; the map is validated), an
 * upload whose header matches a saved mapping read with it, and options.columnMap over both.
 */

let app: TestApp;
const tokens = { viewer: '', operator: '' };
const example = (adapter: string) => fs.readFileSync(path.join(__dirname, `../../plugins/${adapter}/example.csv`));

beforeAll(async () => {
  app = await build();
  for (const role of ['viewer', 'operator'] as const) {
    const res = await app.gql(`mutation ($role: Role!) { createToken(name: "${role}", role: $role) { token } }`, { role: role.toUpperCase() });
    tokens[role] = res.data.createToken.token;
  }
  for (const adapter of ['learners', 'catalog', 'blackboard-enrollment']) {
    const job = await app.importFile(adapter, example(adapter));
    expect(job.status).toBe('SUCCEEDED');
  }
});
afterAll(() => app?.close());

const SAVE = `mutation ($adapter: String!, $name: String!, $map: JSON!) {
  saveColumnMapping(adapter: $adapter, name: $name, map: $map) { id adapter name map fileColumns createdAt } }`;
const LIST = `query ($adapter: String) { columnMappings(adapter: $adapter) { id adapter name map fileColumns } }`;
const DELETE = `mutation ($id: ID!) { deleteColumnMapping(id: $id) }`;
const UPLOAD_FIELDS = `id hasHeader columns problems { line severity code message }
  columnProposals { fileColumn column reason confidence applied } savedMapping { id name map }`;
const RUN = `mutation ($input: RunImportInput!) { runImport(input: $input) { id options } }`;

/** Uploads with the check step's proposals and saved mapping. */
async function upload(adapter: string, csv: string, options: { hasHeader?: boolean; lang?: string } = {}) {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation ($file: Upload!, $adapter: String!, $hasHeader: Boolean) { uploadImportFile(file: $file, adapter: $adapter, hasHeader: $hasHeader) { ${UPLOAD_FIELDS} } }`,
      variables: { file: null, adapter, hasHeader: options.hasHeader ?? null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([csv]), `${adapter}.csv`);
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${tokens.operator}`, ...(options.lang ? { 'accept-language': options.lang } : {}) },
    body: form,
  });
  const body = (await response.json()) as { data: { uploadImportFile: any }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data.uploadImportFile;
}

async function run(fileId: string, options: Record<string, unknown> = {}) {
  const res = await app.gql(RUN, { input: { fileId, enrollIfNeeded: true, options: { allowDuplicate: true, ...options } } }, { token: tokens.operator });
  if (res.errors) return { errors: res.errors };
  return { job: await app.waitForJob(res.data.runImport.id), options: res.data.runImport.options };
}

describe('saving, listing and deleting column mappings', () => {
  test('operators save, list and delete; viewers may not; a name saved again replaces its map', async () => {
    const map = { Matricule: 'user_loginid', 'Code cours': 'CRSVNAME' };
    const saved = await app.gql(SAVE, { adapter: 'course-stats', name: 'HR export', map }, { token: tokens.operator });
    expect(saved.errors).toBeUndefined();
    const mapping = saved.data.saveColumnMapping;
    expect(mapping).toMatchObject({
      adapter: 'course-stats',
      name: 'HR export',
      map: { Matricule: 'user_loginid', 'Code cours': 'crsvname' }, // the column as the adapter names it
      fileColumns: ['Matricule', 'Code cours'],
    });
    const again = await app.gql(SAVE, { adapter: 'course-stats', name: 'HR export', map: { Matricule: 'user_loginid' } }, { token: tokens.operator });
    expect(again.data.saveColumnMapping).toMatchObject({ id: mapping.id, map: { Matricule: 'user_loginid' } });
    const other = await app.gql(SAVE, { adapter: 'learners', name: 'HR export', map: { Matricule: 'user_loginid' } });
    expect(other.errors).toBeUndefined(); // the same name for another adapter, by an admin

    const listed = await app.gql(LIST, { adapter: 'course-stats' }, { token: tokens.operator });
    expect(listed.data.columnMappings).toEqual([{ id: mapping.id, adapter: 'course-stats', name: 'HR export', map: { Matricule: 'user_loginid' }, fileColumns: ['Matricule'] }]);
    expect((await app.gql(LIST, {}, { token: tokens.operator })).data.columnMappings.map((m: any) => m.adapter)).toEqual(['course-stats', 'learners']);

    for (const [query, variables] of [
      [SAVE, { adapter: 'course-stats', name: 'x', map }],
      [LIST, {}],
      [DELETE, { id: mapping.id }],
    ] as const) {
      expect((await app.gql(query, variables, { token: tokens.viewer })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await app.gql(query, variables, { token: null })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }

    expect((await app.gql(DELETE, { id: mapping.id }, { token: tokens.operator })).data.deleteColumnMapping).toBe(true);
    expect((await app.gql(DELETE, { id: mapping.id }, { token: tokens.operator })).data.deleteColumnMapping).toBe(false);
    expect((await app.gql(DELETE, { id: 'nope' }, { token: tokens.operator })).data.deleteColumnMapping).toBe(false);
    expect((await app.gql(LIST, { adapter: 'course-stats' })).data.columnMappings).toEqual([]);
    await app.gql(DELETE, { id: other.data.saveColumnMapping.id });
  });

  test.each([
    ['a target that is not a column', { Login: 'user_loginid', Statut: 'status' }, /map\."Statut": "status" is not a column of course-stats \(columns: user_loginid, crsvname, course_status/],
    ['two file columns for one column', { Login: 'user_loginid', Matricule: 'user_loginid' }, /"Login" and "Matricule" both go to user_loginid/],
    ['the same header name twice', { Login: 'user_loginid', ' login* ': 'crsvname' }, /"Login" and "login\*" are the same header name/],
    ['a target that is not a string', { Login: 3 }, /map\."Login": 3 is not a column/],
    ['an empty map', {}, /map: give 1 to 500 file columns/],
    ['an array', ['user_loginid'], /map: give an object/],
    ['a string', 'Login=user_loginid', /map: give an object/],
    ['an empty header name', { ' ': 'user_loginid' }, /" " is not a header name/],
  ])('%s is refused (BAD_USER_INPUT), nothing saved', async (_name, map, message) => {
    const res = await app.gql(SAVE, { adapter: 'course-stats', name: 'bad', map }, { token: tokens.operator });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(message);
    expect((await app.gql(LIST, { adapter: 'course-stats' })).data.columnMappings).toEqual([]);
  });

  test('an empty name or an unknown adapter is refused', async () => {
    const blank = await app.gql(SAVE, { adapter: 'course-stats', name: '  ', map: { Login: 'user_loginid' } });
    expect(blank.errors?.[0]).toMatchObject({ message: expect.stringMatching(/name: give a name of 1 to 100 characters/), extensions: { code: 'BAD_USER_INPUT' } });
    const unknown = await app.gql(SAVE, { adapter: 'nope', name: 'x', map: { Login: 'user_loginid' } });
    expect(unknown.errors?.[0].extensions?.code).toBe('UNKNOWN_ADAPTER');
  });
});

describe('the check step proposes a column for every file column', () => {
  test('exact, alias, French label, normalized; a fuzzy match is proposed, not applied, until columnMap confirms it', async () => {
    const csv = 'user_loginid;Identifiant du cours;COURSE_STATUS*;Statut date;remarks\ndemo;course_1;C;2014/01/01;x\n';
    const file = await upload('course-stats', csv);
    expect(file.columnProposals).toEqual([
      { fileColumn: 'user_loginid', column: 'user_loginid', reason: 'EXACT', confidence: 1, applied: true },
      { fileColumn: 'Identifiant du cours', column: 'crsvname', reason: 'LABEL', confidence: 0.85, applied: true },
      { fileColumn: 'COURSE_STATUS*', column: 'course_status', reason: 'NORMALIZED', confidence: 0.95, applied: true },
      { fileColumn: 'Statut date', column: 'course_status_date', reason: 'FUZZY', confidence: expect.any(Number), applied: false },
      { fileColumn: 'remarks', column: null, reason: 'NONE', confidence: 0, applied: false },
    ]);
    expect(file.problems.map((p: any) => p.code)).toEqual(['UNKNOWN_COLUMN', 'UNKNOWN_COLUMN']);
    // Without columnMap the fuzzy column is ignored: the status date is the import's date.
    const plain = await run(file.id);
    expect(plain.job.counts).toMatchObject({ added: 1 });
    const confirmed = await run(file.id, { columnMap: { 'Statut date': 'course_status_date' } });
    expect(confirmed.job.counts).toMatchObject({ added: 1 });
    const dates = await app.server.services.store.read((m) => m.query('SELECT status_date FROM course_statistics ORDER BY id'));
    expect(dates.map((row: any) => String(row.status_date).slice(0, 10)).slice(-1)).toEqual(['2014-01-01']);
  });

  test('no header: no proposals', async () => {
    const file = await upload('course-stats', 'demo;course_1;C;;\n', { hasHeader: false });
    expect(file.columnProposals).toBeNull();
    expect(file.savedMapping).toBeNull();
  });
});

describe('an upload whose header has the file columns of a saved mapping', () => {
  const header = 'Matricule;Cours;Leçon;Type;Statut;Date\n';
  const rows = 'demo;Comics;{1B38F003-16A9-4432-AB};L;passed;2013/03/22\njbell;Comics;{1B38F003-16A9-4432-AB};L;F;2013/03/25\n';
  let mappingId: string;
  beforeAll(async () => {
    const res = await app.gql(SAVE, {
      adapter: 'lesson-stats',
      name: 'Export RH',
      map: { Matricule: 'user_loginid', Cours: 'crsvname', 'Leçon': 'lsnvname', Type: 'lnk_type', Statut: 'lesson_status', Date: 'lesson_status_date' },
    }, { token: tokens.operator });
    mappingId = res.data.saveColumnMapping.id;
  });

  test('is checked with it, says so, and imports with it without columnMap', async () => {
    const file = await upload('lesson-stats', header + rows);
    expect(file.hasHeader).toBe(true);
    expect(file.savedMapping).toEqual({ id: mappingId, name: 'Export RH', map: expect.objectContaining({ Matricule: 'user_loginid' }) });
    expect(file.problems).toEqual([
      { line: 1, severity: 'WARNING', code: 'SAVED_MAPPING_APPLIED', message: `The header matches the saved column mapping "Export RH" (id ${mappingId}): its columns are read with it` },
    ]);
    expect(file.columnProposals.map((p: any) => [p.column, p.reason, p.applied])).toEqual([
      ['user_loginid', 'SAVED_MAPPING', true],
      ['crsvname', 'SAVED_MAPPING', true],
      ['lsnvname', 'SAVED_MAPPING', true],
      ['lnk_type', 'SAVED_MAPPING', true],
      ['lesson_status', 'SAVED_MAPPING', true],
      ['lesson_status_date', 'SAVED_MAPPING', true],
    ]);
    const { job, options } = await run(file.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { processed: 2, added: 2, rejected: 0, warnings: 1 } }); // "passed": STATUS_WORD_MAPPED
    expect(options.columnMap).toMatchObject({ Matricule: 'user_loginid', Statut: 'lesson_status' });
    const issues = await app.gql(`query ($id: ID!) { importJob(id: $id) { issues { edges { node { line column code message } } } } }`, { id: job.id }, { lang: 'fr' });
    expect(issues.data.importJob.issues.edges.map((edge: any) => edge.node)).toEqual([
      { line: 2, column: 'lesson_status', code: 'STATUS_WORD_MAPPED', message: 'lesson_status : « passed » lu comme le code P (passed → P)' },
    ]);
  });

  test('in French, any case and order, with more columns; options.columnMap entries win over it', async () => {
    const file = await upload('lesson-stats', 'STATUT;matricule;Type;Note;Date;cours;LECON\nP;demo;L;87,5;2013/03/22;Comics;{1B38F003-16A9-4432-AB}\n', { lang: 'fr' });
    expect(file.savedMapping?.name).toBe('Export RH');
    expect(file.problems.map((p: any) => [p.code, p.message])).toEqual([
      ['SAVED_MAPPING_APPLIED', `L’en-tête correspond à la correspondance de colonnes enregistrée « Export RH » (id ${mappingId}) : ses colonnes sont lues avec elle`],
      ['UNKNOWN_COLUMN', expect.stringContaining('Note')],
    ]);
    const { job, options } = await run(file.id, { columnMap: { Note: 'lesson_score' } });
    expect(job.counts).toMatchObject({ added: 1, rejected: 0 });
    expect(options.columnMap).toMatchObject({ Note: 'lesson_score', Matricule: 'user_loginid' });
    const [latest] = await app.server.services.store.read((m) => m.query('SELECT score FROM lesson_statistics ORDER BY id DESC LIMIT 1'));
    expect(Number(latest.score)).toBe(87.5);
  });

  test('a header without one of its file columns is not read with it; once deleted, it no longer applies', async () => {
    const partial = await upload('lesson-stats', 'Matricule;Cours;Leçon;Type;Statut\ndemo;Comics;x;L;P\n');
    expect(partial.savedMapping).toBeNull(); // "Date" is missing
    expect(partial.hasHeader).toBe(false); // no cell of it names a column by itself: read as a record
    await app.gql(DELETE, { id: mappingId }, { token: tokens.operator });
    const after = await upload('lesson-stats', header + rows);
    expect(after).toMatchObject({ savedMapping: null, hasHeader: false, columnProposals: null });
    expect(after.problems.map((p: any) => p.code)).not.toContain('SAVED_MAPPING_APPLIED');
  });
});
