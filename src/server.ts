import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import type { AnyAdapter } from './adapters/define-adapter';
import { AdapterRegistry, validateAdapter } from './adapters/registry';
import { TokenService } from './auth/token-service';
import type { Config } from './config/config';
import { bulkWritePath } from './db/bulk';
import { coreEntities, coreMigrations, databaseKind, openDataSource, openSqliteReader } from './db/data-source';
import { Store } from './db/store';
import { createSchema } from './graphql/schema';
import { createHttpApp, createOperationsApp } from './http/app';
import { FileStore } from './imports/file-store';
import { ImportService } from './imports/import-service';
import { UndoService } from './undo/undo-service';
import { ColumnMappingService } from './mappings/column-mapping-service';
import { ReportService } from './imports/report-service';
import type { Redis } from 'ioredis';
import { BullMqJobQueue } from './jobs/bullmq-queue';
import { InProcessJobQueue, type JobQueue } from './jobs/job-queue';
import { InProcessProgressBus, type ProgressBus } from './jobs/progress-bus';
import { RedisChannels } from './jobs/redis-channels';
import { RedisProgressBus } from './jobs/redis-progress-bus';
import { openRedis } from './jobs/redis';
import { ImportJob } from './imports/import-job.entity';
import { Metrics } from './metrics/metrics';
import { ImportRunner } from './pipeline/import-runner';
import type { Services } from './services';

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  /** The admin token created at first start, if this start created one. */
  createdAdminToken: string | null;
  /** Stops taking requests and jobs, checkpoints running jobs, closes the database. */
  close(): Promise<void>;
  /**
   * close(), within `timeoutMs`: past it the batches still running are rolled back (their
   * connections cut: Store.abort) and false is returned. The process should then exit; its jobs
   * stay RUNNING or PENDING at their last checkpoint and resume at the next start.
   */
  stop(timeoutMs: number): Promise<boolean>;
}

/** Builds the service without its HTTP side: plugins, database (migrated), jobs. */
export async function createServices(
  config: Config,
  options: { logger?: Logger; adapters?: readonly AnyAdapter[] } = {},
): Promise<Services> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL });
  const registry = AdapterRegistry.load({ extra: config.LMS_IMPORT_PLUGINS });
  for (const adapter of options.adapters ?? []) registry.register(validateAdapter(adapter, 'createServices'), 'createServices');
  const settings = {
    databaseUrl: config.databaseUrl,
    entities: [...coreEntities, ...registry.entities()],
    migrations: [...coreMigrations, ...registry.migrations()],
  };
  const dataSource = await openDataSource(settings);
  const reader = databaseKind(config.databaseUrl) === 'sqlite' ? await openSqliteReader(settings) : undefined;
  const store = new Store(dataSource, reader);
  const files = new FileStore(config.dataDir);
  const tokens = new TokenService(store, config.ADMIN_TOKEN);
  const onError = (jobId: number, error: unknown) => logger.error({ err: error, jobId }, 'import job crashed');
  let queue: JobQueue;
  const metrics = new Metrics({ jobsByStatus: () => jobsByStatus(store), queueCounts: () => queue.counts() }, config.PROCESS_ROLE);
  const runsJobs = config.PROCESS_ROLE !== 'api';
  let bus: ProgressBus;
  let redis: Redis | undefined;
  let channels: RedisChannels | undefined;
  if (config.REDIS_URL) {
    redis = await openRedis(config.REDIS_URL, `lms-import:${config.PROCESS_ROLE}`).catch(async (error) => {
      await store.close(); // the start stops here: nothing left open
      throw error;
    });
    channels = new RedisChannels(redis, config.QUEUE_PREFIX);
    bus = await RedisProgressBus.open(channels);
    if (store.kind === 'sqlite' && runsJobs) logger.warn('SQLite has one writer: run one worker process (REDIS_URL with SQLite)');
  } else {
    bus = new InProcessProgressBus();
  }
  const partial = { config, logger, store, registry, files, bus, tokens, metrics, redis };
  const runner = new ImportRunner(partial);
  const run = (jobId: number, signal: AbortSignal) => runner.run(jobId, signal);
  if (redis && channels) {
    queue = await BullMqJobQueue.open({
      config: { ...config, concurrency: config.WORKER_CONCURRENCY ?? config.JOB_CONCURRENCY },
      redis,
      channels,
      logger,
      // What the runner could not record itself fails the attempt: BullMQ tries it again.
      handler: runsJobs ? run : undefined,
      onGivenUp: (jobId, reason) => runner.giveUp(jobId, reason),
      onStalled: () => metrics.stalled.inc(),
    });
  } else {
    queue = new InProcessJobQueue(run, config.JOB_CONCURRENCY, onError);
  }
  runner.attach(queue);
  const mappings = new ColumnMappingService(store);
  const imports = new ImportService({ store, registry, files, queue, bus, config, mappings, partitions: runner.partitions });
  return {
    ...partial,
    queue,
    mappings,
    imports,
    undo: new UndoService({ store, queue, imports }),
    reports: new ReportService(store, registry, files),
    async closeExtras() {
      await channels?.close();
      redis?.disconnect();
    },
  };
}

/** Import jobs by status, as the database holds them. */
async function jobsByStatus(store: Store): Promise<Record<string, number>> {
  const rows: Array<{ status: string; count: string | number }> = await store.read((m) =>
    // The parts of a split import are not jobs of their own to an operator.
    m.createQueryBuilder(ImportJob, 'job').select('job.status', 'status').addSelect('COUNT(*)', 'count').where('job.parent_id IS NULL').groupBy('job.status').getRawMany(),
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** Stops the jobs (running ones checkpoint) and closes the database. */
export async function closeServices(services: Services): Promise<void> {
  await services.queue.close();
  await services.closeExtras?.();
  await services.store.close();
}

/** Builds and starts the whole service: plugins, database, jobs, HTTP and WebSocket. */
export async function startServer(
  config: Config,
  options: { logger?: Logger; adapters?: readonly AnyAdapter[] } = {},
): Promise<RunningServer> {
  const services = await createServices(config, options);
  const { logger, store, registry } = services;
  const createdAdminToken = await services.tokens.bootstrap(config.dataDir);
  // A worker serves only /healthz and /metrics; the other roles the whole API.
  const http = config.PROCESS_ROLE === 'worker' ? createOperationsApp(services) : await createHttpApp(services, await createSchema());
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = http.server.address() as AddressInfo;
  const resumed = await services.imports.resumeUnfinished();
  if (resumed.length > 0) logger.info({ jobs: resumed }, 'resuming unfinished import jobs');
  const writePath = await store.read((manager) => bulkWritePath(manager));
  if (store.kind === 'mysql' && writePath === 'INSERT') {
    logger.warn('local_infile is off on the MySQL/MariaDB server: rows are written with INSERT, not LOAD DATA LOCAL (slower); start the server with --local-infile=1');
  }
  logger.info(
    { port, role: config.PROCESS_ROLE, queue: config.REDIS_URL ? 'bullmq' : 'in-process', database: store.kind, writePath, adapters: registry.list().map((a) => a.name) },
    'lms-import started',
  );

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await http.close();
      await closeServices(services);
    })();
    return closing;
  };
  return {
    url: `http://localhost:${port}`,
    port,
    services,
    createdAdminToken,
    close,
    async stop(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const graceful = await Promise.race([close().then(() => true as const), deadline]);
      clearTimeout(timer);
      if (!graceful) store.abort();
      return graceful;
    },
  };
}
