import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PORT, SLOW_PORT } from './playwright.config';
import { ADMIN_TOKEN, api } from './helpers';

const root = path.resolve(__dirname, '..');

interface Service {
  stop(): Promise<void>;
}

/**
 * Starts the real service (the built dist/, as `npm start` runs it) on a fresh SQLite database in
 * a temporary DATA_DIR, and loads the reference data the statistics need through the public API:
 * the learners, catalog and Blackboard enrollment example files.
 */
async function startService(port: number, env: Record<string, string> = {}): Promise<Service> {
  const entry = path.join(root, 'dist/src/index.js');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-ui-'));
  const server = spawn(process.execPath, [entry], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${path.join(dataDir, 'ui.sqlite')}`,
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      // Small batches, each committed and announced: progress moves step by step.
      BATCH_SIZE: '200',
      GROUP_COMMIT_MS: '0',
      PROGRESS_INTERVAL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  const stop = async () => {
    if (server.exitCode === null) server.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`the service exited (${server.exitCode}) before answering on ${base}`);
      if (i > 300) throw new Error(`the service did not answer on ${base}/healthz`);
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* not yet listening */
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const adapter of ['learners', 'catalog', 'blackboard-enrollment']) {
      const csv = fs.readFileSync(path.join(root, 'plugins', adapter, 'example.csv'));
      const job = await api.importFile(base, adapter, csv, `${adapter}.csv`);
      if (job.status !== 'SUCCEEDED' || job.counts.rejected !== 0) throw new Error(`seeding ${adapter} failed: ${JSON.stringify(job)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/**
 * Two services: the one every test uses (PORT), and one with lesson statistics paced (SLOW_PORT),
 * for the reload in the middle of an import.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(root, 'dist/src/index.js')) || !fs.existsSync(path.join(root, 'dist/web/index.html'))) {
    throw new Error('Build first: npm run build (the UI tests run against dist/ and dist/web/)');
  }
  const services = await Promise.all([
    startService(PORT),
    startService(SLOW_PORT, { LMS_IMPORT_PLUGINS: path.join(__dirname, 'slow-lesson-stats-plugin.js') }),
  ]);
  return async () => {
    await Promise.all(services.map((service) => service.stop()));
  };
}
