import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysqlPromise from 'mysql2/promise';
import type { DatasetFiles, Shape } from './dataset';
import { mysqlFloor, sqliteFloor } from './floor';
import { LABELS, type BenchOptions, type Db } from './options';
import { processStats, resetPeak, Service, serviceNodeFlags, type JobResult } from './service';

/** What one database's run measured. */
export interface SideResult {
  /** 1, 5 and 15-minute load averages at the end: other work on the machine skews the figures. */
  loadAverage: number[];
  rows: number;
  floorSeconds: number;
  /** Upload (with its check step) plus the run, until the final status arrived. */
  importSeconds: number;
  uploadSeconds: number;
  runSeconds: number;
  ratio: number;
  rowsPerSecond: number;
  /** The service's peak RSS over its whole life (reference data, upload, dry run, import). */
  peakRssMb: number;
  /** Peak RSS per phase (reset between phases), when the kernel allows the reset. */
  phasePeakRssMb: Record<string, number>;
  /** CPU seconds of the service during the import run, and of the database server (MariaDB). */
  serviceCpuSeconds: number;
  databaseCpuSeconds: number | null;
  dryRunSeconds: number | null;
  dryRunRowsPerSecond: number | null;
  counts: JobResult['counts'];
  enrollments: number;
  /** With --phases: wall time and calls of the pipeline's steps, by job kind. */
  phases?: Record<string, Record<string, { ms: number; calls: number }>>;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const seconds = (since: number) => (performance.now() - since) / 1000;

/** Today in this machine's time zone, as the service computes the import's date. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The MariaDB/MySQL server process, found by name, for its CPU time; null when not local. */
export function databaseServerPid(): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (['mariadbd', 'mysqld'].includes(fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) return Number(entry);
    } catch {
      // a process that ended meanwhile
    }
  }
  return null;
}

/** Counts rows of a table in the service's database, checked after the import. */
async function countRows(db: Db, databaseUrl: string, table: string): Promise<number> {
  if (db === 'sqlite') {
    const file = databaseUrl.replace(/^sqlite:/, '');
    const connection = new Database(file, { readonly: true });
    try {
      return (connection.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    } finally {
      connection.close();
    }
  }
  const connection = await mysqlPromise.createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number((rows as Array<{ n: number }>)[0].n);
  } finally {
    await connection.end();
  }
}

function progressPrinter(label: string) {
  let last = 0;
  return (job: { progress: number; counts: { processed: number } }) => {
    const now = Date.now();
    if (now - last < 5000) return;
    last = now;
    process.stderr.write(`  ${label}: ${Math.round(job.progress * 100)}%, ${job.counts.processed} records\n`);
  };
}

function expectSucceeded(what: string, job: JobResult, rows: number): void {
  if (job.status !== 'SUCCEEDED') throw new Error(`${what}: ${job.status} ${job.failure ?? ''}`);
  if (job.counts.processed !== rows || job.counts.rejected !== 0) throw new Error(`${what}: unexpected counts ${JSON.stringify(job.counts)}`);
}

/**
 * One database: a fresh service (child process) on a fresh data directory and database; the
 * reference data through the service; the floor; the lesson-stats upload; a dry run; the import.
 */
export async function measureSide(
  db: Db,
  shape: Shape,
  files: DatasetFiles,
  workDir: string,
  options: BenchOptions,
  cleanups: Array<() => Promise<void>>,
): Promise<SideResult | null> {
  const dataDir = path.join(workDir, db);
  const dbName = `lms_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = db === 'mysql' ? `${options.mysqlUrl}/${dbName}` : `sqlite:${path.join(dataDir, 'lms-import.sqlite')}`;
  const dropDatabase = async () => {
    if (db !== 'mysql') return;
    const connection = await mysqlPromise.createConnection({ uri: options.mysqlUrl });
    await connection.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await connection.end();
  };
  const nodeArgs = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProf)}`, `--cpu-prof-name=service-${db}-${options.rows}.cpuprofile`] : [];
  const phasesFile = path.join(workDir, `${db}-phases.json`);
  if (options.phases) nodeArgs.push('--expose-gc', '--require', path.join(__dirname, 'phase-timer.js'));
  nodeArgs.push(...serviceNodeFlags(), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []));
  const service = await Service.start({ dataDir, databaseUrl, nodeArgs, env: options.phases ? { BENCH_PHASES_FILE: phasesFile } : {} });
  const stop = async () => {
    await service.stop();
    await dropDatabase();
  };
  cleanups.push(stop);
  const peaks: Record<string, number> = {};
  let resettable = resetPeak(service.pid);
  const endPhase = (name: string) => {
    peaks[name] = round(processStats(service.pid).hwmMb, 1);
    resettable = resetPeak(service.pid) && resettable;
  };
  try {
    endPhase('start');
    for (const [adapter, file, rows] of [
      ['learners', files.learners, shape.learners],
      ['catalog', files.catalog, shape.courses * (shape.itemsPerCourse + 1)],
    ] as const) {
      const job = await service.runImport({ fileId: await service.upload(adapter, file) });
      expectSucceeded(adapter, job, rows);
    }
    endPhase('reference');

    const importDate = today();
    let floorSeconds = 0;
    if (!options.dryRunOnly) {
      process.stderr.write(`  ${db}: floor...\n`);
      floorSeconds =
        db === 'mysql'
          ? await mysqlFloor(databaseUrl, shape, path.join(workDir, 'resolved.tsv'), importDate)
          : sqliteFloor(databaseUrl.replace(/^sqlite:/, ''), path.join(workDir, 'floor.sqlite'), shape, importDate);
      process.stderr.write(`  ${db}: floor ${round(floorSeconds)} s\n`);
    }

    resetPeak(service.pid);
    let started = performance.now();
    const fileId = await service.upload('lesson-stats', files.lessonStats);
    const uploadSeconds = seconds(started);
    endPhase('upload');

    let dryRunSeconds: number | null = null;
    if (options.dryRun) {
      started = performance.now();
      const dry = await service.runImport({ fileId, dryRun: true, enrollIfNeeded: true }, progressPrinter(`${db} dry run`));
      dryRunSeconds = seconds(started);
      expectSucceeded('dry run', dry, shape.rows);
      endPhase('dryRun');
      process.stderr.write(`  ${db}: dry run ${round(dryRunSeconds)} s\n`);
      if (options.dryRunOnly) {
        const rssMb = peaks.dryRun;
        console.log(`${LABELS[db]}: dry run of ${shape.rows.toLocaleString('en')} rows ${round(dryRunSeconds)} s, ${Math.round(shape.rows / dryRunSeconds).toLocaleString('en')} rows/s, peak RSS ${rssMb.toFixed(0)} MB (--dry-run-only: no floor, no import)`);
        return null;
      }
    }

    const dbPid = db === 'mysql' ? databaseServerPid() : null;
    const cpuBefore = processStats(service.pid).cpuSeconds;
    const dbCpuBefore = dbPid ? processStats(dbPid).cpuSeconds : 0;
    started = performance.now();
    const job = await service.runImport({ fileId, enrollIfNeeded: true }, progressPrinter(`${db} import`));
    const runSeconds = seconds(started);
    const serviceCpuSeconds = processStats(service.pid).cpuSeconds - cpuBefore;
    const databaseCpuSeconds = dbPid ? processStats(dbPid).cpuSeconds - dbCpuBefore : null;
    expectSucceeded('import', job, shape.rows);
    endPhase('import');
    if (job.counts.added !== shape.rows) throw new Error(`import: ${job.counts.added} rows added of ${shape.rows}`);
    const stored = await countRows(db, databaseUrl, 'lesson_statistics');
    if (stored !== shape.rows) throw new Error(`import: lesson_statistics holds ${stored} rows, expected ${shape.rows}`);
    const enrollments = await countRows(db, databaseUrl, 'enrollments');
    await service.stop(); // the phase timings are written as the service exits
    const phases = options.phases ? JSON.parse(fs.readFileSync(phasesFile, 'utf8')) : undefined;

    const importSeconds = uploadSeconds + runSeconds;
    const phasePeakRssMb = resettable ? peaks : { lifetime: peaks.import };
    return {
      loadAverage: os.loadavg().map((load) => round(load)),
      rows: shape.rows,
      floorSeconds: round(floorSeconds, 3),
      importSeconds: round(importSeconds),
      uploadSeconds: round(uploadSeconds),
      runSeconds: round(runSeconds),
      ratio: round(importSeconds / floorSeconds, 1),
      rowsPerSecond: Math.round(shape.rows / importSeconds),
      peakRssMb: Math.max(...Object.values(peaks)),
      phasePeakRssMb,
      serviceCpuSeconds: round(serviceCpuSeconds, 1),
      databaseCpuSeconds: databaseCpuSeconds === null ? null : round(databaseCpuSeconds, 1),
      dryRunSeconds: dryRunSeconds === null ? null : round(dryRunSeconds),
      dryRunRowsPerSecond: dryRunSeconds === null ? null : Math.round(shape.rows / dryRunSeconds),
      counts: job.counts,
      enrollments,
      phases,
    };
  } catch (error) {
    process.stderr.write(`${db}: ${(error as Error).message}\n${service.diagnosis()}\n`);
    throw error;
  } finally {
    cleanups.splice(cleanups.indexOf(stop), 1);
    await stop();
    if (!options.keep) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
