import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, build, type TestApp } from '../helpers/build';
import { csvRows, workbook } from '../helpers/workbooks';

/**
 * The same data dropped into the API as the workbook an administrator was sent, and as CSV, on
 * two services: the same counters, issues, log and rejects.
 */
let csvApp: TestApp;
let xlsxApp: TestApp;
beforeAll(async () => {
  [csvApp, xlsxApp] = await Promise.all([build({ BATCH_SIZE: '3' }), build({ BATCH_SIZE: '3' })]);
  // The reference data of the examples: learners and catalog (lesson statistics create the enrollments).
  for (const app of [csvApp, xlsxApp]) {
    for (const adapter of ['learners', 'catalog']) {
      const job = await app.importFile(adapter, fs.readFileSync(path.join('plugins', adapter, 'example.csv')));
      expect(job.status).toBe('SUCCEEDED');
    }
  }
});
afterAll(() => Promise.all([csvApp?.close(), xlsxApp?.close()]));

const LESSON = '{1B38F003-16A9-4432-AB}';
const data: Record<string, string> = {
  learners: [
    'user_loginid;firstname;lastname;email;available',
    'xl1;Xavier;Lee;xl1@example.com;Y',
    '20240;Num;Ber;num@example.com;N',
    ';Nobody;Here;nobody@example.com;Y',
    'xl2;Bad;Mail;not-an-email;Y',
  ].join('\r\n'),
  'lesson-stats': [
    'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status',
    `demo;Comics;${LESSON};L;C;2013-03-22;87.5;1800;`,
    `jbell;Comics;${LESSON};L;P;2013-03-25;42;950;`,
    `nobody;Comics;${LESSON};L;C;2013-03-22;10;;`,
    `demo;Comics;${LESSON};L;C;2013-03-23;150;;`,
    'demo;course_1;welcome;L;Z;2013-03-22;;;',
    'amartin;course_1;first_quiz;A;C;;;01:30:00;',
    'jbell;course_1;first_quiz;A;F;2013-13-01;5.25;60;',
  ].join('\r\n'),
};

const FIELDS = `id status counts { processed rejected added updated unchanged errors warnings }
  file { fileName encoding delimiter hasHeader columns sheets preview problems { code } }
  issues(first: 100) { edges { node { line column severity code message } } }`;

async function run(app: TestApp, adapter: string, bytes: Buffer | string, fileName: string) {
  const uploaded = await app.upload(adapter, fileName, bytes);
  expect(uploaded.errors).toBeUndefined();
  const started = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
    input: { fileId: uploaded.data.uploadImportFile.id, enrollIfNeeded: adapter === 'lesson-stats' ? true : undefined, options: { allowDuplicate: true } },
  });
  expect(started.errors).toBeUndefined();
  const { id } = await app.waitForJob(started.data.runImport.id);
  const job = (await app.gql(`query ($id: ID!) { importJob(id: $id) { ${FIELDS} } }`, { id })).data.importJob;
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const log = await (await fetch(`${app.url}/imports/${id}/log.txt`, { headers: auth })).text();
  const rejects = Buffer.from(await (await fetch(`${app.url}/imports/${id}/rejects.csv`, { headers: auth })).arrayBuffer());
  return { job, log, rejects };
}

/** The log without what differs between two runs by nature: job ids, times, file names. */
const comparable = (log: string) => log.replace(/\d{4}-\d\d-\d\d[T ][\d:.]+Z?/g, 'T').replace(/job \d+/gi, 'job').replace(/\S+\.(csv|xlsx)/g, 'FILE');

test.each(['learners', 'lesson-stats'])('%s: a workbook gives what the same data as CSV gives', async (adapter) => {
  const csv = await run(csvApp, adapter, `${data[adapter]}\r\n`, `${adapter}.csv`);
  const xlsx = await run(xlsxApp, adapter, await workbook({ Export: csvRows(data[adapter]) }), `${adapter}.xlsx`);
  expect(xlsx.job.file).toMatchObject({ encoding: 'xlsx', delimiter: ';', hasHeader: true, sheets: ['Export'], problems: [] });
  expect(csv.job.file.sheets).toBeNull();
  expect(xlsx.job.file.columns).toEqual(csv.job.file.columns);
  expect(xlsx.job.file.preview).toEqual(csv.job.file.preview);
  expect(xlsx.job.status).toBe('SUCCEEDED');
  expect(xlsx.job.counts).toEqual(csv.job.counts);
  expect(xlsx.job.counts.rejected).toBeGreaterThanOrEqual(2);
  expect(xlsx.job.issues).toEqual(csv.job.issues);
  expect(comparable(xlsx.log)).toBe(comparable(csv.log));
  expect(xlsx.rejects.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  expect(xlsx.rejects.toString('utf8')).toBe(csv.rejects.toString('utf8'));
  expect(xlsx.rejects.toString('utf8').split('\r\n')[0]).toBe(`\uFEFF${data[adapter].split('\r\n')[0]}`);

  // The rejects file imports again as it is (the same records rejected for the same reasons).
  const again = await run(xlsxApp, adapter, xlsx.rejects, `${adapter}-rejects.csv`);
  expect(again.job.file).toMatchObject({ encoding: 'utf-8', delimiter: ';', problems: [] });
  expect(again.job.counts).toMatchObject({ processed: xlsx.job.counts.rejected, rejected: xlsx.job.counts.rejected });
  const errors = (job: any) => job.issues.edges.flatMap((e: any) => (e.node.severity === 'ERROR' ? [e.node.code] : []));
  expect(errors(again.job)).toEqual(errors(xlsx.job));
});

test('the check step of a workbook lists its sheets; an .xls is a file-level problem', async () => {
  const two = await xlsxApp.upload('learners', 'two.xlsx', await workbook({ Notes: [['notes']], Learners: csvRows(data.learners) }), { hasHeader: true });
  expect(two.data.uploadImportFile).toMatchObject({ encoding: 'xlsx', columns: ['notes'], problems: [expect.objectContaining({ code: 'HEADER_NOT_RECOGNISED' })] });
  const run = await xlsxApp.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
    input: { fileId: two.data.uploadImportFile.id, options: { sheet: 'Learners', allowDuplicate: true } },
  });
  expect(run.errors).toBeUndefined();
  expect((await xlsxApp.waitForJob(run.data.runImport.id)).counts).toMatchObject({ processed: 4, rejected: 2 });
  const unknown = await xlsxApp.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
    input: { fileId: two.data.uploadImportFile.id, options: { sheet: 3 } },
  });
  expect(unknown.errors?.[0]).toMatchObject({ message: 'The workbook has no sheet 3 (its sheets: Notes, Learners); options.sheet is a sheet\'s name or its position from 1', extensions: { code: 'BAD_USER_INPUT', sheets: ['Notes', 'Learners'] } });

  const xls = await xlsxApp.upload('learners', 'old.xls', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(2048)]));
  expect(xls.data.uploadImportFile.problems).toEqual([expect.objectContaining({ line: null, severity: 'ERROR', code: 'XLS_FORMAT' })]);
  expect(xls.data.uploadImportFile.problems[0].message).toMatch(/save it as \.xlsx \(Excel workbook\) or CSV/);
});
