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
import { createHttpApp } from './http/app';
import { FileStore } from './imports/file-store';
import { ImportService } from './imports/import-service';
import { ReportService } from './imports/report-service';
import { InProcessJobQueue } from './jobs/job-queue';
import { InProcessProgressBus } from './jobs/progress-bus';
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
  const bus = new InProcessProgressBus();
  const tokens = new TokenService(store, config.ADMIN_TOKEN);
  const partial = { config, logger, store, registry, files, bus, tokens };
  const runner = new ImportRunner(partial);
  const queue = new InProcessJobQueue((jobId, signal) => runner.run(jobId, signal), config.JOB_CONCURRENCY, (jobId, error) =>
    logger.error({ err: error, jobId }, 'import job crashed'),
  );
  return {
    ...partial,
    queue,
    imports: new ImportService({ store, registry, files, queue, bus, config }),
    reports: new ReportService(store, registry, files),
  };
}

/** Stops the jobs (running ones checkpoint) and closes the database. */
export async function closeServices(services: Services): Promise<void> {
  await services.queue.close();
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
  const http = await createHttpApp(services, await createSchema());
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
  logger.info({ port, database: store.kind, writePath, adapters: registry.list().map((a) => a.name) }, 'lms-import started');

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
