import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { insertRows, insertValues } from '../db/bulk';
import { selectWhere, sqliteStatement, tuplesIn } from '../db/sql';
import { IssueSeverity, OnExisting } from '../imports/enums';
import { Enrollment } from '../model/enrollment.entity';
import { isError } from '../pipeline/batch';
import type { ImportContext, PlannedRow, Row, RowDecision, RowIssue } from './define-adapter';
import { DryRunMemory, pairKey, type MemoryKey } from './dry-run-memory';
import { lockLearners, ReferenceCache, type CourseRef, type LearnerRef } from './references';

/**
 * What the statistics adapters (lesson-stats, course-stats) share. A statistic is one session
 * (attempt) of a learner at a target — an item or a course — numbered from 1 per (learner, target).
 * Adapters find the references of their rows and hand `planStatistics` one request per row;
 * it applies enrollIfNeeded and onExisting for the whole batch, and `persistStatistics` writes.
 */

/** A statistics table, sessions numbered per (learnerId, target). */
export interface StatisticTable<V extends object> {
  readonly entity: EntityTarget<ObjectLiteral>;
  /** The entity property holding the target: `itemId` or `courseId`. */
  readonly target: string;
  /** The properties a row writes: compared and kept on UPDATE. */
  readonly values: readonly (keyof V & string)[];
}

/** Where a row's statistic goes and what it writes. */
export interface StatisticTarget<V> {
  learnerId: number;
  courseId: number;
  targetId: number;
  values: V;
  /** The enrollment date of an enrollment this row creates. */
  enrolledOn: string | null;
  /** For messages. */
  learnerLogin: string;
  courseCode: string;
}

/**
 * One row as its adapter read it: the problems found so far, and its target when every reference
 * exists. planStatistics does not change `issues` (it may be one empty array shared by many rows:
 * NO_ISSUES).
 */
export interface StatisticRequest<V> {
  issues: readonly RowIssue[];
  target?: StatisticTarget<V>;
}

/** No issue: one array for every request that has none, never written to. */
export const NO_ISSUES: readonly RowIssue[] = Object.freeze([]);

/** issues and one more (a new array: requests' issues are shared). */
const plus = (issues: readonly RowIssue[], issue: RowIssue): RowIssue[] => [...issues, issue];

export interface StatisticPlan<V> {
  learnerId: number;
  targetId: number;
  session: number;
  values: V;
  /** On UPDATE of a row stored before this batch: its id and values, so that the job can be undone. */
  stored?: { id: number; previous: V };
  /** enrollIfNeeded: the enrollment to create (once per learner and course). */
  enroll?: { learnerId: number; courseId: number; enrolledOn: string | null };
}

/** In the batch's map of latest sessions: the pair has none (sessions start at 1). */
const NONE = 0;

/** The latest session of a (learner, target), as this batch knows it: its number alone, or with what UPDATE needs. */
interface Latest<V> {
  session: number;
  /** Loaded for UPDATE only. */
  values?: V;
  /** Set when that session is a row stored before this batch. */
  id?: number;
}

const names = (target: StatisticTarget<unknown>) => ({ learner: target.learnerLogin, course: target.courseCode });
const warning = (code: string, column: string | null, params: Record<string, string | number>): RowIssue => ({
  code,
  column,
  severity: IssueSeverity.WARNING,
  params,
});

/** UNKNOWN_LEARNER and UNKNOWN_COURSE for the references of a row that do not exist. */
export function unknownReferences(
  data: { user_loginid: string; crsvname: string },
  learner: LearnerRef | undefined,
  course: CourseRef | undefined,
): RowIssue[] {
  const issues: RowIssue[] = [];
  if (!learner) issues.push({ code: 'UNKNOWN_LEARNER', column: 'user_loginid', params: { value: data.user_loginid } });
  if (!course) issues.push({ code: 'UNKNOWN_COURSE', column: 'crsvname', params: { value: data.crsvname } });
  return issues;
}

/** An empty status date is the date of the import. */
export const statusDateOrImportDate = (value: string | null, ctx: ImportContext<unknown>): string => value ?? ctx.job.importDate;

/** A FUTURE_DATE warning for each date after the import date, by column. */
export function futureDates(ctx: ImportContext<unknown>, dates: Record<string, string | null>): RowIssue[] {
  const issues: RowIssue[] = [];
  for (const column in dates) {
    const value = dates[column];
    if (value !== null && value > ctx.job.importDate) issues.push(warning('FUTURE_DATE', column, { value })); // YYYY-MM-DD strings compare as dates
  }
  return issues;
}

/** The latest session of each (learner, target) of the batch, by pairKey: one GROUP BY query (and, for UPDATE, one for the rows). */
async function latestSessions<V extends object>(
  manager: EntityManager,
  table: StatisticTable<V>,
  targets: StatisticTarget<V>[],
  withValues: boolean,
): Promise<Map<MemoryKey, Latest<V> | number>> {
  const latest = new Map<MemoryKey, Latest<V> | number>();
  if (targets.length === 0) return latest;
  const metadata = manager.connection.getMetadata(table.entity);
  const targetColumn = metadata.findColumnWithPropertyName(table.target)!.databaseName;
  const q = (name: string) => manager.connection.driver.escape(name);
  // SQLite: the latest session of a pair, its number alone (null: none), a seek into the unique index.
  const sqlite = sqliteStatement(manager, `SELECT MAX(session) FROM ${q(metadata.tableName)} WHERE learner_id = ? AND ${targetColumn} = ?`, {
    pluck: true,
  });
  const latestRows: number[][] = [];
  if (sqlite) {
    for (const { learnerId, targetId } of targets) {
      const key = pairKey(learnerId, targetId);
      if (latest.has(key)) continue;
      const session = sqlite.get(learnerId, targetId) as number | null;
      latest.set(key, session ?? NONE); // NONE: asked, and there is none
      if (session !== null && withValues) latestRows.push([learnerId, targetId, session]);
    }
  } else {
    const seen = new Set<MemoryKey>();
    const pairs: number[][] = [];
    for (const { learnerId, targetId } of targets) {
      const key = pairKey(learnerId, targetId);
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push([learnerId, targetId]);
    }
    // MySQL/MariaDB: the pairs as a table joined first, a seek a pair into the unique index. An
    // IN list of thousands of pairs was at times planned as a scan of the whole index (while
    // another batch inserted), 0.2-0.45 s a batch at 1M rows; STRAIGHT_JOIN leaves no choice.
    const maxima: ObjectLiteral[] = await manager.query(
      `SELECT STRAIGHT_JOIN w.l AS ${q('learnerId')}, w.t AS ${q('targetId')}, MAX(s.session) AS ${q('session')}
       FROM JSON_TABLE(?, '$[*]' COLUMNS (l INT PATH '$[0]', t INT PATH '$[1]')) AS w
       JOIN ${q(metadata.tableName)} s ON s.learner_id = w.l AND s.${targetColumn} = w.t
       GROUP BY w.l, w.t`,
      [JSON.stringify(pairs)],
    );
    for (const row of maxima) {
      const [learnerId, targetId, session] = [Number(row.learnerId), Number(row.targetId), Number(row.session)];
      latest.set(pairKey(learnerId, targetId), session);
      latestRows.push([learnerId, targetId, session]);
    }
  }
  if (!withValues || latestRows.length === 0) return latest;
  const exact = tuplesIn(['learner_id', targetColumn, 'session'], latestRows);
  const columns = ['id', 'learnerId', table.target, 'session', ...table.values] as Array<keyof ObjectLiteral & string>;
  const stored = await selectWhere<ObjectLiteral>(manager, table.entity, columns, exact);
  for (const row of stored) {
    const key = pairKey(row.learnerId, row[table.target]);
    if (latest.get(key) === row.session) latest.set(key, { session: row.session, id: row.id, values: pick(row, table.values) });
  }
  return latest;
}

const pick = <V extends object>(row: ObjectLiteral, keys: readonly (keyof V & string)[]): V =>
  Object.fromEntries(keys.map((key) => [key, row[key]])) as V;

const sameValues = <V extends object>(table: StatisticTable<V>, a: V, b: V) => table.values.every((key) => a[key] === b[key]);

/**
 * Decides every row of a batch: NOT_ENROLLED or an enrollment (enrollIfNeeded), then the
 * session by onExisting — NEW_SESSION: latest + 1; REJECT: STATUS_EXISTS when one exists;
 * UPDATE: the latest session is overwritten (unchanged when identical), or session 1 added.
 * Rows of the batch see the rows before them; in a dry run, also what earlier batches decided.
 */
export async function planStatistics<V extends object>(
  ctx: ImportContext<unknown>,
  table: StatisticTable<V>,
  rows: Row<unknown>[],
  requests: StatisticRequest<V>[],
): Promise<RowDecision<StatisticPlan<V>>[]> {
  const { onExisting, enrollIfNeeded } = ctx.job;
  // A dry run writes no session: with NEW_SESSION every row would be added whatever sessions
  // exist, so it neither reads them nor remembers any (its memory stays the size of the
  // enrollments, not of the file's pairs). Every other case numbers sessions as an import does.
  const sessionsMatter = !(ctx.job.dryRun && onExisting === OnExisting.NEW_SESSION);
  // Sessions as numbers (or, for UPDATE, with their values), enrollments as 1.
  const memory = sessionsMatter ? DryRunMemory.of(ctx, 'statistics') : null;
  const enrolledMemory = DryRunMemory.of(ctx, 'statistics-enrollments');
  memory?.rewind(rows[0].line);
  enrolledMemory?.rewind(rows[0].line);
  const targets: StatisticTarget<V>[] = [];
  for (const request of requests) if (request.target && (request.issues.length === 0 || !request.issues.some(isError))) targets.push(request.target);
  // A dry run writes nothing: no other job needs to wait for it.
  if (!ctx.job.dryRun) await lockLearners(ctx.manager, targets.map((target) => target.learnerId));
  // What the dry run's earlier batches enrolled is not in the rolled-back database: not asked.
  const unknown = enrolledMemory ? targets.filter((target) => enrolledMemory.get(pairKey(target.learnerId, target.courseId)) !== 1) : targets;
  const enrolled = await ReferenceCache.of(ctx.state).enrolledPairs(ctx.manager, unknown);
  const latest = sessionsMatter ? await latestSessions(ctx.manager, table, targets, onExisting === OnExisting.UPDATE) : new Map<MemoryKey, Latest<V> | number>();
  if (memory) {
    for (const { learnerId, targetId } of targets) {
      const key = pairKey(learnerId, targetId);
      const remembered = memory.get(key) as number | Latest<V> | undefined;
      // Newer than the rolled-back database.
      if (remembered !== undefined) latest.set(key, remembered);
    }
  }

  const decisions: RowDecision<StatisticPlan<V>>[] = new Array(requests.length);
  for (let index = 0; index < requests.length; index++) {
    const { target } = requests[index];
    let issues = requests[index].issues as RowIssue[];
    if (!target || (issues.length > 0 && issues.some(isError))) {
      decisions[index] = { action: 'reject', issues };
      continue;
    }
    const { learnerId, courseId, targetId, values } = target;
    const line = rows[index].line;
    const enrollment = pairKey(learnerId, courseId);
    const isEnrolled = enrolled.has(enrollment) || enrolledMemory?.get(enrollment) === 1;
    const key = pairKey(learnerId, targetId);
    // The latest session: a number alone, or with what UPDATE needs.
    const found = latest.get(key);
    const current = typeof found === 'number' ? undefined : found;
    const currentSession = typeof found === 'number' ? (found === NONE ? undefined : found) : found?.session;

    let refused = false;
    if (!isEnrolled && !enrollIfNeeded) {
      issues = plus(issues, { code: 'NOT_ENROLLED', column: 'crsvname', params: names(target) });
      refused = true;
    }
    if (currentSession !== undefined && onExisting === OnExisting.REJECT) {
      issues = plus(issues, { code: 'STATUS_EXISTS', column: null });
      refused = true;
    }
    if (refused) {
      decisions[index] = { action: 'reject', issues };
      continue;
    }
    const updating = currentSession !== undefined && onExisting === OnExisting.UPDATE;
    // A row that needs an enrollment writes it, so it is not "unchanged" even with identical values.
    if (updating && isEnrolled && current?.values && sameValues(table, current.values, values)) {
      decisions[index] = { action: 'unchanged', issues };
      continue;
    }

    const session = updating ? currentSession : (currentSession ?? 0) + 1;
    const plan: StatisticPlan<V> = { learnerId, targetId, session, values };
    if (updating && current?.id !== undefined && current.values) plan.stored = { id: current.id, previous: current.values };
    if (!isEnrolled) {
      plan.enroll = { learnerId, courseId, enrolledOn: target.enrolledOn };
      issues = plus(issues, warning('ENROLLED', 'crsvname', names(target)));
      enrolled.add(enrollment);
      enrolledMemory?.set(line, enrollment, 1);
    }
    if (!sessionsMatter) {
      // The plan's session is never written (dry run): nothing to number.
    } else if (onExisting === OnExisting.UPDATE) {
      latest.set(key, { session, values, id: updating ? current?.id : undefined });
      memory?.set(line, key, { session, values });
    } else {
      latest.set(key, session);
      memory?.set(line, key, session);
    }
    decisions[index] = { action: updating ? 'update' : 'add', plan, issues };
  }
  return decisions;
}

/**
 * Writes a batch: the enrollments it needs, its new sessions (multi-row inserts), then its
 * updates — after the inserts, since a row may update a session added earlier in the batch.
 * Database errors are not caught: a unique-key race makes the core retry the batch.
 */
export async function persistStatistics<V extends object>(
  ctx: ImportContext<unknown>,
  table: StatisticTable<V>,
  rows: PlannedRow<unknown, StatisticPlan<V>>[],
): Promise<void> {
  const { manager } = ctx;
  const jobId = ctx.job.id;
  const enrollments: Partial<Enrollment>[] = [];
  for (const { plan, row } of rows) if (plan.enroll) enrollments.push({ ...plan.enroll, role: 'S', available: true, createdJobId: jobId, createdLine: row.line });
  await insertRows(manager, Enrollment, enrollments);
  // New sessions as arrays of values (no object a row): learner, target, session, values, job, line.
  const properties = ['learnerId', table.target, 'session', ...table.values, 'createdJobId', 'createdLine'];
  const inserts: unknown[][] = [];
  const width = properties.length;
  const keys = table.values;
  for (const { action, plan, row } of rows) {
    if (action !== 'add') continue;
    const values: unknown[] = new Array(width);
    values[0] = plan.learnerId;
    values[1] = plan.targetId;
    values[2] = plan.session;
    for (let k = 0; k < keys.length; k++) values[3 + k] = plan.values[keys[k]];
    values[width - 2] = jobId;
    values[width - 1] = row.line;
    inserts.push(values);
  }
  await insertValues(manager, table.entity, properties, inserts);
  const tableName = manager.connection.getMetadata(table.entity).tableName;
  for (const { action, plan, row } of rows) {
    if (action !== 'update') continue;
    if (plan.stored) ctx.keepPreviousValues(tableName, plan.stored.id, { ...plan.stored.previous } as Record<string, unknown>, row.line);
    const where = { learnerId: plan.learnerId, [table.target]: plan.targetId, session: plan.session };
    await manager.update(table.entity, where, { ...plan.values, updatedJobId: jobId });
  }
}
