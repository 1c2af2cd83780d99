import { In, LessThan, type EntityManager, type ObjectLiteral } from 'typeorm';
import { chunks, insertRows } from '../db/bulk';
import { ImportStatus, IssueSeverity, UndoConflicts } from '../imports/enums';
import { ImportIssue } from '../imports/import-issue.entity';
import { ImportJob, undoCounterNames, type UndoCounters, type UndoCursor } from '../imports/import-job.entity';
import { renderMessage } from '../i18n/messages';
import { RowVersion } from '../model/row-version.entity';
import type { RunnerDeps } from '../pipeline/import-runner';
import { updateLeased } from '../pipeline/lease';
import { withRetry } from '../pipeline/retry';
import { bumpGeneration } from './fence';
import { dataEntities, deleteSteps, keysOf, type DeleteStep } from './undo-tables';
import { DELETED_MARK } from '../sync/retire-run';

/** How an undo run ended: done, stopped (cancel, shutdown), or refused (REFUSE and conflicts: nothing changed). */
export type UndoEnd = 'completed' | 'stopped' | 'refused';

/** A row's previous values without the marks a sync puts in them. */
const withoutMarks = (previous: Record<string, unknown>) => Object.fromEntries(Object.entries(previous).filter(([name]) => !name.startsWith('$')));

/** A removed row as it was stored (its dates were JSON strings in the version). */
const revived = (row: Record<string, unknown>) => ({ ...row, createdAt: new Date(String(row.createdAt)), updatedAt: new Date(String(row.updatedAt)) });

/** Rows a batch looks at: ids go into IN lists. */
const MAX_BATCH = 500;

/** `line`: the undone import's line the row came from (null: written before lines were kept). */
type Issue = { code: string; severity: IssueSeverity; params: Record<string, string | number>; line: number | null };

/** What a batch decided and did. */
interface BatchResult {
  counters: UndoCounters;
  issues: Issue[];
  /** The last key the batch covered; null: the step is done. */
  after: UndoCursor['after'];
}

const countersOf = (job: ImportJob): UndoCounters => Object.fromEntries(undoCounterNames.map((name) => [name, job[name]])) as UndoCounters;

/**
 * One execution of an undo job over the rows its import wrote: the rows it added deleted
 * (children before parents), then the rows it updated given back their previous values. Each
 * batch commits with the job's checkpoint (undoCursor) under the lease, so a restart goes on
 * from there. REFUSE and dry runs first scan every row without changing any: REFUSE applies only
 * when the scan found no conflict.
 */
export class UndoRun {
  private readonly batchSize: number;
  private readonly undone: number;
  private readonly mode: UndoConflicts;
  /** The pass under way is a scan: it changes no row. */
  private scanning = false;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly job: ImportJob,
    private readonly signal: AbortSignal,
  ) {
    this.batchSize = Math.min(MAX_BATCH, deps.config.BATCH_SIZE);
    this.undone = job.undoesJobId!;
    this.mode = job.undoConflicts ?? UndoConflicts.REFUSE;
  }

  async execute(): Promise<UndoEnd> {
    const { job } = this;
    const scanFirst = job.dryRun || this.mode === UndoConflicts.REFUSE;
    let cursor: UndoCursor = job.undoCursor ?? { pass: scanFirst ? 'scan' : 'apply', step: 0, after: null };
    if (cursor.pass === 'scan') {
      if (!(await this.pass(cursor))) return 'stopped';
      if (job.dryRun) return 'completed';
      if (job.conflicts > 0) {
        // Nothing was changed: every row the scan would have undone is left as it is.
        await this.update({ unchanged: job.processed - job.conflicts, deleted: 0, restored: 0 });
        return 'refused';
      }
      // No conflict: the undo itself, its counters from zero (the scan wrote no issue).
      cursor = { pass: 'apply', step: 0, after: null };
      await this.update({ ...Object.fromEntries(undoCounterNames.map((name) => [name, 0])), undoCursor: cursor });
    }
    return (await this.pass(cursor)) ? 'completed' : 'stopped';
  }

  private async update(values: Partial<UndoCounters> & { undoCursor?: UndoCursor }): Promise<void> {
    await this.deps.store.transaction((m) => updateLeased(m, this.job, values));
    Object.assign(this.job, values);
  }

  /** The steps from the cursor to the end; false when stopped first. */
  private async pass(start: UndoCursor): Promise<boolean> {
    const steps = deleteSteps.length + 1;
    let cursor = start;
    this.scanning = start.pass === 'scan';
    while (cursor.step < steps) {
      if (this.signal.aborted) return false;
      const { step } = cursor;
      // A deadlock or lock wait timeout (MySQL): the batch again, from the same checkpoint.
      const update = await withRetry(() => this.deps.store.transaction(async (m) => {
        // Before anything is read: the import batches in flight commit first, the next ones wait (see fence.ts).
        if (this.writing) await bumpGeneration(m);
        const result = step < deleteSteps.length ? await this.deleteBatch(m, deleteSteps[step], cursor) : await this.restoreBatch(m, cursor);
        const next: UndoCursor = result.after === null ? { pass: cursor.pass, step: step + 1, after: null } : { ...cursor, after: result.after };
        const counters = countersOf(this.job);
        for (const name of undoCounterNames) counters[name] += result.counters[name];
        const issues = result.issues.map((issue) => ({
          jobId: this.job.id,
          column: null,
          ...issue,
          message: renderMessage(issue.code, issue.params, 'en'),
        }));
        for (const issue of issues) counters[issue.severity === IssueSeverity.ERROR ? 'errors' : 'warnings']++;
        await insertRows(m, ImportIssue, issues);
        const values = {
          ...counters,
          // A failed undo that committed batches can be resumed (resumeImport); a refused one cannot.
          recordsDone: cursor.pass === 'apply' ? counters.processed : 0,
          undoCursor: next,
          progress: Math.min(0.99, (next.step / steps) * (cursor.pass === 'scan' && !this.job.dryRun ? 0.5 : 1)),
        };
        await updateLeased(m, this.job, values);
        return values;
      }));
      Object.assign(this.job, update);
      cursor = update.undoCursor;
      this.deps.bus.publish({ ...this.job });
      await new Promise((resolve) => setImmediate(resolve)); // let requests (and a cancel) in between batches (SQLite answers synchronously)
    }
    return true;
  }

  private get writing(): boolean {
    return !this.job.dryRun && !this.scanning;
  }

  private newCounters(): UndoCounters {
    return Object.fromEntries(undoCounterNames.map((name) => [name, 0])) as UndoCounters;
  }

  /**
   * A batch of the rows the job added to one table: deleted, unless another job changed them
   * since (a conflict, but for FORCE) or something still refers to them (always a conflict:
   * never a broken reference, never a gap in the sessions).
   */
  private async deleteBatch(m: EntityManager, step: DeleteStep, cursor: UndoCursor): Promise<BatchResult> {
    const J = this.undone;
    const write = this.writing;
    const after = typeof cursor.after === 'number' ? cursor.after : 0;
    const q = (name: string) => m.connection.driver.escape(name);
    const table = q(step.table);
    const notForce = this.mode === UndoConflicts.FORCE ? '1 = 0' : '1 = 1';
    // A referencing row keeps the row: any other job's; one of this job's only if it stays too.
    // While rows are deleted, this job's children that remain are those that stay (they were
    // done first); a scan deletes nothing, so it tells them apart by their own conflict.
    const staysIf = (alias: string) =>
      `(${alias}.created_job_id IS NULL OR ${alias}.created_job_id <> ${J} OR (${notForce} AND ${alias}.updated_job_id IS NOT NULL AND ${alias}.updated_job_id <> ${J}))`;
    const sessions = step.references.length === 1 && step.references[0].what === 'a later session';
    const refs = step.references
      .map((reference, i) => {
        const keeps = write && !sessions ? () => '1 = 1' : reference.alsoKept ? (c: string) => `(${staysIf(c)} OR ${reference.alsoKept!(c, J)})` : staysIf;
        return `${reference.sql(keeps)} AS ref${i}`;
      })
      .join(', ');
    const keys = step.key.map((column, i) => `${column.sql} AS k${i}`).join(', ');
    const rows: ObjectLiteral[] = await m.query(
      `SELECT r.id AS id, r.updated_job_id AS upd, r.created_line AS line, ${keys}, ${refs} FROM ${table} r WHERE r.created_job_id = ? AND r.id > ? ORDER BY r.id LIMIT ?`,
      [J, after, this.batchSize],
    );
    const result: BatchResult = { counters: this.newCounters(), issues: [], after: rows.length < this.batchSize ? null : Number(rows.at(-1)!.id) };
    const doomed: number[] = [];
    for (const row of rows) {
      result.counters.processed++;
      const key = step.key.map((column, i) => `${column.name} ${row[`k${i}`]}`).join(', ');
      const referenced = step.references.findIndex((_, i) => row[`ref${i}`] !== null && row[`ref${i}`] !== undefined);
      const params = { table: step.table, id: Number(row.id), key };
      const line = row.line === null || row.line === undefined ? null : Number(row.line);
      if (referenced >= 0) {
        const by = Number(row[`ref${referenced}`]);
        result.counters.conflicts++;
        result.issues.push({ code: 'UNDO_REFERENCED', severity: IssueSeverity.ERROR, line, params: { ...params, what: step.references[referenced].what, job: by || '?' } });
        continue;
      }
      const changedBy = row.upd === null ? null : Number(row.upd);
      if (changedBy !== null && changedBy !== J) {
        if (this.mode !== UndoConflicts.FORCE) {
          result.counters.conflicts++;
          result.issues.push({ code: 'UNDO_CHANGED', severity: IssueSeverity.ERROR, line, params: { ...params, job: changedBy } });
          continue;
        }
        result.issues.push({ code: 'UNDO_FORCED', severity: IssueSeverity.WARNING, line, params: { ...params, job: changedBy } });
      }
      result.counters.deleted++;
      doomed.push(Number(row.id));
    }
    if (write) for (const ids of chunks(doomed, MAX_BATCH)) await m.delete(dataEntities[step.table], { id: In(ids) });
    return result;
  }

  /**
   * The job that took the place of a removed row since (an enrollment of the same learner and
   * course made again), or the learner or course it referred to being gone ('?'); null when it can go back.
   */
  private async takenSince(m: EntityManager, tableName: string, removed: Record<string, unknown>): Promise<number | string | null> {
    if (tableName !== 'enrollments') return null;
    const [learner, course]: ObjectLiteral[][] = await Promise.all([
      m.query('SELECT id FROM learners WHERE id = ?', [removed.learnerId]),
      m.query('SELECT id FROM courses WHERE id = ?', [removed.courseId]),
    ]);
    if (learner.length === 0 || course.length === 0) return '?';
    const [other]: ObjectLiteral[] = await m.query('SELECT created_job_id AS job FROM enrollments WHERE learner_id = ? AND course_id = ?', [removed.learnerId, removed.courseId]);
    return other ? (other.job === null ? '?' : Number(other.job)) : null;
  }

  /** Each row's key as messages show it (`learner ann, course C1`). */
  private async keysOf(m: EntityManager, tableName: string, ids: number[]): Promise<Map<number, string>> {
    const columns = keysOf[tableName];
    const select = columns.map((column, i) => `${column.sql} AS k${i}`).join(', ');
    const rows: ObjectLiteral[] = await m.query(`SELECT r.id AS id, ${select} FROM ${m.connection.driver.escape(tableName)} r WHERE r.id IN (${ids.map(Number).join(', ')})`);
    return new Map(rows.map((row) => [Number(row.id), columns.map((column, i) => `${column.name} ${row[`k${i}`]}`).join(', ')]));
  }

  /**
   * A batch of the job's row versions, newest first: each row it updated gets back the values
   * it had before the job (the oldest of the job's versions of each column), and the job that
   * wrote it before — unless another job changed it since (a conflict, but for FORCE).
   */
  private async restoreBatch(m: EntityManager, cursor: UndoCursor): Promise<BatchResult> {
    const J = this.undone;
    const below = typeof cursor.after === 'number' ? cursor.after : null;
    const versions = await m.find(RowVersion, {
      select: { id: true, tableName: true, rowId: true },
      where: below === null ? { jobId: J } : { jobId: J, id: LessThan(below) },
      order: { id: 'DESC' },
      take: this.batchSize,
    });
    const result: BatchResult = { counters: this.newCounters(), issues: [], after: versions.length < this.batchSize ? null : versions.at(-1)!.id };
    if (versions.length === 0) return result;
    const top = versions[0].id;
    const byTable = new Map<string, Set<number>>();
    for (const version of versions) {
      const ids = byTable.get(version.tableName) ?? new Set<number>();
      ids.add(version.rowId);
      byTable.set(version.tableName, ids);
    }
    for (const [tableName, idSet] of byTable) {
      const entity = dataEntities[tableName];
      if (!entity) throw new Error(`row versions of an unknown table ${tableName}`);
      const ids = [...idSet];
      const all = await m.find(RowVersion, { where: { jobId: J, tableName, rowId: In(ids) }, order: { id: 'DESC' } });
      // The line of each row's latest version: the one its values come from.
      const merged = new Map<number, { latest: number; line: number | null; previous: Record<string, unknown> }>();
      for (const version of all) {
        const entry = merged.get(version.rowId) ?? { latest: version.id, line: version.line, previous: {} };
        Object.assign(entry.previous, version.previous); // newest first: the oldest value of each column wins
        merged.set(version.rowId, entry);
      }
      const current = new Map(
        (await m.find(entity, { select: { id: true, createdJobId: true, updatedJobId: true }, where: { id: In(ids) } })).map((row) => [row.id as number, row]),
      );
      const before: Array<{ rowId: number; jobId: number | string }> = await m
        .createQueryBuilder(RowVersion, 'v')
        .innerJoin(ImportJob, 'j', 'j.id = v.jobId')
        .select('v.rowId', 'rowId')
        .addSelect('MAX(v.jobId)', 'jobId')
        .where('v.tableName = :tableName AND v.rowId IN (:...ids) AND v.jobId < :J AND j.status <> :undone', { tableName, ids, J, undone: ImportStatus.UNDONE })
        .groupBy('v.rowId')
        .getRawMany();
      const writerBefore = new Map(before.map((row) => [Number(row.rowId), Number(row.jobId)]));
      const updates = new Map<string, { values: Record<string, unknown>; ids: number[] }>();
      const reported: Array<{ rowId: number; issue: Issue }> = [];
      for (const rowId of ids) {
        const entry = merged.get(rowId)!;
        if (entry.latest > top) continue; // restored by an earlier batch (its newest version came first)
        const row = current.get(rowId);
        if (row?.createdJobId === J) continue; // added by the job: deleted (or kept as a conflict) with its table
        result.counters.processed++;
        const params = { table: tableName, id: rowId, key: `id ${rowId}` };
        const removed = entry.previous[DELETED_MARK] as Record<string, unknown> | undefined;
        if (removed) {
          // Removed by the job (a sync's retirement): put back as it was, unless its place was taken since.
          const taken = await this.takenSince(m, tableName, removed);
          if (row || taken) {
            result.counters.conflicts++;
            result.issues.push({ code: 'UNDO_CHANGED', severity: IssueSeverity.ERROR, line: entry.line, params: { ...params, job: taken ?? row?.createdJobId ?? '?' } });
            continue;
          }
          result.counters.restored++;
          if (this.writing) await m.insert(entity, revived(removed));
          continue;
        }
        if (!row) {
          result.counters.conflicts++;
          result.issues.push({ code: 'UNDO_GONE', severity: IssueSeverity.ERROR, line: entry.line, params });
          continue;
        }
        if (row.updatedJobId !== J) {
          const job = row.updatedJobId ?? '?';
          if (this.mode !== UndoConflicts.FORCE) {
            result.counters.conflicts++;
            reported.push({ rowId, issue: { code: 'UNDO_CHANGED', severity: IssueSeverity.ERROR, line: entry.line, params: { ...params, job } } });
            continue;
          }
          reported.push({ rowId, issue: { code: 'UNDO_FORCED', severity: IssueSeverity.WARNING, line: entry.line, params: { ...params, job } } });
        }
        result.counters.restored++;
        const values = { ...withoutMarks(entry.previous), updatedJobId: writerBefore.get(rowId) ?? null };
        const group = updates.get(JSON.stringify(values)) ?? { values, ids: [] as number[] };
        group.ids.push(rowId);
        updates.set(JSON.stringify(values), group);
      }
      if (reported.length > 0) {
        // Named by their logins and codes, like the rows the job added.
        const keys = await this.keysOf(m, tableName, reported.map((entry) => entry.rowId));
        for (const { rowId, issue } of reported) result.issues.push({ ...issue, params: { ...issue.params, key: keys.get(rowId) ?? `id ${rowId}` } });
      }
      if (!this.writing) continue;
      // One UPDATE per distinct set of values (few: the same flag given back to many rows), not one a row.
      for (const { values, ids: group } of updates.values()) await m.update(entity, { id: In(group) }, values);
    }
    return result;
  }
}
