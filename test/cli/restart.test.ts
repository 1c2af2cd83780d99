import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { ADMIN_TOKEN, dropTestDatabase, mysqlServer, testDatabase } from '../helpers/build';
import { startCli } from './run-cli';

/**
 * `import --wait` through a crash of the service: the WebSocket is connected again once the
 * service is back (on the same port), the job resumes there from its checkpoint, and the command
 * ends with the job's real end.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-cli-restart-'));
const dbName = `lms_cli_${process.pid}_${randomBytes(4).toString('hex')}`;
const databaseUrl = testDatabase === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dataDir, 'test.sqlite')}`;
let server: ChildServer | null = null;

afterAll(async () => {
  if (server && server.process.exitCode === null) {
    server.process.kill('SIGKILL');
    await server.exited;
  }
  await dropTestDatabase(dbName);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

test('a service killed and started again while the command waits: it reconnects and exits with the job end', async () => {
  const serverEnv = {
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
    BATCH_SIZE: '50',
    GROUP_COMMIT_MS: '0',
    SLOW_BATCH_MS: '60',
    LMS_IMPORT_PLUGINS: path.resolve(__dirname, 'slow-learners-plugin.ts'),
  };
  server = await startChildServer(serverEnv);
  const csv = path.join(dataDir, 'learners.csv');
  fs.writeFileSync(csv, `user_loginid\n${Array.from({ length: 2000 }, (_, i) => `r${i}`).join('\n')}\n`);

  const waiting = startCli(['import', csv, '--adapter', 'slow-learners', '--wait', '--json'], { LMS_IMPORT_URL: server.url, LMS_IMPORT_TOKEN: ADMIN_TOKEN }, { timeoutMs: 100_000 });
  const id = (await waiting.stderrMatches(/^Import (\d+) queued$/m))[1];
  await waiting.stderrMatches(/^Job \d+: RUNNING [1-9]/m); // a batch is committed
  server.process.kill('SIGKILL');
  await server.exited;
  server = await startChildServer(serverEnv);

  const result = await waiting.result;
  expect(result.stderr).not.toMatch(/Lost the connection/);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ id, status: 'SUCCEEDED', counts: { processed: 2000, added: 2000, rejected: 0 } });
  expect(result.stderr).toMatch(new RegExp(`^Job ${id}: SUCCEEDED 100% \\(2000 records processed, 0 rejected\\)$`, 'm'));
}, 150_000);
