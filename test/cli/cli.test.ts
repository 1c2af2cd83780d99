import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN, build, type TestApp } from '../helpers/build';
import { root, runCli, startCli, type CliResult } from './run-cli';
import { failingLearners, slowLearners } from './test-adapters';

/**
 * The real command line, as a child process, against the real service (HTTP and WebSocket)
 * on a fresh database, with real files.
 */
let app: TestApp;
let env: Record<string, string>;
let dir: string;
/** How long each batch of slow-learners takes. */
let batchDelayMs = 100;

beforeAll(async () => {
  app = await build({ BATCH_SIZE: '50', PROGRESS_INTERVAL_MS: '0', GROUP_COMMIT_MS: '0' }, { adapters: [slowLearners(() => batchDelayMs), failingLearners] });
  env = { LMS_IMPORT_URL: app.url, LMS_IMPORT_TOKEN: ADMIN_TOKEN };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-cli-'));
});
afterAll(async () => {
  await app?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

let files = 0;
/** A file of the test's own; a counter keeps every file's bytes apart (no DUPLICATE_FILE by accident). */
function file(content: string, name = `file-${++files}.csv`): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}
const example = (adapter: string) => path.join(root, 'plugins', adapter, 'example.csv');
const learnersCsv = (prefix: string, count: number) =>
  `user_loginid;firstname\n${Array.from({ length: count }, (_, i) => `${prefix}${i};N${i}`).join('\n')}\n`;
const jsonOf = (result: CliResult) => JSON.parse(result.stdout);
const download = async (urlPath: string, lang = 'en') =>
  Buffer.from(await (await fetch(`${app.url}${urlPath}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'accept-language': lang } })).arrayBuffer());
/** The job id the command line announces on stderr once the import is queued. */
const QUEUED = /^Import (\d+) queued$/m;

/** Lesson statistics: two records for known learners and items, one for a learner nobody knows. */
const lessonsWithBadRow = [
  'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status',
  'demo;Comics;{1B38F003-16A9-4432-AB};L;C;2013/04/01;75;600;',
  'nobody;Comics;{1B38F003-16A9-4432-AB};L;C;2013/04/01;75;600;',
  'jbell;Comics;{1B38F003-16A9-4432-AB};L;P;2013/04/02;80;700;',
].join('\n');

describe('import --wait', () => {
  test('a clean file: exit 0, the counters, and --json prints the final job', async () => {
    const learners = await runCli(['import', example('learners'), '--adapter', 'learners', '--wait', '--json'], env);
    expect(learners.stderr).toMatch(/^Uploaded example\.csv: utf-8, separator ";", with a header$/m);
    expect(learners.stderr).toMatch(/^Import \d+ succeeded$/m);
    expect(learners.code).toBe(0);
    const job = jsonOf(learners);
    expect(job).toMatchObject({ adapter: 'learners', status: 'SUCCEEDED', outcome: 'CLEAN', dryRun: false, progress: 1 });
    expect(job.counts).toEqual({ processed: 3, rejected: 0, added: 3, updated: 0, unchanged: 0, errors: 0, warnings: 0 });
    expect(job.file).toMatchObject({ fileName: 'example.csv', hasHeader: true, delimiter: ';' });

    const catalog = await runCli(['import', example('catalog'), '-a', 'catalog', '-w'], env);
    expect(catalog.code).toBe(0);
    expect(catalog.stdout).toMatch(/^Import \d+\n/);
    expect(catalog.stdout).toMatch(/^ {2}Status +SUCCEEDED$/m);
    expect(catalog.stdout).toMatch(/^ {2}Records processed +10$/m);
    expect(catalog.stdout).toMatch(/^ {2}Records rejected +0$/m);
    expect(catalog.stdout).toMatch(/^ {2}Added +\d+$/m);

    const lessons = await runCli(['import', example('lesson-stats'), '--adapter', 'lesson-stats', '--enroll', '--wait'], env);
    expect(lessons.stderr).toMatch(/separator "\\t"/);
    expect(lessons.code).toBe(0);
    expect(lessons.stdout).toMatch(/^ {2}Added +3$/m);
  });

  test('a file with rejected records: exit 2, and `rejects ID` prints the rejects download byte for byte', async () => {
    const result = await runCli(['import', file(lessonsWithBadRow), '--adapter', 'lesson-stats', '--enroll', '--wait'], env);
    expect(result.code).toBe(2);
    const id = QUEUED.exec(result.stderr)![1];
    expect(result.stdout).toMatch(/^ {2}Records processed +3$/m);
    expect(result.stdout).toMatch(/^ {2}Records rejected +1$/m);
    expect(result.stdout).toMatch(/^ {2}Outcome +WITH_REJECTS$/m);
    expect(result.stderr).toContain(`1 record(s) rejected: lms-import rejects ${id} > rejects.csv (why: lms-import log ${id})`);

    const rejects = await runCli(['rejects', id], env);
    expect(rejects.code).toBe(0);
    const expected = await download(`/imports/${id}/rejects.csv`);
    expect(expected.toString()).toContain('nobody;Comics');
    expect(rejects.stdoutBytes.equals(expected)).toBe(true);

    const log = await runCli(['log', id], env);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('UNKNOWN_LEARNER');
    expect(log.stdoutBytes.equals(await download(`/imports/${id}/log.txt`))).toBe(true);
    // In French when the locale is: the service answers in the Accept-Language the CLI sends.
    const french = await runCli(['log', id], { ...env, LANG: 'fr_FR.UTF-8' });
    expect(french.stdoutBytes.equals(await download(`/imports/${id}/log.txt`, 'fr'))).toBe(true);
    expect(french.stdout).not.toBe(log.stdout);

    const details = await runCli(['job', id], env);
    expect(details.code).toBe(0);
    expect(details.stdout).toMatch(/^Issues \(1 of 1\):\n {2}error \(line 3, user_loginid\): UNKNOWN_LEARNER: /m);
    const json = jsonOf(await runCli(['job', id, '--json'], env));
    expect(json).toMatchObject({ id, status: 'SUCCEEDED', outcome: 'WITH_REJECTS', counts: { rejected: 1 }, issues: { totalCount: 1 } });
    expect(json.issues.edges[0].node).toMatchObject({ line: 3, code: 'UNKNOWN_LEARNER', severity: 'ERROR' });
  });

  test('a job that fails: exit 1 with its failure', async () => {
    const result = await runCli(['import', file(learnersCsv('f', 3)), '--adapter', 'failing-learners', '--wait', '--json'], env);
    expect(result.code).toBe(1);
    const id = QUEUED.exec(result.stderr)![1];
    expect(result.stderr).toContain(`Import ${id} failed: Unexpected error: the database stays locked`);
    expect(jsonOf(result)).toMatchObject({ id, status: 'FAILED', failure: 'Unexpected error: the database stays locked' });
  });

  test('plain progress lines when stderr is not a terminal: each status and each new tenth, up to 100%', async () => {
    // Progress is the part of the file read: a file of several read chunks (1 MB), in 100 batches.
    const long = 'x'.repeat(100);
    const csv = `user_loginid;firstname;lastname\n${Array.from({ length: 5000 }, (_, i) => `p${i};${long};${long}`).join('\n')}\n`;
    batchDelayMs = 10;
    const result = await runCli(['import', file(csv), '--adapter', 'slow-learners', '--wait'], env).finally(() => (batchDelayMs = 100));
    expect(result.code).toBe(0);
    const id = QUEUED.exec(result.stderr)![1];
    const lines = [...result.stderr.matchAll(new RegExp(`^Job ${id}: (\\w+) (\\d+)% \\((\\d+) records processed, (\\d+) rejected\\)$`, 'gm'))];
    const percents = lines.map((line) => Number(line[2]));
    expect(percents.length).toBeGreaterThanOrEqual(4);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)!.slice(1)).toEqual(['SUCCEEDED', '100', '5000', '0']);
    // One line a tenth at most while running.
    const running = lines.filter((line) => line[1] === 'RUNNING').map((line) => Math.floor(Number(line[2]) / 10));
    expect(new Set(running).size).toBe(running.length);
    expect(result.stderr).not.toContain('\r');
  });

  test('a progress bar, redrawn in place, when stderr is a terminal', async () => {
    const command = [process.execPath, '-r', '@swc-node/register', 'src/cli/main.ts', 'import', file(learnersCsv('t', 400)), '--adapter', 'slow-learners', '--wait']
      .map((arg) => `'${arg}'`)
      .join(' ');
    // script(1) gives the command a pseudo-terminal (stdout and stderr); -e returns its exit code.
    const run = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: root, env: { ...process.env, ...env, LANG: 'en_US.UTF-8' } });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (status) => resolve({ status, output }));
    });
    const { output } = run;
    expect(run.status).toBe(0);
    expect(output).toMatch(/\d+ RUNNING +█*░+ +\d+% {2}\d+ records, 0 rejected/);
    expect(output).toMatch(/\d+ SUCCEEDED █{30} 100% {2}400 records, 0 rejected/);
    expect(output).toMatch(/\x1b\[1G\d+ SUCCEEDED/); // drawn over itself, from the line's start
    expect(output).not.toMatch(/^Job \d+: RUNNING/m);
  });

  test('a job cancelled while it is followed: `cancel ID` exits 0, the waiting command 1', async () => {
    const waiting = startCli(['import', file(learnersCsv('c', 4000)), '--adapter', 'slow-learners', '--wait'], env);
    const id = (await waiting.stderrMatches(QUEUED))[1];
    await waiting.stderrMatches(new RegExp(`^Job ${id}: RUNNING [1-9]`, 'm'));
    const cancel = await runCli(['cancel', id, '--json'], env);
    expect(cancel.stderr).toContain(`Job ${id} cancelled`);
    expect(cancel.code).toBe(0);
    expect(jsonOf(cancel)).toMatchObject({ id, status: 'CANCELLED' });
    const result = await waiting.result;
    expect(result.stderr).toContain(`Import ${id} was cancelled`);
    expect(result.stdout).toMatch(/^ {2}Status +CANCELLED$/m);
    expect(result.code).toBe(1);

    const again = await runCli(['cancel', id], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`Job ${id} had already finished (CANCELLED): nothing to cancel`);
    expect((await runCli(['job', id, '--wait'], env)).code).toBe(1);
  });

  test('Ctrl-C while waiting: the job goes on on the server, and the message says how to follow or cancel it', async () => {
    const waiting = startCli(['import', file(learnersCsv('i', 2000)), '--adapter', 'slow-learners', '--wait'], env);
    const id = (await waiting.stderrMatches(QUEUED))[1];
    await waiting.stderrMatches(new RegExp(`^Job ${id}: RUNNING`, 'm'));
    waiting.child.kill('SIGINT');
    const result = await waiting.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(
      `Stopped waiting. Job ${id} keeps running on the server: follow it with lms-import job ${id} --wait, cancel it with lms-import cancel ${id}`,
    );
    const followed = await runCli(['job', id, '--wait', '--json'], env);
    expect(followed.code).toBe(0);
    expect(jsonOf(followed)).toMatchObject({ id, status: 'SUCCEEDED', counts: { processed: 2000, added: 2000 } });
  });
});

describe('import options', () => {
  test('without --wait: exit 0 once queued, the job as queued with --json', async () => {
    const result = await runCli(['import', file(learnersCsv('q', 2)), '--adapter', 'learners', '--json'], env);
    expect(result.code).toBe(0);
    const job = jsonOf(result);
    expect(['PENDING', 'RUNNING', 'SUCCEEDED']).toContain(job.status);
    const human = await runCli(['import', file(learnersCsv('h', 2)), '--adapter', 'learners'], env);
    const id = QUEUED.exec(human.stderr)![1];
    expect(human.stdout).toBe(`Follow it: lms-import job ${id} --wait\n`);
    expect((await app.waitForJob(id)).status).toBe('SUCCEEDED');
  });

  test('an import undone since: `job ID --wait` exits 1 saying so', async () => {
    const done = jsonOf(await runCli(['import', file(learnersCsv('undo', 3)), '-a', 'learners', '--wait', '--json'], env));
    const undo = await app.gql('mutation ($id: ID!) { undoImport(id: $id) { id } }', { id: done.id });
    expect(undo.errors).toBeUndefined();
    await app.waitForJob(undo.data.undoImport.id);
    const followed = await runCli(['job', done.id, '--wait'], env);
    expect(followed.code).toBe(1);
    expect(followed.stderr).toContain(`Import ${done.id} was undone`);
  });

  test('--dry-run writes nothing; --no-header, --on-existing and --option reach the job', async () => {
    const csv = file('nh1;First\nnh2;Second\n');
    const dry = jsonOf(await runCli(['import', csv, '-a', 'learners', '--no-header', '--dry-run', '--wait', '--json'], env));
    expect(dry).toMatchObject({ dryRun: true, status: 'SUCCEEDED', counts: { added: 2 }, file: { hasHeader: false } });
    const real = await runCli(['import', csv, '-a', 'learners', '--no-header', '--on-existing', 'reject', '--option', 'allowDuplicate=true', '--wait', '--json'], env);
    expect(real.code).toBe(0);
    expect(jsonOf(real)).toMatchObject({ dryRun: false, onExisting: 'REJECT', options: { allowDuplicate: true }, counts: { added: 2 }, file: { hasHeader: false, columns: expect.arrayContaining(['user_loginid']) } });
  });

  test('the same file again: exit 1 naming --allow-duplicate, which imports it', async () => {
    const csv = file(learnersCsv('d', 2));
    expect((await runCli(['import', csv, '-a', 'learners', '--wait'], env)).code).toBe(0);
    const refused = await runCli(['import', csv, '-a', 'learners', '--wait'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^lms-import: The same file was already imported with learners \(job \d+\).*\(DUPLICATE_FILE\)\nadd --allow-duplicate to import it again$/m);
    const again = await runCli(['import', csv, '-a', 'learners', '--allow-duplicate', '--wait', '--json'], env);
    expect(again.code).toBe(0);
    expect(jsonOf(again).counts).toMatchObject({ unchanged: 2, added: 0 });
  });

  test('a file the service refuses: exit 1 with its problems; a bad adapter option: exit 1 with the reason', async () => {
    const refused = await runCli(['import', file('crsvname;lsnvname\nX;Y\n'), '-a', 'lesson-stats', '--wait'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^lms-import: The file cannot be imported:\n {2}error.*: MISSING_COLUMN: /m);
    const option = await runCli(['import', file(learnersCsv('o', 1)), '-a', 'learners', '--option', 'nonsense=1'], env);
    expect(option.code).toBe(1);
    expect(option.stderr).toMatch(/^lms-import: .*nonsense.*\(BAD_USER_INPUT\)$/m);
    const adapter = await runCli(['import', file(learnersCsv('u', 1)), '-a', 'no-such-adapter'], env);
    expect(adapter.code).toBe(1);
    expect(adapter.stderr).toMatch(/^lms-import: Unknown adapter "no-such-adapter" \(known: .*learners.*\) \(UNKNOWN_ADAPTER\)$/m);
  });
});

describe('undo', () => {
  test('undo ID: --dry-run, REFUSE (exit 1), --conflicts skip (exit 2), without --wait (exit 0 once queued); refused and unknown jobs, a bad choice', async () => {
    const done = jsonOf(await runCli(['import', file(learnersCsv('clu', 3)), '-a', 'learners', '--wait', '--json'], env));
    // A later job changes clu0: a conflict for the undo.
    const later = jsonOf(await runCli(['import', file('user_loginid;firstname\nclu0;Later\n'), '-a', 'learners', '--wait', '--json'], env));
    expect(later.counts.updated).toBe(1);

    const dry = await runCli(['undo', done.id, '--dry-run', '--wait'], env);
    expect(dry.stderr).toMatch(/^Dry run of the undo (\d+) of import \d+ queued$/m);
    const dryId = /^Dry run of the undo (\d+)/m.exec(dry.stderr)![1];
    expect(dry.stdout).toContain('2 row(s) deleted, 0 given back their previous values, 1 conflict(s)');
    expect(dry.stderr).toContain(`1 conflict(s) left as they are (why: lms-import log ${dryId})`);
    expect(dry.code).toBe(2);

    const refused = await runCli(['undo', done.id, '--wait'], env);
    expect(refused.stderr).toMatch(/^Undo \d+ failed: .*1 conflict/m);
    expect(refused.stdout).toMatch(/error \(line 2\): UNDO_CHANGED: learners learner clu0 \(id \d+\): changed since by job \d+; left as it is/);
    expect(refused.code).toBe(1);

    const skipped = await runCli(['undo', done.id, '--conflicts', 'skip', '--wait', '--json'], env);
    expect(skipped.code).toBe(2);
    expect(jsonOf(skipped)).toMatchObject({ status: 'SUCCEEDED', dryRun: false, undoConflicts: 'SKIP', undoes: { id: done.id }, counts: { deleted: 2, restored: 0, conflicts: 1 } });

    const again = await runCli(['undo', done.id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Job ${done.id} cannot be undone: it was undone already`);
    const unknown = await runCli(['undo', '424242'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No import job with id 424242');
    const bad = await runCli(['undo', later.id, '--conflicts', 'sometimes'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('expected one of REFUSE, SKIP, FORCE');

    const queued = await runCli(['undo', later.id], env);
    expect(queued.code).toBe(0);
    const undoId = /^Undo (\d+) of import \d+ queued$/m.exec(queued.stderr)![1];
    expect(queued.stdout).toBe(`Follow it: lms-import job ${undoId} --wait\n`);
    expect((await app.waitForJob(undoId)).status).toBe('SUCCEEDED');
  });
});

describe('jobs and job', () => {
  test('jobs: a table, newest first; --json with the filters and the page', async () => {
    const table = await runCli(['jobs', '--limit', '100'], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ *ID {2}ADAPTER +STATUS +OUTCOME +PROCESSED {2}REJECTED {2}ADDED {2}UPDATED {2}CREATED +FILE$/);
    const ids = lines.slice(1).map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(ids.length).toBeGreaterThan(5);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(table.stdout).toMatch(/^ *\d+ {2}lesson-stats +SUCCEEDED +WITH_REJECTS +3 +1 +2 +0 {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}file-\d+\.csv$/m);
    expect(table.stderr).toMatch(new RegExp(`^${ids.length} of ${ids.length} jobs\n$`));

    const first = jsonOf(await runCli(['jobs', '--json', '--adapter', 'learners', '--status', 'succeeded', '--limit', '2'], env));
    expect(first.jobs).toHaveLength(2);
    expect(first.totalCount).toBeGreaterThan(2);
    expect(first.hasNextPage).toBe(true);
    for (const job of first.jobs) expect(job).toMatchObject({ adapter: 'learners', status: 'SUCCEEDED' });
    const next = jsonOf(await runCli(['jobs', '--json', '--adapter', 'learners', '--status', 'SUCCEEDED', '--limit', '2', '--after', first.endCursor], env));
    expect(Number(next.jobs[0].id)).toBeLessThan(Number(first.jobs[1].id));

    const none = await runCli(['jobs', '--adapter', 'catalog', '--status', 'FAILED'], env);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('No import jobs\n');
  });

  test('an unknown job: exit 1 for job, log, rejects and cancel', async () => {
    for (const command of ['job', 'log', 'rejects', 'cancel']) {
      const result = await runCli([command, '999999'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^lms-import: No import job with id 999999/m);
      expect(result.stdout).toBe('');
    }
  });
});

describe('errors', () => {
  test.each([
    [[], /^Usage: lms-import \[options\] \[command\]/m],
    [['import', '-a', 'learners'], /^error: missing required argument 'file'\n[^]*Usage: lms-import import \[options\] <file>/m],
    [['import', 'x.csv'], /^error: required option '-a, --adapter <name>' not specified/m],
    [['import', 'x.csv', '-a', 'learners', '--on-existing', 'MAYBE'], /^error: option '--on-existing <choice>' argument 'MAYBE' is invalid\. expected one of NEW_SESSION, REJECT, UPDATE/m],
    [['import', 'x.csv', '-a', 'learners', '--option', 'novalue'], /^error: option '-o, --option <key=value>' argument 'novalue' is invalid\. expected key=value/m],
    [['jobs', '--limit', '0'], /^error: option '-n, --limit <count>' argument '0' is invalid\. expected a whole number from 1 to 500/m],
    [['frobnicate'], /^error: unknown command 'frobnicate'/m],
    [['job'], /^error: missing required argument 'id'/m],
  ])('usage %j: exit 1 with the message and the usage', async (args, message) => {
    const result = await runCli(args, env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: lms-import/);
    expect(result.stdout).toBe('');
  });

  test('--help and --version: exit 0', async () => {
    const help = await runCli(['import', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--on-existing <choice>/);
    const version = await runCli(['--version'], {});
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  test('a file that cannot be read: exit 1 naming it, nothing sent', async () => {
    const result = await runCli(['import', path.join(dir, 'missing.csv'), '-a', 'learners'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^lms-import: Cannot read .*missing\.csv: ENOENT/m);
    const directory = await runCli(['import', dir, '-a', 'learners'], env);
    expect(directory.stderr).toMatch(/is not a file$/m);
    expect(directory.code).toBe(1);
  });

  test('no token, a wrong token, a token whose role is too low: exit 1 saying which', async () => {
    const missing = await runCli(['jobs'], { LMS_IMPORT_URL: app.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('lms-import: No token: pass --token or set LMS_IMPORT_TOKEN\n');
    const wrong = await runCli(['jobs', '--token', 'not-a-token'], { LMS_IMPORT_URL: app.url });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(`lms-import: The token was refused by ${app.url} (UNAUTHENTICATED): check --token or LMS_IMPORT_TOKEN\n`);
    for (const command of [['log', '1'], ['import', example('learners'), '-a', 'learners']]) {
      const refused = await runCli(command, { ...env, LMS_IMPORT_TOKEN: 'not-a-token' });
      expect(refused.stderr).toContain('The token was refused');
      expect(refused.code).toBe(1);
    }
    const french = await runCli(['jobs'], { ...env, LMS_IMPORT_TOKEN: 'not-a-token', LANG: 'fr_FR.UTF-8' });
    expect(french.stderr).toBe(`lms-import: Le jeton a été refusé par ${app.url} (UNAUTHENTICATED) : vérifiez --token ou LMS_IMPORT_TOKEN\n`);

    const created = await app.gql(`mutation { createToken(name: "cli viewer", role: VIEWER) { token } }`);
    const viewer = created.data.createToken.token;
    const upload = await runCli(['import', file(learnersCsv('v', 1)), '-a', 'learners'], { ...env, LMS_IMPORT_TOKEN: viewer });
    expect(upload.code).toBe(1);
    expect(upload.stderr).toMatch(/^lms-import: This token's role may not do that: .* \(FORBIDDEN\)$/m);
    expect((await runCli(['jobs', '--json'], { ...env, LMS_IMPORT_TOKEN: viewer })).code).toBe(0);
  });

  test('an unreachable service or a URL that is not one: exit 1 naming the URL', async () => {
    // A port that was just free: nothing listens there.
    const http = await import('node:http');
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = await runCli(['jobs'], { ...env, LMS_IMPORT_URL: url });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toBe(`lms-import: Cannot reach the service at ${url}: connect ECONNREFUSED ${url.slice('http://'.length)}\n`);
    const upload = await runCli(['import', example('learners'), '-a', 'learners', '--url', `${url}/graphql`], env);
    expect(upload.stderr).toBe(`lms-import: Cannot reach the service at ${url}: connect ECONNREFUSED ${url.slice('http://'.length)}\n`);
    expect(upload.code).toBe(1);
    const notUrl = await runCli(['jobs', '--url', 'ftp://example.com'], env);
    expect(notUrl.code).toBe(1);
    expect(notUrl.stderr).toBe('lms-import: Not an http(s) URL: ftp://example.com (--url or LMS_IMPORT_URL)\n');
  });

  test('a service that does not answer in time: exit 1 after --timeout', async () => {
    const http = await import('node:http');
    const silent = http.createServer(() => {}); // takes the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const started = Date.now();
      const result = await runCli(['jobs', '--timeout', '1'], { ...env, LMS_IMPORT_URL: url });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`lms-import: No answer from ${url} within 1 s (--timeout)\n`);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
