import fs from 'node:fs';
import Database from 'better-sqlite3';
import mysqlPromise from 'mysql2/promise';
import { FLOOR_COLUMNS, courseCode, itemCode, learnerLogin, resolvedRow, writeResolvedTsv, type ReferenceIds, type Shape } from './dataset';

/**
 * The floor: what the database itself needs to store the same rows, their references already
 * resolved, into a table with the same columns and indexes as lesson_statistics — a copy, so that
 * the real import that follows starts from an empty table. The resolved rows are prepared before
 * the clock starts; only the database's work (and, for MariaDB, sending the file) is timed.
 */

/** The job id the floor rows carry, like an import stamps its rows (created_job_id). */
const FLOOR_JOB_ID = 0;
const FLOOR_TABLE = 'bench_floor_lesson_statistics';

const itemKey = (course: string, item: string) => `${course}\u0000${item}`;

function referenceIds(learners: Array<{ id: number; login: string }>, items: Array<{ id: number; course: string; code: string }>): ReferenceIds {
  const learnerIds = new Map(learners.map((row) => [row.login, Number(row.id)]));
  const itemIds = new Map(items.map((row) => [itemKey(row.course, row.code), Number(row.id)]));
  const found = <K>(map: Map<K, number>, key: K) => {
    const id = map.get(key);
    if (id === undefined) throw new Error(`reference ${String(key)} was not imported`);
    return id;
  };
  return {
    learnerId: (learner) => found(learnerIds, learnerLogin(learner)),
    itemId: (course, item) => found(itemIds, itemKey(courseCode(course), itemCode(course, item))),
  };
}

const REFERENCE_QUERIES = {
  learners: 'SELECT id, login_id AS login FROM learners',
  items: 'SELECT ci.id, c.code AS course, ci.code FROM course_items ci JOIN courses c ON c.id = ci.course_id',
};

/** MariaDB/MySQL: LOAD DATA LOCAL INFILE of the resolved rows (a TSV written first, untimed). */
export async function mysqlFloor(databaseUrl: string, shape: Shape, tsvFile: string, importDate: string): Promise<number> {
  const connection = await mysqlPromise.createConnection({ uri: databaseUrl, flags: ['+LOCAL_FILES'] });
  try {
    // The service's own session settings, so that the floor converts values the same way.
    await connection.query(
      "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'",
    );
    const [learners] = await connection.query(REFERENCE_QUERIES.learners);
    const [items] = await connection.query(REFERENCE_QUERIES.items);
    const ids = referenceIds(learners as any[], items as any[]);
    await writeResolvedTsv(shape, ids, tsvFile, importDate, FLOOR_JOB_ID);
    await connection.query(`DROP TABLE IF EXISTS ${FLOOR_TABLE}`);
    await connection.query(`CREATE TABLE ${FLOOR_TABLE} LIKE lesson_statistics`);
    const started = performance.now();
    const [result] = await connection.query({
      sql: `LOAD DATA LOCAL INFILE 'resolved.tsv' INTO TABLE ${FLOOR_TABLE} CHARACTER SET utf8mb4
        FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${FLOOR_COLUMNS.join(', ')})`,
      infileStreamFactory: () => fs.createReadStream(tsvFile, { highWaterMark: 1 << 20 }),
    });
    const seconds = (performance.now() - started) / 1000;
    const loaded = (result as { affectedRows: number }).affectedRows;
    if (loaded !== shape.rows) throw new Error(`LOAD DATA loaded ${loaded} rows of ${shape.rows}`);
    await connection.query(`DROP TABLE ${FLOOR_TABLE}`);
    return seconds;
  } finally {
    await connection.end();
  }
}

/**
 * SQLite: a prepared INSERT in a loop, in one transaction, into a fresh database file holding
 * the service's own DDL for lesson_statistics (read from its sqlite_master) in WAL mode like the
 * service.
 */
export function sqliteFloor(serviceDbFile: string, floorDbFile: string, shape: Shape, importDate: string): number {
  const source = new Database(serviceDbFile, { readonly: true, fileMustExist: true });
  let ddl: string[];
  let ids: ReferenceIds;
  try {
    ddl = (
      source
        .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'lesson_statistics' AND sql IS NOT NULL ORDER BY type DESC")
        .all() as Array<{ sql: string }>
    ).map((row) => row.sql);
    ids = referenceIds(source.prepare(REFERENCE_QUERIES.learners).all() as any[], source.prepare(REFERENCE_QUERIES.items).all() as any[]);
  } finally {
    source.close();
  }
  const rows = Array.from({ length: shape.rows }, (_, r) => resolvedRow(shape, ids, r, importDate, FLOOR_JOB_ID));
  fs.rmSync(floorDbFile, { force: true });
  const db = new Database(floorDbFile);
  try {
    db.pragma('journal_mode = WAL');
    for (const statement of ddl) db.exec(statement);
    const insert = db.prepare(
      `INSERT INTO lesson_statistics (${FLOOR_COLUMNS.join(', ')}) VALUES (${FLOOR_COLUMNS.map(() => '?').join(', ')})`,
    );
    const started = performance.now();
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    const seconds = (performance.now() - started) / 1000;
    const count = (db.prepare('SELECT COUNT(*) AS n FROM lesson_statistics').get() as { n: number }).n;
    if (count !== shape.rows) throw new Error(`the SQLite floor stored ${count} rows of ${shape.rows}`);
    return seconds;
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(floorDbFile + suffix, { force: true });
  }
}
