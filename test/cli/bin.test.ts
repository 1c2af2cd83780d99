import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ADMIN_TOKEN, build, type TestApp } from '../helpers/build';
import { root, runCli } from './run-cli';

/** The package's bin, as `npx lms-import` runs it: bin/lms-import.js on the output of `npm run build`. */
let app: TestApp;
beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe', timeout: 180_000 });
  app = await build();
}, 240_000);
afterAll(() => app?.close());

test('the built bin prints its usage and imports a file against the service', async () => {
  const help = await runCli(['--help'], {}, { bin: true });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: lms-import \[options\] \[command\]/);
  const env = { LMS_IMPORT_URL: app.url, LMS_IMPORT_TOKEN: ADMIN_TOKEN };
  const imported = await runCli(['import', path.join(root, 'plugins/learners/example.csv'), '--adapter', 'learners', '--wait', '--json'], env, { bin: true });
  expect(imported.code).toBe(0);
  expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'SUCCEEDED', counts: { added: 3 } });
});
