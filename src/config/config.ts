import path from 'node:path';
import { z } from 'zod';

/** Parses "name=value,name=value" into a map, used for per-adapter limits. */
const perAdapter = (valueSchema: z.ZodType<number>) =>
  z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const map: Record<string, number> = {};
      for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
        const [name, value] = pair.split('=').map((s) => s.trim());
        const parsed = valueSchema.safeParse(Number(value));
        if (!name || !value || !parsed.success) {
          ctx.addIssue({ code: 'custom', message: `expected "adapter=number", got "${pair}"` });
          return z.NEVER;
        }
        map[name] = parsed.data;
      }
      return map;
    });

const positiveInt = z.coerce.number().int().positive();

/** Every environment variable the service reads, in one place. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:.+|mysql:\/\/.+)$/, 'expected sqlite:PATH or mysql://user:pass@host:port/db')
    .optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  MAX_UPLOAD_BYTES: positiveInt.default(100 * 1024 * 1024),
  /** Per-adapter upload limits, e.g. "blackboard-enrollment=1048576,learners=5242880". */
  MAX_UPLOAD_BYTES_BY_ADAPTER: perAdapter(z.number().int().positive()),
  /** Per-adapter maximum number of records, e.g. "blackboard-enrollment=500". */
  MAX_RECORDS_BY_ADAPTER: perAdapter(z.number().int().positive()),
  LMS_IMPORT_PLUGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean)),
  /** When set, jobs go through a BullMQ queue on this Redis, and progress through its pub/sub. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'expected redis://host:port (or rediss://)')
    .optional(),
  /**
   * `all`: API and worker in one process (the default, and the only role without Redis);
   * `api`: serves GraphQL and downloads, runs no job; `worker`: runs jobs, serves only
   * /healthz and /metrics.
   */
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** Jobs run at the same time by one worker process (BullMQ); JOB_CONCURRENCY when unset. */
  WORKER_CONCURRENCY: positiveInt.max(64).optional(),
  /** Redis key prefix of the queue: separates deployments (and test runs) sharing one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[\w:-]+$/, 'letters, digits, _ : -').default('lms-import'),
  /**
   * How long a worker's hold on a job lasts without renewal (renewed every half of it): past it,
   * another worker may take the job over from its checkpoint. Imports run for minutes, batches
   * for seconds: 30 s spans a slow batch and a short pause of the process.
   */
  QUEUE_LOCK_MS: positiveInt.default(30_000),
  /** How often workers look for jobs whose worker stopped renewing its hold. */
  QUEUE_STALLED_INTERVAL_MS: positiveInt.default(30_000),
  /** How many times a job may be taken over after its worker stalled before it fails. */
  QUEUE_MAX_STALLED: positiveInt.max(100).default(5),
  /**
   * MySQL/MariaDB with REDIS_URL: a file of at least this many records (counted as lines) is
   * split into parts run by several workers at once, for adapters that declare a
   * `partitionKey`. Dry runs are read in one stream.
   */
  PARTITION_MIN_RECORDS: positiveInt.default(500_000),
  /** Parts of a split import; 0: twice the worker processes on the queue (at least 2, at most 16). 1: never split. */
  PARTITIONS: z.coerce.number().int().min(0).max(64).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Rows handed to an adapter (and written) per transaction. Each batch costs a few statements
   * whatever its size (lock, look-ups, commit): larger batches spread them (see BENCHMARKS.md).
   */
  BATCH_SIZE: positiveInt.max(5000).default(5000),
  /**
   * SQLite: how long the batches of a job may wait to be committed together (one commit instead
   * of one a batch: see BENCHMARKS.md). A group also commits as soon as another request needs
   * the database. 0: every batch commits by itself. MySQL commits every batch.
   */
  GROUP_COMMIT_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Import jobs run at the same time by this process. */
  JOB_CONCURRENCY: positiveInt.max(64).default(2),
  /** Least time between two progress notifications of a job, in milliseconds. */
  PROGRESS_INTERVAL_MS: z.coerce.number().int().min(0).default(200),
  /**
   * Whether large files are read, decoded and validated in a worker thread, on another core than
   * the job's database work (row schemas made of `fields` helpers only; see BENCHMARKS.md).
   * `auto`: on SQLite, whose work the job's thread does itself, and for dry runs; not for
   * MySQL/MariaDB imports, where a server on the same machine needs that core (measured: no
   * faster, 35 MB more). `always`, `never`.
   */
  PARSE_WORKER: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Files smaller than this are read on the job's thread: starting a thread costs more than it saves. */
  PARSE_WORKER_MIN_BYTES: z.coerce.number().int().min(0).default(2 * 1024 * 1024),
  /**
   * How long a stop (SIGTERM, SIGINT) waits for the running batches to commit. Past it they are
   * rolled back (their connections cut), and the process exits 1; their jobs resume from their
   * last checkpoint at the next start.
   */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),
  /** Longest record accepted by the CSV parser, in characters. */
  MAX_RECORD_SIZE: positiveInt.default(64 * 1024),
});

/** What the variables only mean together. */
const refinedSchema = configSchema.superRefine((config, ctx) => {
  if (config.PROCESS_ROLE !== 'all' && !config.REDIS_URL) {
    ctx.addIssue({ code: 'custom', path: ['PROCESS_ROLE'], message: `"${config.PROCESS_ROLE}" needs REDIS_URL (the queue the roles share)` });
  }
  const sqlite = !config.DATABASE_URL || config.DATABASE_URL.startsWith('sqlite');
  if (config.PARTITIONS > 1 && sqlite) {
    ctx.addIssue({ code: 'custom', path: ['PARTITIONS'], message: 'SQLite has one writer: an import cannot be split across workers (use MySQL/MariaDB, or leave PARTITIONS unset)' });
  }
});

export type Config = z.infer<typeof configSchema> & {
  /** Absolute data directory. */
  dataDir: string;
  /** Resolved database URL (the SQLite default filled in). */
  databaseUrl: string;
};

export class ConfigError extends Error {}

/** Reads the configuration; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = refinedSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  const databaseUrl = parsed.data.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'lms-import.sqlite')}`;
  return { ...parsed.data, dataDir, databaseUrl };
}
