import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { AnyAdapter } from '../adapters/define-adapter';
import { loadConfig } from '../config/config';
import type { OnExisting } from '../imports/enums';
import type { ImportFile } from '../imports/import-file.entity';
import type { ImportJob } from '../imports/import-job.entity';
import type { IssueData } from '../imports/issue-data';
import { jobFinished } from '../jobs/watch-job';
import { closeServices, createServices } from '../server';
import type { Services } from '../services';

export interface RunOptions {
  onExisting?: OnExisting;
  enrollIfNeeded?: boolean;
  dryRun?: boolean;
  hasHeader?: boolean;
  options?: Record<string, unknown>;
}

export interface ImportResult {
  file: ImportFile;
  /** Null when the file was refused at check time (see `refused`). */
  job: ImportJob | null;
  /** Why runImport refused the file, with its error code. */
  refused: { code: string; message: string } | null;
  /** File-level problems, then every row issue in file order. */
  issues: IssueData[];
  rejectsCsv: string;
  logText: string;
}

export interface TestKitOptions {
  /** Adapters to load besides those of `plugins/` and LMS_IMPORT_PLUGINS (e.g. the one under test). */
  adapters?: readonly AnyAdapter[];
  /** `sqlite` (default, or TEST_DATABASE) or `mysql` (at TEST_MYSQL_URL). */
  database?: 'sqlite' | 'mysql';
  /** More configuration variables. */
  env?: Record<string, string>;
}

/**
 * The real import pipeline on a throw-away database and data directory, without HTTP:
 * for adapter tests, the project's and third parties' (see AdapterTester).
 */
export class TestKit {
  private constructor(
    readonly services: Services,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async create(options: TestKitOptions = {}): Promise<TestKit> {
    const database = options.database ?? (process.env.TEST_DATABASE === 'mysql' ? 'mysql' : 'sqlite');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-kit-'));
    const mysqlServer = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
    const dbName = `lms_kit_${process.pid}_${randomBytes(4).toString('hex')}`;
    const databaseUrl = database === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dataDir, 'kit.sqlite')}`;
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...options.env });
    const services = await createServices(config, { adapters: options.adapters });
    return new TestKit(services, async () => {
      await closeServices(services);
      if (database === 'mysql') {
        const mysql = await import('mysql2/promise');
        const connection = await mysql.createConnection({ uri: mysqlServer });
        await connection.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
        await connection.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
  }

  /** A manager outside any transaction, to look at (or prepare) the database. */
  get manager(): EntityManager {
    return this.services.store.dataSource.manager;
  }

  /** Uploads `csv` for `adapter`, runs the import and waits for its end. */
  async import(adapter: string, csv: string | Buffer, run: RunOptions = {}): Promise<ImportResult> {
    const { imports, reports, bus } = this.services;
    const file = await imports.upload({
      stream: Readable.from([Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8')]),
      fileName: `${adapter}.csv`,
      adapter,
      hasHeader: run.hasHeader ?? null,
      tokenId: null,
    });
    let queued: ImportJob;
    try {
      queued = await imports.run(
        {
          fileId: file.id,
          onExisting: run.onExisting,
          enrollIfNeeded: run.enrollIfNeeded,
          dryRun: run.dryRun,
          options: { allowDuplicate: true, ...run.options },
        },
        null,
      );
    } catch (error) {
      const code = String((error as { extensions?: { code?: unknown } }).extensions?.code ?? 'ERROR');
      return { file, job: null, refused: { code, message: (error as Error).message }, issues: file.problems, rejectsCsv: '', logText: '' };
    }
    const job = await jobFinished(bus, (id) => imports.job(id), queued.id);
    const issues: IssueData[] = [];
    for (let after: string | null = null; ; ) {
      const page = await reports.issues(job.id, { first: 1000, after });
      issues.push(...page.edges.map((edge) => edge.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return {
      file,
      job,
      refused: null,
      issues,
      rejectsCsv: await reports.rejectsCsv(job),
      logText: await reports.logText(job, 'en'),
    };
  }

  async close(): Promise<void> {
    await this.cleanup();
  }
}
