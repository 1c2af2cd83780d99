/**
 * Preloaded into the service by `npm run bench -- --phases` (node --require): wall time and
 * call counts of the import pipeline's steps, per job kind, without touching src/. It loads the
 * compiled modules first (the same cache entries the service then uses) and wraps their
 * functions; AsyncLocalStorage tells which job a SQL statement or an insert belongs to.
 * At exit the totals go to BENCH_PHASES_FILE as JSON.
 *
 * Times are inclusive and nest: `job.decide` holds `adapter.resolve` and `adapter.persist`,
 * which hold `sql`; `sql` counts every statement TypeORM sends.
 */
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';

type Totals = Record<string, { ms: number; calls: number }>;

const DIST = path.resolve(__dirname, '..');
const jobKind = new AsyncLocalStorage<string>();
const byKind = new Map<string, Totals>();
let runningKind: string | null = null;
const now = () => performance.now();

function add(step: string, started: number): void {
  const kind = jobKind.getStore() ?? 'outside jobs';
  let totals = byKind.get(kind);
  if (!totals) byKind.set(kind, (totals = {}));
  const entry = (totals[step] ??= { ms: 0, calls: 0 });
  entry.ms += now() - started;
  entry.calls++;
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Replaces `owner[name]` with a timed version (sync or async). */
function time(owner: Record<string, unknown>, name: string, step: string): void {
  const original = owner[name] as AnyFunction | undefined;
  if (typeof original !== 'function') {
    // The core changed under the instrument: time the rest rather than stop the service.
    console.warn(`phase-timer: ${step}: no function ${name}, not timed`);
    return;
  }
  owner[name] = function timed(this: unknown, ...args: unknown[]) {
    const started = now();
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.finally(() => add(step, started));
    add(step, started);
    return result;
  };
}

const load = (file: string) => require(path.join(DIST, file)) as Record<string, any>;

const jobRun = load('src/pipeline/job-run.js').JobRun.prototype;
const execute = jobRun.execute as AnyFunction;
jobRun.execute = function (this: { job: { adapter: string; dryRun: boolean } }, ...args: unknown[]) {
  const kind = `${this.job.adapter}${this.job.dryRun ? ' (dry run)' : ''}`;
  return jobKind.run(kind, () => {
    const started = now();
    runningKind = kind; // the benchmark runs one job at a time
    return (execute.apply(this, args) as Promise<unknown>).finally(() => {
      add('job (whole run)', started);
      runningKind = null;
      liveAfterJob(kind);
    });
  });
};
time(jobRun, 'take', 'job.take (validate + batch, flush included)');
time(jobRun, 'flush', 'job.flush (a batch, retries included)');
time(jobRun, 'decide', 'job.decide (resolve + persist)');
time(jobRun, 'record', 'job.record (issues, rejects, checkpoint)');

const reader = load('src/pipeline/csv-reader.js').CsvReader.prototype;
time(reader, 'push', 'tokenize (CsvReader.push)');
const batch = load('src/pipeline/batch.js');
time(batch, 'prepareRecord', 'prepareRecord (map + zod validation)');
time(batch, 'applyDecisions', 'applyDecisions');
time(batch, 'toIssueData', 'toIssueData (message rendering)');
time(load('src/db/bulk.js'), 'insertRows', 'insertRows');
time(load('src/db/store.js').Store.prototype, 'transaction', 'store.transaction (turn + begin … commit)');

for (const plugin of ['lesson-stats', 'learners', 'catalog']) {
  const adapter = load(`plugins/${plugin}/index.js`).default;
  time(adapter, 'resolve', 'adapter.resolve');
  time(adapter, 'persist', 'adapter.persist');
}
const statistics = load('src/adapters/statistics.js');
time(statistics, 'planStatistics', 'planStatistics (enrollments + latest sessions)');
const references = load('src/adapters/references.js');
for (const lookUp of ['learnersByLogin', 'coursesByCode', 'itemsByKey', 'enrollmentsByKey']) time(references, lookUp, `references.${lookUp}`);

/** `SELECT lesson_statistics`, `INSERT import_issues`...: a statement's verb and first table. */
function statementKind(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+[`"]?(\w+)/i.exec(sql)?.[1] ?? '';
  return `${verb} ${table}`.trim();
}

for (const runner of ['mysql/MysqlQueryRunner', 'better-sqlite3/BetterSqlite3QueryRunner']) {
  const module = require(`typeorm/driver/${runner}`) as Record<string, { prototype: Record<string, unknown> }>;
  const prototype = module[runner.split('/')[1]].prototype;
  const query = prototype.query as AnyFunction;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const started = now();
    return (query.apply(this, args) as Promise<unknown>).finally(() => {
      add('sql (every statement, round trip included)', started);
      add(`sql: ${statementKind(String(args[0]))}`, started);
    });
  };
}

/**
 * Where the memory is, sampled each second: the V8 heap (JavaScript objects), `external`
 * (Buffers, and memory native modules report), and RSS, which also holds what native code
 * (SQLite's page cache and prepared statements, zlib...) allocates without telling V8.
 */
const memoryByKind: Record<string, { rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number }> = {};
setInterval(() => {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  const memory = (memoryByKind[runningKind ?? 'between jobs'] ??= { rssMb: 0, heapUsedMb: 0, heapTotalMb: 0, externalMb: 0 });
  memory.rssMb = Math.max(memory.rssMb, mb(usage.rss));
  memory.heapUsedMb = Math.max(memory.heapUsedMb, mb(usage.heapUsed));
  memory.heapTotalMb = Math.max(memory.heapTotalMb, mb(usage.heapTotal));
  memory.externalMb = Math.max(memory.externalMb, mb(usage.external));
}, 1000).unref();

/**
 * The live heap once a job is over (a full GC first; the benchmark starts the service with
 * --expose-gc): what a finished job leaves behind, as opposed to garbage not collected yet.
 */
const liveHeapAfterJobMb: Record<string, number> = {};
function liveAfterJob(kind: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  setImmediate(() => {
    gc();
    liveHeapAfterJobMb[kind] = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  });
}

function write(): void {
  const file = process.env.BENCH_PHASES_FILE;
  if (!file) return;
  fs.writeFileSync(file, JSON.stringify({ ...Object.fromEntries(byKind), memory: { ...memoryByKind, liveHeapAfterJobMb } }, null, 2));
}
process.on('exit', write);
