import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type TestApp } from '../helpers/build';

/**
 * A third-party adapter that lives outside the repository, written as a published package
 * would be (plain CommonJS, its own zod and TypeORM, its own table and migration), loaded
 * through LMS_IMPORT_PLUGINS and run through the real pipeline over HTTP.
 */
const pluginSource = `
const path = require('node:path');
const { z } = require('zod');
const { EntitySchema, Table } = require('typeorm');

const Attendance = new EntitySchema({
  name: 'Attendance',
  tableName: 'ext_attendance',
  columns: {
    id: { type: 'int', primary: true, generated: 'increment' },
    login: { type: 'varchar', length: 100 },
    day: { type: 'date' },
    present: { type: 'boolean' },
    createdJobId: { type: 'int', name: 'created_job_id' },
  },
});

class CreateAttendance1900000000000 {
  name = 'CreateAttendance1900000000000';
  async up(queryRunner) {
    const mysql = ['mysql', 'mariadb'].includes(queryRunner.connection.driver.options.type);
    await queryRunner.createTable(new Table({ name: 'ext_attendance', columns: [
      { name: 'id', type: mysql ? 'int' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
      { name: 'login', type: 'varchar', length: '100' },
      { name: 'day', type: 'date' },
      { name: 'present', type: 'boolean' },
      { name: 'created_job_id', type: 'int' },
    ] }), true);
  }
  async down(queryRunner) { await queryRunner.dropTable('ext_attendance'); }
}

const cell = z.string().nullable();
module.exports = {
  apiVersion: 1,
  name: 'attendance',
  label: { en: 'Classroom attendance', fr: 'Présence en salle' },
  description: 'Who attended which day (a third-party example)',
  columns: [
    { name: 'login', label: 'Login', description: 'Learner login', required: true },
    { name: 'day', label: 'Day', description: 'yyyy-mm-dd', required: true },
    { name: 'present', label: 'Present', description: 'Y or N', codes: [{ code: 'Y', label: 'Yes' }, { code: 'N', label: 'No' }] },
  ],
  rowSchema: z.object({
    login: cell.refine((v) => v !== null, { params: { code: 'REQUIRED' } }),
    day: cell.refine((v) => v !== null && /^\\d{4}-\\d{2}-\\d{2}$/.test(v), { params: { code: 'INVALID_DATE' } }),
    present: cell.transform((v) => v !== 'N'),
  }),
  onExisting: { choices: ['NEW_SESSION'], default: 'NEW_SESSION' },
  entities: [Attendance],
  migrations: [CreateAttendance1900000000000],
  messages: { NOT_THERE: { en: 'never used', fr: 'jamais utilisé' } },
  exampleFile: path.join(__dirname, 'example.csv'),
  async resolve(rows) {
    return rows.map((row) => ({ action: 'add', plan: row.data }));
  },
  async persist(rows, ctx) {
    await ctx.manager.insert('Attendance', rows.map(({ plan }) => ({ ...plan, createdJobId: ctx.job.id })));
  },
};
`;

let app: TestApp;
let home: string;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-external-plugin-'));
  const pkg = path.join(home, 'lms-import-plugin-attendance');
  fs.mkdirSync(path.join(home, 'node_modules'), { recursive: true });
  for (const dependency of ['zod', 'typeorm']) {
    fs.symlinkSync(path.resolve('node_modules', dependency), path.join(home, 'node_modules', dependency), 'dir');
  }
  fs.mkdirSync(pkg);
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'lms-import-plugin-attendance', main: 'index.js' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), pluginSource);
  fs.writeFileSync(path.join(pkg, 'example.csv'), 'login,day,present\ndemo,2026-01-05,Y\n');
  app = await build({ LMS_IMPORT_PLUGINS: pkg });
});

afterAll(async () => {
  await app?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

test('an adapter outside the repository is loaded, migrated and runs through the pipeline', async () => {
  const adapters = await app.gql('{ adapter(name: "attendance") { label columns { name required codes { code } } exampleCsv } }');
  expect(adapters.data.adapter).toMatchObject({ label: 'Classroom attendance', exampleCsv: 'login,day,present\ndemo,2026-01-05,Y\n' });

  const job = await app.importFile('attendance', 'login,day,present\ndemo,2026-01-05,Y\nbell,2026-01-05,N\n,2026-01-05,Y\nx,yesterday,Y\n');
  expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { processed: 4, added: 2, rejected: 2, errors: 2 } });
  const rows = await app.server.services.store.dataSource.query('SELECT login, day, present, created_job_id FROM ext_attendance ORDER BY id');
  expect(rows.map((r: any) => [r.login, String(r.day), Boolean(r.present), Number(r.created_job_id)])).toEqual([
    ['demo', '2026-01-05', true, Number(job.id)],
    ['bell', '2026-01-05', false, Number(job.id)],
  ]);
  const issues = await app.gql(`query ($id: ID!) { importJob(id: $id) { issues { edges { node { line column code } } } } }`, { id: job.id });
  expect(issues.data.importJob.issues.edges.map((e: any) => e.node)).toEqual([
    { line: 4, column: 'login', code: 'REQUIRED' },
    { line: 5, column: 'day', code: 'INVALID_DATE' },
  ]);
});
