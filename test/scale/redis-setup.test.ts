import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';
import { startServer } from '../../src/server';
import { ADMIN_TOKEN, build, type TestApp } from '../helpers/build';

// How a process starts with Redis (REDIS_URL, PROCESS_ROLE) and what it tells operators.
const redisUrl = process.env.TEST_REDIS_URL;
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

test('a role other than "all" needs REDIS_URL; a REDIS_URL must be a redis:// URL', () => {
  expect(() => loadConfig({ PROCESS_ROLE: 'worker' })).toThrow(/PROCESS_ROLE: "worker" needs REDIS_URL/);
  expect(() => loadConfig({ PROCESS_ROLE: 'boss', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(ConfigError);
  expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL: expected redis:\/\/host:port/);
  expect(loadConfig({ PROCESS_ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:6379', WORKER_CONCURRENCY: '3' })).toMatchObject({ PROCESS_ROLE: 'api', WORKER_CONCURRENCY: 3 });
});

/** The service's start on a fresh data directory, with `env`; what it threw. */
async function startError(env: Record<string, string>): Promise<Error> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-redis-setup-'));
  try {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
    const server = await startServer(config);
    await server.close();
    throw new Error('the service started');
  } catch (error) {
    return error as Error;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

test('an unreachable Redis stops the start with a message naming REDIS_URL (password masked)', async () => {
  const error = await startError({ REDIS_URL: 'redis://user:secret@127.0.0.1:1' });
  expect(error.message).toMatch(/^REDIS_URL: cannot reach redis:\/\/user:\*\*\*@127\.0\.0\.1:1: /);
});

(hasRedisServer ? test : test.skip)('a Redis that may evict keys (maxmemory-policy other than noeviction) is refused', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await startError({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(error.message).toMatch(/has maxmemory-policy allkeys-lru; a queue needs noeviction/);
  } finally {
    server.kill('SIGKILL');
  }
});

(redisUrl ? describe : describe.skip)('a process on the queue', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await build({ REDIS_URL: redisUrl!, QUEUE_PREFIX: `lms-test-${process.pid}-setup` });
  });
  afterAll(() => app?.close());

  test('/healthz reports the database and Redis; /metrics (a viewer token) shows jobs, the queue, records and batch commits', async () => {
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', role: 'all', database: 'ok', redis: 'ok' });

    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    const job = await app.importFile('learners', 'user_loginid\nm1\nm2\nm3\n');
    expect(job.status).toBe('SUCCEEDED');
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(metrics).toMatch(/^lms_import_jobs\{status="SUCCEEDED",role="all"\} 1$/m);
    expect(metrics).toMatch(/^lms_import_queue_jobs\{state="waiting",role="all"\} 0$/m);
    expect(metrics).toMatch(/^lms_import_records_total\{role="all"\} 3$/m);
    expect(metrics).toMatch(/^lms_import_batch_commit_seconds_count\{role="all"\} 1$/m);
    expect(metrics).toMatch(/^lms_import_stalled_jobs_total\{role="all"\} 0$/m);
  });
});

test('without Redis: /healthz says so, /metrics counts the in-process queue', async () => {
  const app = await build();
  try {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'ok' });
    const metrics = await (await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(metrics).toMatch(/^lms_import_queue_jobs\{state="active",role="all"\} 0$/m);
  } finally {
    await app.close();
  }
});
