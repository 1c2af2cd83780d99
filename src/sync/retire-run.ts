import { In, type EntityManager, type ObjectLiteral } from 'typeorm';
import type { AnyAdapter } from '../adapters/define-adapter';
import { insertRows } from '../db/bulk';
import { renderMessage } from '../i18n/messages';
import { ImportStatus, IssueSeverity } from '../imports/enums';
import { ImportIssue } from '../imports/import-issue.entity';
import type { ImportJob } from '../imports/import-job.entity';
import { RowVersion } from '../model/row-version.entity';
import type { RunnerDeps } from '../pipeline/import-runner';
import { updateLeased } from '../pipeline/lease';
import { withRetry } from '../pipeline/retry';
import { bumpGeneration } from '../undo/fence';
import { dataEntities } from '../undo/undo-tables';
import { SyncKey } from './sync-key.entity';
import { syncTables, type SyncTableRule } from './sync-tables';

/** changeThreshold when runImport gives none: a sync never retires more than this percentage by accident. */
export const DEFAULT_CHANGE_THRESHOLD = 10;

/** Marks, in a row version's previous values, a retirement (`$retired`) or a removed row (`$deleted`: the row whole). */
export const RETIRED_MARK = '$retired';
export const DELETED_MARK = '$deleted';

/** Rows a batch retires: ids go into IN lists. */
const MAX_BATCH = 500;

type Counted = Pick<ImportJob, 'retired' | 'restored' | 'errors' | 'warnings'>;

/** How many rows of a table the data set has (before this job's adds), and how many the file no longer has. */
interface Census {
  rule: SyncTableRule;
  total: number;
  absent: number;
}

/**
 * The end of a sync import (mode SNAPSHOT), once its file is read and committed: the rows of its
 * data set — last written by its jobs — whose keys no record of the file had are retired, in
 * batches committed with the counters; rows an earlier sync retired that are back in the file
 * are made available again (`restored`). If a table's retirements exceed changeThreshold percent
 * of the data set's rows of that table, none is applied: CHANGE_THRESHOLD_EXCEEDED. A dry run
 * counts and reports, and changes nothing. Each retirement keeps the row's previous values (the
 * whole row when it is removed), so that the job can be undone. Run again after a restart it
 * goes on: retired rows are no longer candidates, and the census of the rest passes the threshold
 * again.
 */
export class RetireRun {
  private readonly batchSize: number;
  private readonly dataSet: string;
  private readonly rules: SyncTableRule[];

  constructor(
    private readonly deps: RunnerDeps,
    private readonly job: ImportJob,
    adapter: AnyAdapter,
    private readonly signal: AbortSignal,
  ) {
    this.batchSize = Math.min(MAX_BATCH, deps.config.BATCH_SIZE);
    this.dataSet = job.dataSet!;
    const tables = [...new Set((adapter.sync?.scopes ?? []).map((scope) => scope.table))];
    this.rules = tables.map((table) => syncTables[table]);
  }

  /** False when stopped first (cancel, shutdown): run again, it goes on. */
  async execute(): Promise<boolean> {
    if (this.job.syncPhase !== null) return true;
    const threshold = this.job.changeThreshold ?? DEFAULT_CHANGE_THRESHOLD;
    const census = await this.deps.store.read((m) => Promise.all(this.rules.map((rule) => this.census(m, rule))));
    const exceeded = census.filter(({ total, absent }) => absent * 100 > threshold * total);
    if (exceeded.length > 0) {
      const issues = exceeded.map(({ rule, total, absent }) =>
        this.issue('CHANGE_THRESHOLD_EXCEEDED', IssueSeverity.ERROR, {
          table: rule.table,
          count: absent,
          total,
          percent: Math.round((absent / total) * 1000) / 10,
          threshold,
          dataSet: this.dataSet,
        }),
      );
      await this.commit(issues, { syncPhase: 'EXCEEDED' });
      return true;
    }
    for (const rule of this.rules) if (!(await this.each(rule, 'retire'))) return false;
    for (const rule of this.rules) if (!(await this.each(rule, 'revive'))) return false;
    await this.commit([], { syncPhase: 'DONE' });
    return true;
  }

  /** The rows last written by a job of the data set (an undone job's are given back). */
  private owned(): string {
    return `COALESCE(r.updated_job_id, r.created_job_id) IN (SELECT j.id FROM import_jobs j WHERE j.data_set = ? AND j.dry_run = 0 AND j.status <> '${ImportStatus.UNDONE}')`;
  }

  /** Whether the file had the row's key: `NOT` for the rows it no longer has. */
  private inFile(rule: SyncTableRule): string {
    return `EXISTS (SELECT 1 FROM import_sync_keys s ${rule.key.join} WHERE s.job_id = ? AND s.scope = '${rule.table}' AND ${rule.key.on})`;
  }

  private async census(m: EntityManager, rule: SyncTableRule): Promise<Census> {
    const J = this.job.id;
    const [row]: ObjectLiteral[] = await m.query(
      `SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN NOT ${this.inFile(rule)} THEN 1 ELSE 0 END), 0) AS absent
       FROM ${rule.table} r WHERE ${this.owned()} AND ${rule.active} AND (r.created_job_id IS NULL OR r.created_job_id <> ?)`,
      [J, this.dataSet, J],
    );
    return { rule, total: Number(row.total), absent: Number(row.absent) };
  }

  /**
   * Every row of a table to retire (the data set's, not in the file) or to bring back (retired
   * by an earlier sync of the data set, in the file again), batch by batch.
   */
  private async each(rule: SyncTableRule, what: 'retire' | 'revive'): Promise<boolean> {
    const J = this.job.id;
    const label = rule.label.map((column, i) => `${column.sql} AS k${i}`).join(', ');
    const kept = rule.keptIf ? `, CASE WHEN ${rule.keptIf} THEN 1 ELSE 0 END AS kept` : '';
    // Retired by an earlier sync: inactive, last written by a job of the data set whose version of the row marks a retirement.
    const where =
      what === 'retire'
        ? `${this.owned()} AND ${rule.active} AND NOT ${this.inFile(rule)}`
        : `r.${rule.flag} = 0 AND r.updated_job_id <> ? AND ${this.owned()} AND ${this.inFile(rule)}
           AND EXISTS (SELECT 1 FROM import_row_versions v WHERE v.table_name = '${rule.table}' AND v.row_id = r.id AND v.job_id = r.updated_job_id AND v.previous LIKE '%"${RETIRED_MARK}":true%')`;
    const params = what === 'retire' ? [this.dataSet, J] : [J, this.dataSet, J];
    let after = 0;
    for (;;) {
      if (this.signal.aborted) return false;
      const done = await withRetry(() =>
        this.deps.store.transaction(async (m) => {
          // A retirement may delete rows other imports remember (enrollments): fenced like an undo batch (src/undo/fence.ts).
          if (!this.job.dryRun && what === 'retire') await bumpGeneration(m);
          const rows: ObjectLiteral[] = await m.query(
            `SELECT r.id AS id, ${label}${kept} FROM ${rule.table} r WHERE ${where} AND r.id > ? ORDER BY r.id LIMIT ?`,
            [...params, after, this.batchSize],
          );
          if (rows.length === 0) return { last: after, ended: true, update: null };
          const issues = what === 'retire' ? await this.retire(m, rule, rows) : await this.revive(m, rule, rows);
          const update = await this.write(m, issues, {}, what === 'retire' ? { retired: rows.length } : { restored: rows.length });
          return { last: Number(rows.at(-1)!.id), ended: rows.length < this.batchSize, update };
        }),
      );
      if (done.update) Object.assign(this.job, done.update);
      this.deps.bus.publish({ ...this.job });
      if (done.ended) return true;
      after = done.last;
      await new Promise((resolve) => setImmediate(resolve)); // let requests (and a cancel) in between batches
    }
  }

  private keyOf(rule: SyncTableRule, row: ObjectLiteral): string {
    return rule.label.map((column, i) => `${column.name} ${row[`k${i}`]}`).join(', ');
  }

  private async retire(m: EntityManager, rule: SyncTableRule, rows: ObjectLiteral[]): Promise<Partial<ImportIssue>[]> {
    const entity = dataEntities[rule.table];
    const removed = rule.keptIf ? rows.filter((row) => Number(row.kept) === 0).map((row) => Number(row.id)) : [];
    const flagged = rows.map((row) => Number(row.id)).filter((id) => !removed.includes(id));
    if (!this.job.dryRun) {
      const jobId = this.job.id;
      const versions: Partial<RowVersion>[] = flagged.map((rowId) => ({ jobId, tableName: rule.table, rowId, previous: { [rule.flag]: true, [RETIRED_MARK]: true } }));
      if (removed.length > 0) {
        const whole = await m.find(entity, { where: { id: In(removed) } });
        for (const row of whole) versions.push({ jobId, tableName: rule.table, rowId: row.id as number, previous: { [DELETED_MARK]: { ...row } } });
        await m.delete(entity, { id: In(removed) });
      }
      if (flagged.length > 0) await m.update(entity, { id: In(flagged) }, { [rule.flag]: false, updatedJobId: jobId });
      await insertRows(m, RowVersion, versions);
    }
    const codeOf = (row: ObjectLiteral) =>
      rule.keptIf ? (Number(row.kept) === 0 ? 'RETIRED_REMOVED' : 'RETIRED_UNAVAILABLE') : rule.flag === 'active' ? 'RETIRED_INACTIVE' : 'RETIRED_UNAVAILABLE';
    return rows.map((row) =>
      this.issue(codeOf(row), IssueSeverity.WARNING, {
        table: rule.table,
        key: this.keyOf(rule, row),
        dataSet: this.dataSet,
      }),
    );
  }

  private async revive(m: EntityManager, rule: SyncTableRule, rows: ObjectLiteral[]): Promise<Partial<ImportIssue>[]> {
    const ids = rows.map((row) => Number(row.id));
    if (!this.job.dryRun) {
      const jobId = this.job.id;
      await insertRows(m, RowVersion, ids.map((rowId) => ({ jobId, tableName: rule.table, rowId, previous: { [rule.flag]: false } })));
      await m.update(dataEntities[rule.table], { id: In(ids) }, { [rule.flag]: true, updatedJobId: jobId });
    }
    return rows.map((row) => this.issue('RETIRED_BACK', IssueSeverity.WARNING, { table: rule.table, key: this.keyOf(rule, row), dataSet: this.dataSet }));
  }

  private issue(code: string, severity: IssueSeverity, params: Record<string, string | number>): Partial<ImportIssue> {
    return { jobId: this.job.id, line: null, column: null, severity, code, params, message: renderMessage(code, params, 'en') };
  }

  /** Issues and counters (and `values`) committed under the job's lease in a transaction of their own. */
  private async commit(issues: Partial<ImportIssue>[], values: Pick<Partial<ImportJob>, 'syncPhase'>): Promise<void> {
    const update = await this.deps.store.transaction((m) => this.write(m, issues, values));
    Object.assign(this.job, update);
  }

  /** Writes issues and counters (and `values`) under the job's lease; the job takes them once committed. */
  private async write(m: EntityManager, issues: Partial<ImportIssue>[], values: Pick<Partial<ImportJob>, 'syncPhase'>, more: Partial<Counted> = {}): Promise<Partial<Pick<ImportJob, 'syncPhase' | keyof Counted>>> {
    const { job } = this;
    const update = {
      ...values,
      retired: job.retired + (more.retired ?? 0),
      restored: job.restored + (more.restored ?? 0),
      errors: job.errors + issues.filter((issue) => issue.severity === IssueSeverity.ERROR).length,
      warnings: job.warnings + issues.filter((issue) => issue.severity === IssueSeverity.WARNING).length,
    };
    await insertRows(m, ImportIssue, issues);
    await updateLeased(m, job, update);
    // The file's keys are needed no more once the retirements are decided.
    if (values.syncPhase) await m.delete(SyncKey, { jobId: job.id });
    return update;
  }
}
