import fs from 'node:fs';
import path from 'node:path';
import mysql2 from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { ApiToken } from '../auth/api-token.entity';
import { ImportFile } from '../imports/import-file.entity';
import { ImportIssue } from '../imports/import-issue.entity';
import { ImportJob } from '../imports/import-job.entity';
import { Course } from '../model/course.entity';
import { CourseItem } from '../model/course-item.entity';
import { CourseStatistic } from '../model/course-statistic.entity';
import { Enrollment } from '../model/enrollment.entity';
import { Learner } from '../model/learner.entity';
import { LessonStatistic } from '../model/lesson-statistic.entity';
import { RowVersion } from '../model/row-version.entity';
import { SyncKey } from '../sync/sync-key.entity';
import { InitialSchema1763800000000 } from './migrations/1763800000000-initial-schema';
import { ImportJobOutcome1764200000000 } from './migrations/1764200000000-import-job-outcome';
import { ImportJobLease1764300000000 } from './migrations/1764300000000-import-job-lease';
import { ImportJobPartitions1764400000000 } from './migrations/1764400000000-import-job-partitions';
import { ImportJobFixes1764500000000 } from './migrations/1764500000000-import-job-fixes';
import { ImportFileSheets1765100000000 } from './migrations/1765100000000-import-file-sheets';
import { ImportJobUndo1764600000000 } from './migrations/1764600000000-import-job-undo';
import { SyncImports1764700000000 } from './migrations/1764700000000-sync-imports';
import { ColumnMappings1764800000000 } from './migrations/1764800000000-column-mappings';
import { SavedColumnMapping } from '../mappings/column-mapping.entity';
import { ImportPackages1764900000000 } from './migrations/1764900000000-import-packages';
import { UndoFenceLines1765000000000 } from './migrations/1765000000000-undo-fence-lines';
import { DataGeneration } from '../undo/data-generation.entity';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export const coreEntities = [
  Learner,
  Course,
  CourseItem,
  Enrollment,
  CourseStatistic,
  LessonStatistic,
  RowVersion,
  SyncKey,
  ImportFile,
  ImportJob,
  ImportIssue,
  ApiToken,
  SavedColumnMapping,
  DataGeneration,
];

export const coreMigrations = [InitialSchema1763800000000, ImportJobOutcome1764200000000, ImportJobLease1764300000000, ImportJobPartitions1764400000000, ImportJobFixes1764500000000, ImportJobUndo1764600000000, SyncImports1764700000000, ColumnMappings1764800000000, ImportPackages1764900000000, UndoFenceLines1765000000000, ImportFileSheets1765100000000];

export type DatabaseKind = 'sqlite' | 'mysql';

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('mysql:') ? 'mysql' : 'sqlite';
}

// Strict mode so that MySQL refuses what it would otherwise truncate or guess.
const SESSION_SETUP =
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";

/** mysql2 with every pooled connection set up before its first query. */
const mysqlDriver = {
  ...mysql2,
  createPool(options: mysql2.PoolOptions) {
    const pool = mysql2.createPool(options);
    pool.on('connection', (connection) => {
      connection.query(SESSION_SETUP);
      // Each statement of a transaction sees what others committed (see Store.transaction);
      // set once a connection, not with every transaction.
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    });
    return pool;
  },
};

export interface DataSourceSettings {
  databaseUrl: string;
  entities?: MixedList<Function | EntitySchema>;
  migrations?: MixedList<Function>;
  logging?: boolean;
  /** The MySQL-protocol server is MariaDB (see ensureMysqlDatabase). */
  mariadb?: boolean;
}

/** Options for the one DataSource, on SQLite (better-sqlite3) or MySQL/MariaDB (mysql2). */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  const common = {
    entities: settings.entities ?? coreEntities,
    migrations: settings.migrations ?? coreMigrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: settings.logging ?? false,
  };
  if (databaseKind(settings.databaseUrl) === 'mysql') {
    return {
      ...common,
      // TypeORM reads MariaDB's information schema differently from MySQL's.
      type: settings.mariadb ? 'mariadb' : 'mysql',
      url: settings.databaseUrl,
      driver: mysqlDriver,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // DATE columns stay `YYYY-MM-DD` strings: no Date object, no time-zone shift.
      dateStrings: ['DATE'],
      poolSize: 10,
    };
  }
  const file = settings.databaseUrl.replace(/^sqlite:(\/\/)?/, '');
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL lets readers (the API) see committed data while an import writes.
    enableWAL: file !== ':memory:',
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // In WAL mode: a commit is safe from a crash of the process at once, and reaches the disk
      // at the next checkpoint. A power cut may take back the last commits — each batch with its
      // job's checkpoint, so the job resumes before them: nothing is lost or doubled.
      db.pragma('synchronous = NORMAL');
      // Checkpoint every ~40 MB of WAL instead of ~4 MB: a batch rewrites the index pages its rows
      // touch, and a page written again before the checkpoint is copied back to the file once.
      db.pragma('wal_autocheckpoint = 10000');
    },
  };
}

/** Creates the MySQL database named in the URL when it does not exist yet; tells whether the server is MariaDB. */
export async function ensureMysqlDatabase(databaseUrl: string): Promise<{ mariadb: boolean }> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL: the MySQL URL must name a database, e.g. mysql://root@127.0.0.1:3306/lms');
  if (!/^[\w$]+$/.test(database)) throw new Error(`DATABASE_URL: unsupported database name "${database}"`);
  url.pathname = '/';
  const connection = await mysqlPromise.createConnection({ uri: url.toString() });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return { mariadb: /mariadb/i.test(String((rows as Array<{ version: string }>)[0].version)) };
  } finally {
    await connection.end();
  }
}

/** Creates the database (MySQL) or its folder (SQLite) when missing; the DataSource, not yet connected. */
export async function prepareDataSource(settings: DataSourceSettings): Promise<DataSource> {
  let mariadb = false;
  if (databaseKind(settings.databaseUrl) === 'mysql') {
    ({ mariadb } = await ensureMysqlDatabase(settings.databaseUrl));
  } else {
    const file = settings.databaseUrl.replace(/^sqlite:(\/\/)?/, '');
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  }
  return new DataSource(dataSourceOptions({ ...settings, mariadb }));
}

/** Connects (creating the database or its folder first) and applies pending migrations. */
export async function openDataSource(settings: DataSourceSettings): Promise<DataSource> {
  const dataSource = await prepareDataSource(settings);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * SQLite only: a second, read-only connection. In WAL mode it reads the last committed state
 * while the writing connection is inside an import's batch, so the API never waits for it.
 */
export async function openSqliteReader(settings: DataSourceSettings): Promise<DataSource> {
  const options = dataSourceOptions(settings) as Extract<DataSourceOptions, { type: 'better-sqlite3' }>;
  const reader = new DataSource({ ...options, readonly: true, enableWAL: false, migrations: [] });
  await reader.initialize();
  return reader;
}
