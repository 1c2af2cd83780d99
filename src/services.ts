import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AdapterRegistry } from './adapters/registry';
import type { TokenService } from './auth/token-service';
import type { Config } from './config/config';
import type { Store } from './db/store';
import type { FileStore } from './imports/file-store';
import type { ImportService } from './imports/import-service';
import type { ColumnMappingService } from './mappings/column-mapping-service';
import type { ReportService } from './imports/report-service';
import type { UndoService } from './undo/undo-service';
import type { JobQueue } from './jobs/job-queue';
import type { ProgressBus } from './jobs/progress-bus';
import type { Metrics } from './metrics/metrics';

/** The parts of a running service, built once at start-up (see server.ts). */
export interface Services {
  config: Config;
  logger: Logger;
  store: Store;
  registry: AdapterRegistry;
  files: FileStore;
  bus: ProgressBus;
  queue: JobQueue;
  imports: ImportService;
  undo: UndoService;
  reports: ReportService;
  mappings: ColumnMappingService;
  tokens: TokenService;
  metrics: Metrics;
  /** The connection to REDIS_URL, when jobs go through the BullMQ queue. */
  redis?: Redis;
  /** Closes what createServices opened beyond the database (Redis connections). */
  closeExtras?: () => Promise<void>;
}
