import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabase } from '../helpers/build';

// `npm run migration:show` is the TypeORM CLI on ormconfig: run here on the sources (through SWC).
const root = path.join(__dirname, '../..');
const mysqlServer = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

function migrationShow(databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['-r', '@swc-node/register', require.resolve('typeorm/cli.js'), 'migration:show', '-d', path.join(root, 'ormconfig.ts')];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('migration:show against a database that does not exist yet creates it, as the service does, and lists what is pending', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-cli-'));
  const name = `lms_cli_${randomBytes(4).toString('hex')}`;
  const url = testDatabase === 'mysql' ? `${mysqlServer}/${name}` : `sqlite:${path.join(dir, 'not', 'yet', 'there.sqlite')}`;
  try {
    const result = await migrationShow(url);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/\[ \] InitialSchema\d+/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (testDatabase === 'mysql') {
      const mysql = await import('mysql2/promise');
      const connection = await mysql.createConnection({ uri: mysqlServer });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    }
  }
});

test('migration:show against a server that cannot be reached says so in one line, password masked, and exits 1', async () => {
  const result = await migrationShow('mysql://root:s3cret@127.0.0.1:1/lms');
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    'lms-import: cannot open the database mysql://root:***@127.0.0.1:1/lms: connect ECONNREFUSED 127.0.0.1:1',
  ]);
});
