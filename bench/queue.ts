import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import mysqlPromise from 'mysql2/promise';
import type { DatasetFiles, Shape } from './dataset';
import type { BenchOptions } from './options';
import { processStats, Service, serviceNodeFlags, type JobResult } from './service';
import { databaseServerPid } from './side';

/**
 * `npm run bench -- --redis --workers 1,2`: the same lesson-stats import on MariaDB through the
 * in-process queue (one process, as `npm start`), then through BullMQ on Redis with an API
 * process and N worker processes — split across them when the file reaches
 * PARTITION_MIN_RECORDS (the benchmark sets it to the file's records, unless the environment
 * does). Wall time from runImport to the final status, and the CPU of every process.
 */

export interface QueueResult {
  mode: string;
  workers: number;
  parts: number;
  runSeconds: number;
  rowsPerSecond: number;
  /** CPU seconds of the service processes (API and workers) and of the database server during the run. */
  serviceCpuSeconds: number;
  databaseCpuSeconds: number | null;
  loadAverage: number[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One deployment on a fresh database: `workers` 0 is one process with the in-process queue. */
async function measure(shape: Shape, files: DatasetFiles, workDir: string, options: BenchOptions, redisUrl: string, workers: number, split: boolean): Promise<QueueResult> {
  const name = `queue-${workers}-${randomBytes(3).toString('hex')}`;
  const dataDir = path.join(workDir, name);
  const dbName = `lms_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${options.mysqlUrl}/${dbName}`;
  const prefix = `lms-bench-${randomBytes(4).toString('hex')}`;
  const nodeArgs = serviceNodeFlags();
  const env: Record<string, string> =
    workers === 0
      ? {}
      : { REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, PARTITION_MIN_RECORDS: process.env.PARTITION_MIN_RECORDS ?? String(shape.rows), ...(split ? {} : { PARTITIONS: '1' }) };
  const services: Service[] = [];
  try {
    const api = await Service.start({ dataDir, databaseUrl, nodeArgs, env: { ...env, PROCESS_ROLE: workers === 0 ? 'all' : 'api' } });
    services.push(api);
    for (let i = 0; i < workers; i++) services.push(await Service.start({ dataDir, databaseUrl, nodeArgs, env: { ...env, PROCESS_ROLE: 'worker' } }));
    for (const [adapter, file] of [['learners', files.learners], ['catalog', files.catalog]] as const) {
      const job = await api.runImport({ fileId: await api.upload(adapter, file) });
      if (job.status !== 'SUCCEEDED') throw new Error(`${adapter}: ${job.status} ${job.failure ?? ''}`);
    }
    const fileId = await api.upload('lesson-stats', files.lessonStats);
    const dbPid = databaseServerPid();
    const cpu = () => services.reduce((sum, service) => sum + processStats(service.pid).cpuSeconds, 0);
    const cpuBefore = cpu();
    const dbCpuBefore = dbPid ? processStats(dbPid).cpuSeconds : 0;
    const started = performance.now();
    const job: JobResult = await api.runImport({ fileId, enrollIfNeeded: true });
    const runSeconds = (performance.now() - started) / 1000;
    const serviceCpuSeconds = cpu() - cpuBefore;
    const databaseCpuSeconds = dbPid ? processStats(dbPid).cpuSeconds - dbCpuBefore : null;
    if (job.status !== 'SUCCEEDED' || job.counts.added !== shape.rows) throw new Error(`import: ${job.status} ${job.failure ?? ''} ${JSON.stringify(job.counts)}`);
    const { importJob } = await api.gql<{ importJob: { partitions: number } }>('query ($id: ID!) { importJob(id: $id) { partitions } }', { id: job.id });
    return {
      mode: workers === 0 ? 'in-process (npm start)' : `BullMQ, ${workers} worker${workers > 1 ? 's' : ''}, ${split ? 'split' : 'one stream'}`,
      workers,
      parts: importJob.partitions,
      runSeconds: round(runSeconds),
      rowsPerSecond: Math.round(shape.rows / runSeconds),
      serviceCpuSeconds: round(serviceCpuSeconds, 1),
      databaseCpuSeconds: databaseCpuSeconds === null ? null : round(databaseCpuSeconds, 1),
      loadAverage: os.loadavg().map((load) => round(load)),
    };
  } catch (error) {
    for (const service of services) process.stderr.write(`${service.diagnosis()}\n`);
    throw error;
  } finally {
    for (const service of services.reverse()) await service.stop();
    const connection = await mysqlPromise.createConnection({ uri: options.mysqlUrl });
    await connection.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await connection.end();
    if (workers > 0) {
      const redis = new IORedis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    if (!options.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function queueTable(results: QueueResult[], rows: number): string {
  const header = ['queue', 'parts', 'run s', 'rows/s', 'service CPU s', 'MariaDB CPU s', 'load average'];
  const lines = results.map((r) => [
    r.mode,
    r.parts === 0 ? '-' : String(r.parts),
    r.runSeconds.toFixed(2),
    r.rowsPerSecond.toLocaleString('en'),
    r.serviceCpuSeconds.toFixed(1),
    r.databaseCpuSeconds === null ? '-' : r.databaseCpuSeconds.toFixed(1),
    r.loadAverage.join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [
    `${rows.toLocaleString('en')} lesson statistics on MariaDB, runImport to the final status:`,
    format(header),
    `|${widths.map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`,
    ...lines.map(format),
  ].join('\n');
}

/** In-process first, then each worker count read in one stream and split, one after the other on fresh databases. */
export async function measureQueues(shape: Shape, files: DatasetFiles, workDir: string, options: BenchOptions): Promise<QueueResult[]> {
  const results: QueueResult[] = [];
  const runs = [{ workers: 0, split: false }, ...options.workers.flatMap((workers) => [{ workers, split: false }, { workers, split: true }])];
  for (const { workers, split } of runs) {
    process.stderr.write(`  ${workers === 0 ? 'in-process queue' : `BullMQ, ${workers} worker(s), ${split ? 'split' : 'one stream'}`}...\n`);
    const result = await measure(shape, files, workDir, options, options.redisUrl, workers, split);
    process.stderr.write(`  ${result.mode}: ${result.runSeconds} s${result.parts ? `, ${result.parts} parts` : ''}\n`);
    results.push(result);
  }
  return results;
}
