import path from 'node:path';
import { In, type EntityManager } from 'typeorm';
import { ADAPTER_API_VERSION, defineAdapter, type RowDecision, type RowIssue } from '../../src/adapters/define-adapter';
import { DryRunMemory } from '../../src/adapters/dry-run-memory';
import { coursesByCode, enrollmentKey, enrollmentsByKey, learnersByLogin, lockLearners } from '../../src/adapters/references';
import { chunks, insertRows } from '../../src/db/bulk';
import { IssueSeverity, OnExisting } from '../../src/imports/enums';
import { Enrollment } from '../../src/model/enrollment.entity';
import { columns, delimiters, messages, rowSchema, type CanvasRow } from './columns';

type EnrollmentValues = Pick<Enrollment, 'role' | 'available'>;

/** What persist writes for one row. */
interface Plan {
  learnerId: number;
  courseId: number;
  values: EnrollmentValues;
  /** Set when the enrollment is in the database; absent when an earlier row of the batch adds it. */
  id?: number;
  previous?: Partial<EnrollmentValues>;
}

/** Ids per `IN (...)`: well under SQLite's and MySQL's placeholder limits. */
const CHUNK = 500;

const yn = (flag: boolean) => (flag ? 'Y' : 'N');

/**
 * The values a row asks for: `active` gives the role, available; `completed` and `inactive` the
 * role, unavailable; `deleted` makes the enrollment unavailable, never deletes it, so that the
 * learner's statistics in the course keep their enrollment (its role stays).
 */
function wanted(row: CanvasRow): Partial<EnrollmentValues> {
  if (row.status === 'deleted') return { available: false };
  return { role: row.role, available: row.status === 'active' };
}

/** Wanted values that differ from the current ones, with the current ones. */
function differences(current: EnrollmentValues, values: Partial<EnrollmentValues>): Partial<EnrollmentValues> {
  const previous: Partial<EnrollmentValues> = {};
  if (values.role !== undefined && values.role !== current.role) previous.role = current.role;
  if (values.available !== undefined && values.available !== current.available) previous.available = current.available;
  return previous;
}

function enrollmentExists(row: CanvasRow, previous: Partial<EnrollmentValues>, values: EnrollmentValues): RowIssue {
  // [the column the change comes from, what changes, from, to]
  const changes: Array<[string, string, string, string]> = [];
  if (previous.role !== undefined) changes.push(['role', 'role', previous.role, values.role]);
  if (previous.available !== undefined) changes.push(['status', 'available', yn(previous.available), yn(values.available)]);
  return {
    code: 'ENROLLMENT_EXISTS',
    column: changes[0][0],
    params: {
      learner: row.user_id,
      course: row.course_id,
      changes: changes.map(([, what, from, to]) => `${what} ${from} → ${to}`).join(', '),
    },
  };
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

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'canvas-enrollments',
  label: { en: 'Canvas SIS enrollments', fr: 'Inscriptions SIS Canvas' },
  description: {
    en: 'Enrolls existing learners in existing courses, or ends their enrollments, from a Canvas SIS import enrollments.csv (course_id, user_id, role, section_id, status; with a header).',
    fr: 'Inscrit des apprenants existants à des cours existants, ou met fin à leurs inscriptions, depuis le fichier enrollments.csv d’un import SIS Canvas (course_id, user_id, role, section_id, status ; avec en-tête).',
  },
  columns,
  format: { delimiters },
  rowSchema,
  // A SIS import states what Canvas should hold: a row for an enrolled user sets its role and status.
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  // Every row writes one enrollment of one learner.
  partitionKey: 'user_id',
  messages,
  exampleFile: path.join(__dirname, 'example.csv'),

  async resolve(rows, ctx) {
    if (rows.length === 0) return [];
    const learners = await learnersByLogin(ctx.manager, rows.map((row) => row.data.user_id));
    const courses = await coursesByCode(ctx.manager, rows.map((row) => row.data.course_id));
    const pairs = rows.flatMap(({ data }) => {
      const learner = learners.get(data.user_id);
      const course = courses.get(data.course_id);
      return learner && course ? [{ learnerId: learner.id, courseId: course.id }] : [];
    });
    await lockLearners(ctx.manager, pairs.map((pair) => pair.learnerId));
    const stored = await enrollmentsByKey(ctx.manager, pairs);
    // A dry run writes nothing: what earlier batches would have written is remembered instead.
    const dry = DryRunMemory.of(ctx, 'canvas-enrollments');
    dry?.rewind(rows[0].line);
    // What earlier rows of this batch decided: a later row for the same pair sees them.
    const now = new Map<string, { values: EnrollmentValues; id?: number }>();

    return rows.map(({ line, data }): RowDecision<Plan> => {
      const learner = learners.get(data.user_id);
      const course = courses.get(data.course_id);
      if (!learner || !course) {
        const issues: RowIssue[] = [];
        if (!learner) issues.push({ code: 'UNKNOWN_LEARNER', column: 'user_id', params: { value: data.user_id } });
        if (!course) issues.push({ code: 'UNKNOWN_COURSE', column: 'course_id', params: { value: data.course_id } });
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
        if (data.status === 'deleted') {
          // Deleting an enrollment that does not exist: nothing to do, said as a warning.
          return {
            action: 'unchanged',
            issues: [{ code: 'NOT_ENROLLED', column: 'status', severity: IssueSeverity.WARNING, params: { learner: data.user_id, course: data.course_id } }],
          };
        }
        const values: EnrollmentValues = { role: data.role, available: data.status === 'active' };
        remember(values);
        return { action: 'add', plan: { ...base, values } };
      }
      const values = { ...existing.values, ...wanted(data) };
      const previous = differences(existing.values, values);
      if (Object.keys(previous).length === 0) return { action: 'unchanged' };
      if (ctx.job.onExisting === OnExisting.REJECT) return { action: 'reject', issues: [enrollmentExists(data, previous, values)] };
      remember(values, existing.id);
      return { action: 'update', plan: { ...base, values, id: existing.id, previous } };
    });
  },

  async persist(rows, ctx) {
    const jobId = ctx.job.id;
    // Several rows of a batch may touch one enrollment: each is written once, with its final values.
    const inserts = new Map<string, Partial<Enrollment>>();
    const updates = new Map<number, EnrollmentValues>();
    for (const { action, plan } of rows) {
      const key = enrollmentKey(plan.learnerId, plan.courseId);
      if (action === 'add') {
        const { learnerId, courseId, values } = plan;
        inserts.set(key, { learnerId, courseId, ...values, enrolledOn: ctx.job.importDate, createdJobId: jobId });
      } else if (plan.id === undefined) {
        const added = inserts.get(key);
        if (!added) throw new Error(`enrollment ${key} is neither stored nor added by this batch`);
        Object.assign(added, plan.values, { updatedJobId: jobId });
      } else {
        ctx.keepPreviousValues('enrollments', plan.id, plan.previous ?? {});
        updates.set(plan.id, plan.values);
      }
    }
    await insertRows(ctx.manager, Enrollment, [...inserts.values()]);
    await updateGrouped(ctx.manager, updates, jobId);
  },
});
