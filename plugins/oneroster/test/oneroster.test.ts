import { ImportFile } from '../../../src/imports/import-file.entity';
import { ImportJob } from '../../../src/imports/import-job.entity';
import { ImportStatus } from '../../../src/imports/enums';
import { Course } from '../../../src/model/course.entity';
import { Enrollment } from '../../../src/model/enrollment.entity';
import { Learner } from '../../../src/model/learner.entity';
import { ADMIN_TOKEN, build, type TestApp } from '../../../test/helpers/build';
import { exampleFiles, manifest, zipOf } from './zip';
import { In } from 'typeorm';
import yauzl from 'yauzl';

jest.setTimeout(120_000);

const ISSUES = `issues(first: 200) { edges { node { file line column severity code message } } }`;
const USERS = 'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password\r\n';
const ENROLLMENTS = 'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\r\n';
const CLASSES = 'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\r\n';

let app: TestApp;
beforeAll(async () => {
  app = await build({ PROGRESS_INTERVAL_MS: '0' });
});
afterAll(() => app.close());

const manager = () => app.server.services.store.read(async (m) => m);
const learner = async (loginId: string) => (await manager()).findOneBy(Learner, { loginId });
async function enrollment(loginId: string, code: string) {
  const m = await manager();
  const [l, c] = [await m.findOneBy(Learner, { loginId }), await m.findOneBy(Course, { code })];
  return l && c ? m.findOneBy(Enrollment, { learnerId: l.id, courseId: c.id }) : null;
}

/** Lesson statistics as learner|class|item|type|status|date|score. */
async function statistics(): Promise<string[]> {
  const rows: Array<Record<string, unknown>> = await (await manager()).query(
    `SELECT l.login_id, c.code AS course, i.code, i.type, s.status, s.status_date, s.score FROM lesson_statistics s
     JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id JOIN courses c ON c.id = i.course_id`,
  );
  return rows.map((row) => Object.values(row).map((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value))).join('|')).sort();
}

async function upload(entries: Record<string, string | Buffer>) {
  const uploaded = await app.upload('oneroster', 'oneroster.zip', await zipOf(entries));
  expect(uploaded.errors).toBeUndefined();
  return uploaded.data.uploadImportFile;
}

/** Uploads through the real multipart API, runs the job, and returns it with its issues. */
async function importPackage(entries: Record<string, string | Buffer>, input: Record<string, unknown> = {}) {
  const file = await upload(entries);
  const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, { input: { fileId: file.id, options: { allowDuplicate: true }, ...input } });
  expect(run.errors).toBeUndefined();
  const job = await app.waitForJob(run.data.runImport.id);
  const { data } = await app.gql(`query ($id: ID!) { importJob(id: $id) { ${ISSUES} } }`, { id: job.id });
  return { file, job, issues: data.importJob.issues.edges.map((edge: { node: unknown }) => edge.node) };
}

const download = async (path: string) => {
  const response = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
};

function balanced(counts: Record<string, number>) {
  expect(counts.processed).toBe(counts.added + counts.updated + counts.unchanged + counts.rejected);
}

describe('OneRoster package', () => {
  it('imports the example export: courses and classes, users, enrollments in one job, roles mapped', async () => {
    const { file, job, issues } = await importPackage(exampleFiles());
    expect(file.problems).toEqual([]);
    expect(file.columns).toEqual(['courses.csv', 'classes.csv', 'users.csv', 'enrollments.csv', 'lineItems.csv', 'results.csv']);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ processed: 21, added: 21, rejected: 0, errors: 0, warnings: 0 });
    expect(job.progress).toBe(1);
    expect(issues).toEqual([]);
    const m = await manager();
    expect(await m.findOneBy(Course, { code: 'cls-eng-10-b' })).toMatchObject({ title: 'English 10, Section B' });
    expect(await m.findOneBy(Course, { code: 'crs-math-09' })).toMatchObject({ title: 'Algebra I' });
    expect(await learner('usr-1001')).toMatchObject({ firstName: 'Alice', lastName: 'Smith', email: 'alice.smith@example.edu', available: true });
    expect(await learner('usr-1003')).toMatchObject({ lastName: 'Díaz', available: false }); // enabledUser false
    expect(await enrollment('usr-3001', 'cls-math-09-a')).toMatchObject({ role: 'P', available: true });
    expect(await enrollment('usr-2001', 'cls-math-09-a')).toMatchObject({ role: 'U' });
    expect(await enrollment('usr-1002', 'cls-eng-10-b')).toMatchObject({ role: 'S' });
    // Line items are assignments of their class; results their lesson statistics, scores out of 100.
    expect(await statistics()).toEqual([
      'usr-1001|cls-math-09-a|li-quiz-1|A|C|2026-09-16|85',
      'usr-1002|cls-eng-10-b|li-essay-1|A|C|2026-10-01|0',
      'usr-1002|cls-math-09-a|li-quiz-1|A|I|2026-09-16|47.5',
    ]);

    // The same export again: nothing changes, every record unchanged.
    const again = await importPackage(exampleFiles());
    expect(again.job.counts).toMatchObject({ processed: 21, unchanged: 21, added: 0, updated: 0 });
  });

  it('a delta export: tobedeleted users made unavailable, enrollments ended, classes kept with a warning; rows without status rejected, by file and line', async () => {
    await importPackage(exampleFiles());
    const { job, issues } = await importPackage({
      'manifest.csv': manifest('1.1', { classes: 'delta', courses: 'absent', users: 'delta', enrollments: 'delta', orgs: 'absent' }),
      'classes.csv': `${CLASSES}cls-home-9,tobedeleted,2026-10-01T08:00:00Z,Homeroom 9,09,crs-math-09,HR-9,homeroom,,org-lincoln-hs,term-fall-2026,,,\r\n`,
      'users.csv':
        USERS +
        'usr-1002,tobedeleted,2026-10-01T08:00:00.000Z,true,org-lincoln-hs,student,bnguyen,,Bao,Nguyen,,,,,,,10,\r\n' +
        'usr-1004,,2026-10-01,true,org-lincoln-hs,student,dlee,,Dana,Lee,,,,,,,09,\r\n' +
        'usr-1005,active,2026-10-01T08:00:00Z,true,org-lincoln-hs,student,ekim,,Eun,Kim,,,,,,,09,\r\n',
      'enrollments.csv': `${ENROLLMENTS}enr-2,tobedeleted,2026-10-01T08:00:00Z,cls-math-09-a,org-lincoln-hs,usr-1002,student,false,,\r\nenr-7,active,2026-10-01T08:00:00Z,cls-math-09-a,org-lincoln-hs,usr-1005,aide,false,,\r\n`,
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ processed: 6, added: 2, updated: 2, unchanged: 1, rejected: 1, errors: 1, warnings: 1 });
    balanced(job.counts);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'classes.csv', line: 2, code: 'COURSE_KEPT', severity: 'WARNING' }),
        expect.objectContaining({ file: 'users.csv', line: 3, column: 'status', code: 'DELTA_REQUIRED', severity: 'ERROR' }),
      ]),
    );
    expect(await learner('usr-1002')).toMatchObject({ available: false });
    expect(await learner('usr-1004')).toBeNull();
    expect(await enrollment('usr-1002', 'cls-math-09-a')).toMatchObject({ available: false, role: 'S' });
    expect(await enrollment('usr-1005', 'cls-math-09-a')).toMatchObject({ role: 'T', available: true });

    // The log names each issue's file and line; the rejects are per member file, as read.
    const log = (await download(`/imports/${job.id}/log.txt`)).toString('utf8');
    expect(log).toContain('users.csv:3\tstatus\tERROR\tDELTA_REQUIRED');
    const rejects = (await download(`/imports/${job.id}/rejects.csv?file=users.csv`)).toString('utf8');
    expect(rejects).toContain('usr-1004,,2026-10-01');
    expect(rejects).toContain('sourcedId,status');
    expect((await download(`/imports/${job.id}/rejects.csv?file=../x`)).length).toBe(0);
    const zipped = await entriesOf(await download(`/imports/${job.id}/rejects.zip`));
    expect(Object.keys(zipped)).toEqual(['users.csv']);
    expect(zipped['users.csv']).toContain('usr-1004');
  });

  it('every enumeration: the eight roles, statuses, booleans, class types; OneRoster 1.2 users.csv without role and orgSourcedIds', async () => {
    const roles = ['student', 'teacher', 'aide', 'proctor', 'administrator', 'parent', 'guardian', 'relative'];
    const { job, issues } = await importPackage({
      'manifest.csv': manifest('1.2', { classes: 'bulk', users: 'bulk', enrollments: 'bulk' }),
      'classes.csv': `${CLASSES}${roles.map((_, i) => `k${i},,,Class ${i},,crs,K${i},${i % 2 ? 'homeroom' : 'Scheduled'},,org,term,,,`).join('\r\n')}\r\n`,
      'users.csv': 'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,pronouns\r\nu12,active,2026-09-01T00:00:00Z,TRUE,u12,,Ada,Lovelace,,,,,,,,,m-1,Ada,she/her\r\n',
      'enrollments.csv': `${ENROLLMENTS}${roles.map((role, i) => `e${i},,,k${i},org,u12,${i === 1 ? 'Teacher' : role},${i === 1 ? 'true' : ''},,`).join('\r\n')}\r\n`,
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(issues).toEqual([]);
    expect(job.counts).toMatchObject({ processed: 17, added: 17 });
    const stored = await Promise.all(roles.map((_, i) => enrollment('u12', `k${i}`)));
    expect(stored.map((e) => e!.role)).toEqual(['S', 'P', 'T', 'G', 'B', 'U', 'U', 'U']);
  });

  it('bad records: unknown role, status, boolean, dates, end before begin, unknown user and class; each rejected with its file, line and column', async () => {
    await importPackage(exampleFiles());
    const { job, issues } = await importPackage({
      'manifest.csv': manifest('1.1', { users: 'bulk', enrollments: 'bulk' }),
      'users.csv': `${USERS}usr-9001,deleted,,true,org,student,x1,,X,One,,,,,,,,\r\nusr-9002,,,yes,org,student,x2,,X,Two,,,,,,,,\r\nusr-9003,,2026-02-30,true,org,student,x3,,X,Three,,,not-an-email,,,,,\r\nusr-9004,,,true,org,mentor,,,X,Four,,,,,,,,\r\n`,
      'enrollments.csv': `${ENROLLMENTS}e1,,,cls-math-09-a,org,usr-1001,ext:mentor,,,\r\ne2,,,cls-math-09-a,org,usr-1001,student,maybe,2026-09-01,\r\ne3,,,cls-nope,org,usr-nobody,student,,,\r\ne4,,,cls-math-09-a,org,usr-1001,student,,2026-09-01,2026-08-01\r\n`,
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ processed: 8, rejected: 8, added: 0 });
    balanced(job.counts);
    const at = (file: string, line: number) => issues.filter((issue: { file: string; line: number }) => issue.file === file && issue.line === line).map((issue: { column: string; code: string }) => `${issue.column}:${issue.code}`);
    expect(at('users.csv', 2)).toEqual(['status:INVALID_CODE']);
    expect(at('users.csv', 3)).toEqual(['enabledUser:INVALID_CODE']);
    expect(at('users.csv', 4)).toEqual(expect.arrayContaining(['dateLastModified:INVALID_ISO_DATE', 'email:INVALID_EMAIL']));
    expect(at('users.csv', 5)).toEqual(expect.arrayContaining(['role:INVALID_CODE', 'username:REQUIRED']));
    expect(at('enrollments.csv', 2)).toEqual(['role:UNKNOWN_ROLE']);
    expect(at('enrollments.csv', 3)).toEqual(['primary:INVALID_CODE']);
    expect(at('enrollments.csv', 5)).toEqual(['endDate:END_BEFORE_BEGIN']);
    expect(at('enrollments.csv', 4)).toEqual(['userSourcedId:UNKNOWN_LEARNER', 'classSourcedId:UNKNOWN_COURSE']);
    // In French too, from the member adapters' messages.
    const fr = await app.gql(`query ($id: ID!) { importJob(id: $id) { ${ISSUES} } }`, { id: job.id }, { lang: 'fr' });
    expect(JSON.stringify(fr.data)).toContain('n’est pas un rôle OneRoster connu');
  });

  it('bad packages are refused at the check step, each problem with its file and line, and runImport refuses them', async () => {
    const files = exampleFiles();
    const cases: Array<[Record<string, string> | Buffer, Array<Record<string, unknown>>]> = [
      [Buffer.from('sourcedId,status\r\nnot,a zip\r\n'), [{ code: 'NOT_A_PACKAGE', severity: 'ERROR' }]],
      [{ 'users.csv': files['users.csv'] }, [{ file: 'manifest.csv', code: 'MANIFEST_MISSING' }]],
      [{ 'manifest.csv': manifest('1.1', { users: 'bulk' }) }, [{ file: 'users.csv', code: 'PACKAGE_MEMBER_MISSING' }]],
      [{ 'manifest.csv': manifest('2.0', { users: 'bulk' }), 'users.csv': files['users.csv'] }, [{ file: 'manifest.csv', line: 3, column: 'value', code: 'ONEROSTER_VERSION' }]],
      [{ 'manifest.csv': manifest('1.1', { users: 'sometimes' }), 'users.csv': files['users.csv'] }, [{ file: 'manifest.csv', line: 4, code: 'INVALID_CODE' }]],
      [{ 'manifest.csv': manifest('1.1', { users: 'bulk' }), 'users.csv': 'sourcedId,status,givenName\r\nu1,,A\r\n' }, [{ file: 'users.csv', line: 1, code: 'MISSING_COLUMN' }]],
      // Only root entries named by the package are read; a zip with a `../` entry is refused whole (yauzl).
      [{ 'manifest.csv': manifest('1.1', { users: 'bulk' }), 'export/users.csv': files['users.csv'] }, [{ file: 'users.csv', code: 'PACKAGE_MEMBER_MISSING' }]],
      [await traversal(files['users.csv']), [{ code: 'NOT_A_PACKAGE', message: 'The file is not a zip package: invalid relative path: ../users.csv' }]],
      [{ 'manifest.csv': manifest('1.1', { users: 'absent' }) }, [{ code: 'PACKAGE_EMPTY' }]],
    ];
    for (const [entries, expected] of cases) {
      const uploaded = await app.upload('oneroster', 'export.zip', Buffer.isBuffer(entries) ? entries : await zipOf(entries));
      expect(uploaded.errors).toBeUndefined();
      const { id, problems } = uploaded.data.uploadImportFile;
      expect(problems).toEqual(expect.arrayContaining(expected.map((problem) => expect.objectContaining(problem))));
      const run = await app.gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, { input: { fileId: id } });
      expect(run.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    // A file the manifest says is absent is not imported: a warning, the others go on.
    const absent = await upload({ ...files, 'manifest.csv': files['manifest.csv'].replace('file.users,bulk', 'file.users,absent') });
    expect(absent.problems).toEqual([expect.objectContaining({ file: 'users.csv', code: 'MANIFEST_SAYS_ABSENT', severity: 'WARNING' })]);
    expect(absent.columns).toEqual(['courses.csv', 'classes.csv', 'enrollments.csv', 'lineItems.csv', 'results.csv']);
  });

  it('a member larger than its adapter’s upload limit is not extracted (zip bombs)', async () => {
    const small = await build({ MAX_UPLOAD_BYTES_BY_ADAPTER: 'oneroster-users=2000' });
    try {
      const bomb = `${USERS}${'usr-x,,,true,org,student,x,,X,Y,,,,,,,,\r\n'.repeat(20_000)}`;
      const uploaded = await small.upload('oneroster', 'bomb.zip', await zipOf({ 'manifest.csv': manifest('1.1', { users: 'bulk' }), 'users.csv': bomb }));
      expect(uploaded.data.uploadImportFile.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'users.csv', code: 'PACKAGE_MEMBER_REFUSED' })]));
      expect(uploaded.data.uploadImportFile.size).toBeLessThan(10_000);
    } finally {
      await small.close();
    }
  });

  it('results: every scoreStatus, scores scaled from the line item’s scale; off-scale, unknown line items and deletions', async () => {
    await importPackage(exampleFiles());
    const LINE_ITEMS = 'sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax\r\n';
    const RESULTS = 'sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment\r\n';
    const statuses = ['exempt', 'fully graded', 'submitted', 'partially graded', 'not submitted'];
    const { job, issues } = await importPackage({
      'manifest.csv': manifest('1.1', { lineItems: 'bulk', results: 'delta' }),
      'lineItems.csv': `${LINE_ITEMS}${statuses.map((_, i) => `li-${i},,,Rubric ${i},,2026-09-01,2026-09-30,cls-home-9,cat,gp,1,5`).join('\r\n')}\r\nli-bad,,,Bad scale,,2026-09-01,2026-09-30,cls-home-9,cat,gp,10,10\r\n`,
      'results.csv':
        RESULTS +
        statuses.map((status, i) => `r${i},active,2026-10-01T00:00:00Z,li-${i},usr-1003,${i === 1 ? 'Fully Graded' : status},4,2026-10-01,`).join('\r\n') +
        '\r\nr5,active,2026-10-01T00:00:00Z,li-0,usr-1003,fully graded,6,2026-10-01,\r\n' +
        'r6,active,2026-10-01T00:00:00Z,li-none,usr-1003,fully graded,3,2026-10-01,\r\n' +
        'r7,tobedeleted,2026-10-01T00:00:00Z,li-0,usr-1003,fully graded,3,2026-10-01,\r\n' +
        'r8,active,2026-10-01T00:00:00Z,li-0,usr-1003,graded,3,2026-10-01,\r\n',
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(job.counts).toMatchObject({ processed: 15, added: 10, unchanged: 1, rejected: 4, warnings: 1 });
    balanced(job.counts);
    const codes = issues.map((issue: { file: string; line: number; column: string; code: string }) => `${issue.file}:${issue.line} ${issue.column} ${issue.code}`);
    expect(codes).toEqual([
      'lineItems.csv:7 resultValueMax SCALE_EMPTY',
      'results.csv:7 score SCORE_OFF_SCALE',
      'results.csv:8 lineItemSourcedId UNKNOWN_LINE_ITEM',
      'results.csv:9 status RESULT_KEPT',
      'results.csv:10 scoreStatus INVALID_CODE',
    ]);
    // 4 on a 1–5 scale is 75 out of 100.
    const stored = (await statistics()).filter((row) => row.startsWith('usr-1003|'));
    expect(stored).toEqual(statuses.map((_, i) => `usr-1003|cls-home-9|li-${i}|A|${'CCCIN'[i]}|2026-10-01|75`));
  });

  it('a job resumed from its checkpoint goes on from the right member and record', async () => {
    const file = await upload({
      'manifest.csv': manifest('1.1', { courses: 'bulk', classes: 'bulk', users: 'bulk' }),
      'courses.csv': 'sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes\r\ncrs-resume,,,ay,Resumed,,,org,,\r\n',
      'classes.csv': `${CLASSES}cls-resume,,,Resumed A,,crs-resume,,scheduled,,org,term,,,\r\n`,
      'users.csv': `${USERS}r1,,,true,o,student,r1,,R,One,,,,,,,,\r\nr2,,,true,o,student,r2,,R,Two,,,,,,,,\r\nr3,,,true,o,student,r3,,R,Three,,,,,,,,\r\n`,
    });
    const { store } = app.server.services;
    const stored = await store.read((m) => m.findOneByOrFail(ImportFile, { id: Number(file.id) }));
    expect(stored.members!.map((member) => member.file)).toEqual(['courses.csv', 'classes.csv', 'users.csv']);
    // As a run that failed after the courses, the classes and the first user left it.
    const job = await store.transaction((m) =>
      m.save(
        Object.assign(new ImportJob(), {
          adapter: 'oneroster', fileId: stored.id, status: ImportStatus.FAILED, dryRun: false, onExisting: 'UPDATE', enrollIfNeeded: false, options: {},
          importDate: '2026-12-03', memberIndex: 2, recordsDone: 1, processed: 2, added: 2,
        }),
      ),
    );
    const resumed = await app.gql(`mutation ($id: ID!) { resumeImport(id: $id) { id } }`, { id: String(job.id) });
    expect(resumed.errors).toBeUndefined();
    const done = await app.waitForJob(String(job.id));
    expect(done.status).toBe('SUCCEEDED');
    expect(done.counts).toMatchObject({ processed: 4, added: 4 });
    expect(await learner('r1')).toBeNull();
    expect(await learner('r2')).not.toBeNull();
    expect(await learner('r3')).not.toBeNull();
    // Members before the checkpoint are not read again.
    expect(await (await manager()).countBy(Course, { code: In(['crs-resume', 'cls-resume']) })).toBe(0);
  });

  it('a failed package job that finished its first member can be resumed, even at record 0 of the next', async () => {
    const file = await upload({ 'manifest.csv': manifest('1.1', { courses: 'bulk', users: 'bulk' }), 'courses.csv': exampleFiles()['courses.csv'], 'users.csv': `${USERS}z1,,,true,o,student,z1,,Z,One,,,,,,,,\r\n` });
    const { store } = app.server.services;
    const job = await store.transaction((m) =>
      m.save(Object.assign(new ImportJob(), { adapter: 'oneroster', fileId: Number(file.id), status: ImportStatus.FAILED, dryRun: false, onExisting: 'UPDATE', enrollIfNeeded: false, options: {}, importDate: '2026-12-03', memberIndex: 1, recordsDone: 0, processed: 2, added: 2 })),
    );
    const resumed = await app.gql(`mutation ($id: ID!) { resumeImport(id: $id) { id } }`, { id: String(job.id) });
    expect(resumed.errors).toBeUndefined();
    expect((await app.waitForJob(String(job.id))).counts).toMatchObject({ processed: 3, added: 3 });
    expect(await learner('z1')).not.toBeNull();
  });
});

/** A zip holding users.csv as `../users.csv` (zip writers refuse the first: its name is patched in). */
async function traversal(users: string): Promise<Buffer> {
  const zip = await zipOf({ 'manifest.csv': manifest('1.1', { users: 'bulk' }), 'x./users.csv': users });
  return Buffer.from(zip.toString('latin1').replaceAll('x./users.csv', '../users.csv'), 'latin1');
}

/** The entries of a zip, as text. */
function entriesOf(zip: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const found: Record<string, string> = {};
      file.on('entry', (entry) =>
        file.openReadStream(entry, async (failed, stream) => {
          if (failed) return reject(failed);
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          found[entry.fileName] = Buffer.concat(chunks).toString('utf8');
          file.readEntry();
        }),
      );
      file.on('end', () => resolve(found));
      file.readEntry();
    }),
  );
}
