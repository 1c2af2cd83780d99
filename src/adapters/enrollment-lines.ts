import { In, type EntityManager } from 'typeorm';
import type { ImportContext, PlannedRow, Row, RowDecision, RowIssue } from './define-adapter';
import { DryRunMemory } from './dry-run-memory';
import { coursesByCode, enrollmentKey, enrollmentsByKey, learnersByLogin, lockLearners } from './references';
import { chunks, insertRows } from '../db/bulk';
import { IssueSeverity, OnExisting } from '../imports/enums';
import { Enrollment } from '../model/enrollment.entity';
import type { EnrollmentRole } from '../model/codes';

/**
 * The resolve and persist steps of an adapter whose every line states one enrollment as another
 * LMS holds it (Moodle's flat file, Canvas's SIS enrollments.csv): add it, change its role or
 * availability, or end it. Ending never deletes: the enrollment is made unavailable, so that the
 * learner's statistics in the course keep their enrollment (its role stays).
 */
export interface EnrollmentLine {
  learner: string;
  course: string;
  role: EnrollmentRole;
  /** The line ends the enrollment (Moodle `del`, Canvas `deleted`). */
  ends: boolean;
  /** Otherwise: whether the enrollment is available. */
  available: boolean;
}

export interface EnrollmentLineSpec<R> {
  /** The adapter's name (what a dry run remembers is kept under it). */
  adapter: string;
  /** The adapter's columns the issues point at. */
  columns: { learner: string; course: string; role: string; state: string };
  line(row: R): EnrollmentLine;
}

export type EnrollmentValues = Pick<Enrollment, 'role' | 'available'>;

/** What persist writes for one row. */
export interface EnrollmentPlan {
  learnerId: number;
  courseId: number;
  values: EnrollmentValues;
  /** Set when the enrollment is in the database; absent when an earlier row of the batch adds it. */
  id?: number;
  previous?: Partial<EnrollmentValues>;
}

/** Rows per `IN (...)`: well under SQLite's and MySQL's placeholder limits. */
const CHUNK = 500;

const yn = (flag: boolean) => (flag ? 'Y' : 'N');

/** Wanted values that differ from the current ones, with the current ones. */
function differences(current: EnrollmentValues, values: Partial<EnrollmentValues>): Partial<EnrollmentValues> {
  const previous: Partial<EnrollmentValues> = {};
  if (values.role !== undefined && values.role !== current.role) previous.role = current.role;
  if (values.available !== undefined && values.available !== current.available) previous.available = current.available;
  return previous;
}

/** One UPDATE per distinct set of values (a few per batch), not one per row. */
async function updateGrouped(manager: EntityManager, finalValues: Map<number, EnrollmentValues>, jobId: number): Promise<void> {
  const groups = new Map<string, { values: EnrollmentValues; ids: number[] }>();
  for (const [id, values] of finalValues) {
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  }
  for (const { values, ids } of groups.values()) {
    for (const part of chunks(ids, CHUNK)) await manager.update(Enrollment, { id: In(part) }, { ...values, updatedJobId: jobId });
  }
}


function enrollmentExists(line: EnrollmentLine, state: string, previous: Partial<EnrollmentValues>, values: EnrollmentValues): RowIssue {
  // [the column the change comes from, what changes, from, to]
  const changes: Array<[string, string, string, string]> = [];
  if (previous.role !== undefined) changes.push(['role', 'role', previous.role, values.role]);
  if (previous.available !== undefined) changes.push([state, 'available', yn(previous.available), yn(values.available)]);
  return {
    code: 'ENROLLMENT_EXISTS',
    column: changes[0][0],
    params: { learner: line.learner, course: line.course, changes: changes.map(([, what, from, to]) => `${what} ${from} → ${to}`).join(', ') },
  };
}

export function enrollmentLines<R>(spec: EnrollmentLineSpec<R>) {
  const { columns } = spec;
  return {
    async resolve(rows: Row<R>[], ctx: ImportContext<unknown>): Promise<RowDecision<EnrollmentPlan>[]> {
    if (rows.length === 0) return [];
    const lines = rows.map((row) => spec.line(row.data));
    const learners = await learnersByLogin(ctx.manager, lines.map((line) => line.learner));
    const courses = await coursesByCode(ctx.manager, lines.map((line) => line.course));
    const pairs = lines.flatMap((data) => {
      const learner = learners.get(data.learner);
      const course = courses.get(data.course);
      return learner && course ? [{ learnerId: learner.id, courseId: course.id }] : [];
    });
    await lockLearners(ctx.manager, pairs.map((pair) => pair.learnerId));
    const stored = await enrollmentsByKey(ctx.manager, pairs);
    // A dry run writes nothing: what earlier batches would have written is remembered instead.
    const dry = DryRunMemory.of(ctx, spec.adapter);
    dry?.rewind(rows[0].line);
    // What earlier rows of this batch decided: a later row for the same pair sees them.
    const now = new Map<string, { values: EnrollmentValues; id?: number }>();

    return rows.map(({ line }, i): RowDecision<EnrollmentPlan> => {
      const data = lines[i];
      const learner = learners.get(data.learner);
      const course = courses.get(data.course);
      if (!learner || !course) {
        const issues: RowIssue[] = [];
        if (!learner) issues.push({ code: 'UNKNOWN_LEARNER', column: columns.learner, params: { value: data.learner } });
        if (!course) issues.push({ code: 'UNKNOWN_COURSE', column: columns.course, params: { value: data.course } });
        return { action: 'reject', issues };
      }
      const key = enrollmentKey(learner.id, course.id);
      const remember = (values: EnrollmentValues, id?: number) => {
        now.set(key, { values, id });
        dry?.set(line, `enrollment:${key}`, values);
      };
      const fromDb = stored.get(key);
      const fromDryRun = dry?.get(`enrollment:${key}`) as EnrollmentValues | undefined;
      const existing =
        now.get(key) ??
        (fromDryRun ? { values: fromDryRun, id: fromDb?.id } : undefined) ??
        (fromDb ? { values: { role: fromDb.role, available: fromDb.available }, id: fromDb.id } : undefined);
      const base = { learnerId: learner.id, courseId: course.id };

      if (!existing) {
        if (data.ends) {
          // Ending an enrollment that does not exist (Moodle skips such a line): nothing to do, said as a warning.
          return {
            action: 'unchanged',
            issues: [{ code: 'NOT_ENROLLED', column: columns.state, severity: IssueSeverity.WARNING, params: { learner: data.learner, course: data.course } }],
          };
        }
        const values: EnrollmentValues = { role: data.role, available: data.available };
        remember(values);
        return { action: 'add', plan: { ...base, values } };
      }
      const values: EnrollmentValues = { ...existing.values, ...(data.ends ? { available: false } : { role: data.role, available: data.available }) };
      const previous = differences(existing.values, values);
      if (Object.keys(previous).length === 0) return { action: 'unchanged' };
      if (ctx.job.onExisting === OnExisting.REJECT) return { action: 'reject', issues: [enrollmentExists(data, columns.state, previous, values)] };
      remember(values, existing.id);
      return { action: 'update', plan: { ...base, values, id: existing.id, previous } };
    });
    },

    async persist(rows: PlannedRow<R, EnrollmentPlan>[], ctx: ImportContext<unknown>): Promise<void> {
    const jobId = ctx.job.id;
    // Several rows of a batch may touch one enrollment: each is written once, with its final values.
    const inserts = new Map<string, Partial<Enrollment>>();
    const updates = new Map<number, EnrollmentValues>();
    for (const { action, plan, row } of rows) {
      const key = enrollmentKey(plan.learnerId, plan.courseId);
      if (action === 'add') {
        const { learnerId, courseId, values } = plan;
        inserts.set(key, { learnerId, courseId, ...values, enrolledOn: ctx.job.importDate, createdJobId: jobId, createdLine: row.line });
      } else if (plan.id === undefined) {
        const added = inserts.get(key);
        if (!added) throw new Error(`enrollment ${key} is neither stored nor added by this batch`);
        Object.assign(added, plan.values, { updatedJobId: jobId });
      } else {
        ctx.keepPreviousValues('enrollments', plan.id, plan.previous ?? {}, row.line);
        updates.set(plan.id, plan.values);
      }
    }
    await insertRows(ctx.manager, Enrollment, [...inserts.values()]);
    await updateGrouped(ctx.manager, updates, jobId);
  },
  };
}
