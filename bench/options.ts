import { parseArgs } from 'node:util';

export type Db = 'mysql' | 'sqlite';

export const LABELS: Record<Db, string> = { mysql: 'MariaDB', sqlite: 'SQLite' };

export interface BenchOptions {
  rows: number;
  /** Reference data held fixed whatever --rows (null: scaled with the rows, see shapeFor). */
  learners: number | null;
  courses: number | null;
  dbs: Db[];
  json: string | null;
  mysqlUrl: string;
  dryRun: boolean;
  /** Only the dry run (profiling it): no floor, no import. */
  dryRunOnly: boolean;
  /** Directory for V8 CPU profiles of the service (node --cpu-prof), or null. */
  cpuProf: string | null;
  /** Time the pipeline's steps inside the service (bench/phase-timer.ts). */
  phases: boolean;
  /** Keep the generated files and the service's data directory. */
  keep: boolean;
  /** --redis: the queue comparison (in-process, then BullMQ with each worker count) instead of the floor comparison. */
  redis: boolean;
  redisUrl: string;
  workers: number[];
  /** --xlsx: the lesson statistics as an Excel workbook (one sheet, written by exceljs's streaming writer). */
  xlsx: boolean;
}

const USAGE = `npm run bench -- [options]
  --rows N           lesson statistics to import (default 1000000)
  --learners N       learners (default: 20,000 a million rows, scaled with --rows)
  --courses N        courses of 10 items (default: 200 a million rows, scaled with --rows, at least 5)
  --db mysql|sqlite  one database only (default: both)
  --json PATH        also write the results as JSON
  --mysql-url URL    MySQL/MariaDB server (default mysql://root@127.0.0.1:3306; a database is created and dropped)
  --skip-dry-run     do not measure the dry run
  --dry-run-only     measure the dry run only (no floor, no import; with --cpu-prof, a profile of the dry run)
  --cpu-prof DIR     run the service under node --cpu-prof, profiles in DIR (see bench/profile-summary.ts)
  --phases           time the pipeline's steps inside the service (bench/phase-timer.ts; adds a little overhead)
  --xlsx             the lesson statistics as an .xlsx workbook (one sheet of --rows rows: dates as date
                     cells, scores and seconds as numbers), generated with exceljs's streaming writer
  --keep             keep the temporary directory (data files, service data and log)
  --redis            MariaDB: the import through the in-process queue, then through BullMQ on Redis
                     with an API process and --workers worker processes (split across them: see
                     PARTITION_MIN_RECORDS, set to the file's records unless the environment sets it)
  --workers N[,M]    worker processes for --redis, one measure each (default 1,2)
  --redis-url URL    Redis for --redis (default redis://127.0.0.1:6379)
The service reads its usual environment: BATCH_SIZE=5000 npm run bench -- --rows 100000 measures another batch size.`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      rows: { type: 'string', default: '1000000' },
      learners: { type: 'string' },
      courses: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'string' },
      'mysql-url': { type: 'string', default: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306' },
      'skip-dry-run': { type: 'boolean', default: false },
      'dry-run-only': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      phases: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      xlsx: { type: 'boolean', default: false },
      redis: { type: 'boolean', default: false },
      workers: { type: 'string', default: '1,2' },
      'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const rows = Number(values.rows.replace(/_/g, ''));
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows: expected a positive integer, got "${values.rows}"\n${USAGE}`);
  if (values['skip-dry-run'] && values['dry-run-only']) throw new Error(`--skip-dry-run and --dry-run-only exclude each other\n${USAGE}`);
  if (values.db !== undefined && values.db !== 'mysql' && values.db !== 'sqlite') {
    throw new Error(`--db: expected mysql or sqlite, got "${values.db}"\n${USAGE}`);
  }
  const count = (name: 'learners' | 'courses') => {
    if (values[name] === undefined) return null;
    const value = Number(values[name]!.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive integer, got "${values[name]}"\n${USAGE}`);
    return value;
  };
  const workers = values.workers.split(',').map((part) => Number(part.trim()));
  if (workers.some((count) => !Number.isInteger(count) || count < 1 || count > 16)) throw new Error(`--workers: expected worker counts from 1 to 16, e.g. 1,2; got "${values.workers}"\n${USAGE}`);
  if (values.redis && values.db === 'sqlite') throw new Error(`--redis measures MariaDB (SQLite has one writer: one worker)\n${USAGE}`);
  return {
    rows,
    learners: count('learners'),
    courses: count('courses'),
    dbs: values.db ? [values.db as Db] : ['mysql', 'sqlite'],
    json: values.json ?? null,
    mysqlUrl: values['mysql-url'].replace(/\/+$/, ''),
    dryRun: !values['skip-dry-run'],
    dryRunOnly: values['dry-run-only'],
    cpuProf: values['cpu-prof'] ?? null,
    phases: values.phases,
    keep: values.keep,
    redis: values.redis,
    redisUrl: values['redis-url'],
    workers,
    xlsx: values.xlsx,
  };
}
