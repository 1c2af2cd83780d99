import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shapeFor, writeDataset, writeLessonStatsXlsx } from './dataset';
import { LABELS, parseOptions, type Db } from './options';
import { measureQueues, queueTable } from './queue';
import { measureSide, type SideResult } from './side';

/**
 * `npm run bench`: imports N generated lesson statistics through the running service (child
 * process, HTTP upload, runImport, graphql-ws subscription) and compares the time with what the
 * database needs to load the same rows by itself. See BENCHMARKS.md for the figures.
 */

function table(results: Partial<Record<Db, SideResult>>): string {
  const header = ['database', 'rows', 'floor s', 'import s', '(upload + run)', 'ratio', 'rows/s', 'peak RSS MB', 'dry run s', 'dry run rows/s'];
  const lines = Object.entries(results).map(([db, r]) => [
    LABELS[db as Db],
    r.rows.toLocaleString('en'),
    r.floorSeconds.toFixed(2),
    r.importSeconds.toFixed(2),
    `(${r.uploadSeconds.toFixed(1)} + ${r.runSeconds.toFixed(1)})`,
    `${r.ratio.toFixed(1)}×`,
    r.rowsPerSecond.toLocaleString('en'),
    r.peakRssMb.toFixed(0),
    r.dryRunSeconds === null ? '-' : r.dryRunSeconds.toFixed(2),
    r.dryRunRowsPerSecond === null ? '-' : r.dryRunRowsPerSecond.toLocaleString('en'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  return [format(header), `|${widths.map((w, i) => (i === 0 ? '-' : '') + '-'.repeat(w + 1) + (i === 0 ? '' : ':')).join('|')}|`, ...lines.map(format)].join('\n');
}

function details(results: Partial<Record<Db, SideResult>>): string {
  return Object.entries(results)
    .map(([db, r]) => {
      const phases = Object.entries(r.phasePeakRssMb).map(([phase, mb]) => `${phase} ${mb.toFixed(0)}`).join(', ');
      const cpu = `service CPU ${r.serviceCpuSeconds} s${r.databaseCpuSeconds === null ? '' : `, database server CPU ${r.databaseCpuSeconds} s`} during the ${r.runSeconds} s run`;
      const counts = `added ${r.counts.added}, warnings ${r.counts.warnings}, enrollments ${r.enrollments}`;
      return `${LABELS[db as Db]}: ${cpu}; peak RSS MB by phase: ${phases}; ${counts}; load average ${r.loadAverage.join(' ')}`;
    })
    .join('\n');
}

/** The service's pipeline steps (--phases), slowest first, for the lesson-stats jobs. */
function phaseTable(label: string, phases: NonNullable<SideResult['phases']>): string {
  return Object.entries(phases)
    .filter(([kind]) => kind.startsWith('lesson-stats') || kind === 'memory')
    .map(([kind, steps]) => {
      if (kind === 'memory') return `${label}, service memory by job (highest of 1-second samples, MB): ${JSON.stringify(steps)}`;
      const lines = Object.entries(steps)
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([step, { ms, calls }]) => `  ${(ms / 1000).toFixed(2).padStart(8)} s ${String(calls).padStart(9)} calls  ${step}`);
      return [`${label}, ${kind}: time inside the service by step (inclusive; steps nest)`, ...lines].join('\n');
    })
    .join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const shape = shapeFor(options.rows, options);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-bench-'));
  const cleanups: Array<() => Promise<void>> = [];
  const interrupted = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', () => void interrupted());
  process.once('SIGTERM', () => void interrupted());

  const settings = {
    BATCH_SIZE: process.env.BATCH_SIZE ?? '5000 (default)',
    JOB_CONCURRENCY: process.env.JOB_CONCURRENCY ?? '2 (default)',
    PROGRESS_INTERVAL_MS: process.env.PROGRESS_INTERVAL_MS ?? '200 (default)',
  };
  console.log(
    `lesson-stats benchmark${options.xlsx ? ' (XLSX)' : ''}: ${shape.rows.toLocaleString('en')} rows, ${shape.learners.toLocaleString('en')} learners, ` +
      `${shape.courses} courses × ${shape.itemsPerCourse} items; enrollIfNeeded true (the import creates the enrollments); ` +
      `${os.cpus().length} CPUs; ${Object.entries(settings).map(([k, v]) => `${k}=${v}`).join(', ')}`,
  );
  console.log(`work directory: ${workDir}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  try {
    const started = performance.now();
    const files = await writeDataset(shape, workDir);
    if (options.xlsx) files.lessonStats = await writeLessonStatsXlsx(shape, workDir);
    const size = fs.statSync(files.lessonStats).size;
    console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s: ${path.basename(files.lessonStats)} ${(size / 2 ** 20).toFixed(1)} MiB`);

    if (options.redis) {
      const queues = await measureQueues(shape, files, workDir, options);
      console.log(`\n${queueTable(queues, shape.rows)}`);
      if (options.json) fs.writeFileSync(options.json, `${JSON.stringify({ rows: shape.rows, shape, settings, queues }, null, 2)}\n`);
      return;
    }
    const results: Partial<Record<Db, SideResult>> = {};
    for (const db of options.dbs) {
      console.log(`${LABELS[db]}...`);
      const result = await measureSide(db, shape, files, workDir, options, cleanups);
      if (result === null) continue; // --dry-run-only: printed already
      results[db] = result;
      // Printed at once too: a failure on the other database does not lose this one's figures.
      console.log(`${table({ [db]: results[db] })}\n${details({ [db]: results[db] })}`);
    }
    const dryRuns = Object.values(results).flatMap((r) => (r.dryRunRowsPerSecond === null ? [] : [r.dryRunRowsPerSecond]));
    // The slower side's dry run: the target (≥ 150k rows/s) must hold on both databases.
    const dryRunRowsPerSecond = dryRuns.length > 0 ? Math.min(...dryRuns) : null;

    if (Object.keys(results).length === 0) return; // --dry-run-only
    console.log('');
    console.log(table(results));
    console.log(`dry run: ${dryRunRowsPerSecond === null ? 'not measured' : `${dryRunRowsPerSecond.toLocaleString('en')} rows/s (the slower database)`}`);
    console.log(details(results));
    for (const [db, r] of Object.entries(results)) if (r.phases) console.log(phaseTable(LABELS[db as Db], r.phases));
    if (options.cpuProf) console.log(`CPU profiles in ${path.resolve(options.cpuProf)} (node dist/bench/profile-summary.js FILE)`);
    if (options.json) {
      const json = { rows: shape.rows, shape, settings, mysql: results.mysql ?? null, sqlite: results.sqlite ?? null, dryRunRowsPerSecond };
      fs.mkdirSync(path.dirname(path.resolve(options.json)), { recursive: true });
      fs.writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
      console.log(`results written to ${options.json}`);
    }
  } finally {
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  if (error instanceof Error && error.cause) console.error('cause:', error.cause);
  process.exit(1);
});
