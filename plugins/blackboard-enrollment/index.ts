import path from 'node:path';
import { In, type EntityManager } from 'typeorm';
import { ADAPTER_API_VERSION, defineAdapter, type RowDecision, type RowIssue } from '../../src/adapters/define-adapter';
import { DryRunMemory } from '../../src/adapters/dry-run-memory';
import { coursesByCode, enrollmentKey, enrollmentsByKey, learnersByLogin, lockLearners } from '../../src/adapters/references';
import { chunks, insertRows } from '../../src/db/bulk';
import { OnExisting } from '../../src/imports/enums';
import { Enrollment } from '../../src/model/enrollment.entity';
import { Learner } from '../../src/model/learner.entity';
import { columns, delimiters, messages, rowSchema, type EnrollmentRow } from './columns';
import { syncKey } from '../../src/sync/sync-keys';

type EnrollmentValues = Pick<Enrollment, 'role' | 'available'>;

/** What persist writes for one row. */
interface Plan {
  learnerId: number;
  courseId: number;
  /** The enrollment's values after the row; absent when only the learner's account changes. */
  enrollment?: {
    values: EnrollmentValues;
    /** Set when the enrollment is in the database; absent when an earlier row of the batch adds it. */
    id?: number;
    previous?: Partial<EnrollmentValues>;
  };
  /** The learner's system availability, when the row changes it. */
  learner?: { available: boolean; previous: boolean };
}

/** Rows per multi-row INSERT or per `IN (...)`: well under SQLite's and MySQL's placeholder limits. */
const CHUNK = 500;

const yn = (flag: boolean) => (flag ? 'Y' : 'N');

/** The enrollment values the row gives; an empty cell gives none (the stored value stays). */
function given(row: EnrollmentRow): Partial<EnrollmentValues> {
  const values: Partial<EnrollmentValues> = {};
  if (row.role !== null) values.role = row.role;
  if (row.course_availability !== null) values.available = row.course_availability;
  return values;
}

/** Given values that differ from the current ones, with the current ones. */
function differences(current: EnrollmentValues, wanted: Partial<EnrollmentValues>): Partial<EnrollmentValues> {
  return Object.fromEntries(
    Object.entries(wanted)
      .filter(([key, value]) => current[key as keyof EnrollmentValues] !== value)
      .map(([key]) => [key, current[key as keyof EnrollmentValues]]),
  ) as Partial<EnrollmentValues>;
}

/** ENROLLMENT_EXISTS, naming the first differing column and listing every difference. */
function enrollmentExists(row: EnrollmentRow, previous: Partial<EnrollmentValues>, account?: Plan['learner']): RowIssue {
  const changes: Array<[string, string, string]> = [];
  if (previous.role !== undefined) changes.push(['role', previous.role, row.role!]);
  if (previous.available !== undefined) changes.push(['course_availability', yn(previous.available), yn(row.course_availability!)]);
  if (account) changes.push(['system_availability', yn(account.previous), yn(account.available)]);
  return {
    code: 'ENROLLMENT_EXISTS',
    column: changes[0][0],
    params: {
      learner: row.username,
      course: row.course_id,
      changes: changes.map(([column, from, to]) => `${column} ${from} → ${to}`).join(', '),
    },
  };
}

/** One UPDATE per distinct set of values (a few per batch), not one per row. */
async function updateGrouped<V extends object>(
  manager: EntityManager,
  target: typeof Enrollment | typeof Learner,
  finalValues: Map<number, V>,
  jobId: number,
): Promise<void> {
  const groups = new Map<string, { values: V; ids: number[] }>();
  for (const [id, values] of finalValues) {
    const group = groups.get(JSON.stringify(values)) ?? { values, ids: [] };
    group.ids.push(id);
    groups.set(JSON.stringify(values), group);
  }
  for (const { values, ids } of groups.values()) {
    for (const part of chunks(ids, CHUNK)) await manager.update(target, { id: In(part) }, { ...values, updatedJobId: jobId });
  }
}

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'blackboard-enrollment',
  label: { en: 'Blackboard Learn batch enrollments', fr: 'Inscriptions par lot Blackboard Learn' },
  description: {
    en: 'Enrolls existing learners in existing courses or organizations from a Blackboard Learn batch enrollment file (Course ID, Username, Role, System availability, Course availability; no header).',
    fr: 'Inscrit des apprenants existants à des cours ou organisations existants depuis un fichier batch d’inscription Blackboard Learn (code cours, nom d’utilisateur, fonction, disponibilité du système, disponibilité du cours ; sans en-tête).',
  },
  columns,
  format: { delimiters, escape: '\\' },
  rowSchema,
  // Like Blackboard's own "enroll" batch: an existing enrollment is never changed by surprise.
  onExisting: { choices: [OnExisting.REJECT, OnExisting.UPDATE], default: OnExisting.REJECT },
  // Every row writes one enrollment of one learner.
  partitionKey: 'username',
  messages,
  // A sync (mode SNAPSHOT): enrollments of the data set no longer in the file are removed (made unavailable when they have statistics).
  sync: { scopes: [{ table: 'enrollments', key: (values) => syncKey(values.username, values.course_id) }] },
  exampleFile: path.join(__dirname, 'example.csv'),

  async resolve(rows, ctx) {
    if (rows.length === 0) return [];
    const learners = await learnersByLogin(ctx.manager, rows.map((row) => row.data.username));
    // Organizations (Blackboard communities) are courses of another kind: enrolled the same way.
    const courses = await coursesByCode(ctx.manager, rows.map((row) => row.data.course_id));
    const pairs = rows.flatMap(({ data }) => {
      const learner = learners.get(data.username);
      const course = courses.get(data.course_id);
      return learner && course ? [{ learnerId: learner.id, courseId: course.id }] : [];
    });
    await lockLearners(ctx.manager, pairs.map((pair) => pair.learnerId));
    const stored = await enrollmentsByKey(ctx.manager, pairs);
    // A dry run writes nothing: what earlier batches would have written is remembered instead.
    // A batch resolved again (retry, row-by-row replay) first takes back its earlier attempt.
    const dry = DryRunMemory.of(ctx, 'blackboard-enrollment');
    dry?.rewind(rows[0].line);
    // What earlier rows of this batch decided: a later row for the same key sees them.
    const enrollmentsNow = new Map<string, { values: EnrollmentValues; id?: number }>();
    const accountsNow = new Map<number, boolean>();

    return rows.map(({ line, data }): RowDecision<Plan> => {
      const learner = learners.get(data.username);
      const course = courses.get(data.course_id);
      if (!learner || !course) {
        const issues: RowIssue[] = [];
        if (!course) issues.push({ code: 'UNKNOWN_COURSE', column: 'course_id', params: { value: data.course_id } });
        if (!learner) issues.push({ code: 'UNKNOWN_LEARNER', column: 'username', params: { value: data.username } });
        return { action: 'reject', issues };
      }
      const key = enrollmentKey(learner.id, course.id);
      const account =
        accountsNow.get(learner.id) ?? (dry?.get(`account:${learner.id}`) as boolean | undefined) ?? learner.available;
      const accountChange =
        data.system_availability !== null && data.system_availability !== account
          ? { available: data.system_availability, previous: account }
          : undefined;
      const remember = (values?: EnrollmentValues, id?: number) => {
        if (values) {
          enrollmentsNow.set(key, { values, id });
          dry?.set(line, `enrollment:${key}`, values);
        }
        if (accountChange) {
          accountsNow.set(learner.id, accountChange.available);
          dry?.set(line, `account:${learner.id}`, accountChange.available);
        }
      };
      const fromDb = stored.get(key);
      const fromDryRun = dry?.get(`enrollment:${key}`) as EnrollmentValues | undefined;
      const existing =
        enrollmentsNow.get(key) ??
        (fromDryRun ? { values: fromDryRun, id: fromDb?.id } : undefined) ??
        (fromDb ? { values: { role: fromDb.role, available: fromDb.available }, id: fromDb.id } : undefined);
      const base = { learnerId: learner.id, courseId: course.id, learner: accountChange };

      if (!existing) {
        // Blackboard's defaults apply to a new enrollment: student, available.
        const values: EnrollmentValues = { role: data.role ?? 'S', available: data.course_availability ?? true };
        remember(values);
        return { action: 'add', plan: { ...base, enrollment: { values } } };
      }
      const previous = differences(existing.values, given(data));
      const enrollmentChanges = Object.keys(previous).length > 0;
      if (!enrollmentChanges && !accountChange) return { action: 'unchanged' };
      if (ctx.job.onExisting === OnExisting.REJECT) {
        return { action: 'reject', issues: [enrollmentExists(data, previous, accountChange)] };
      }
      const values = { ...existing.values, ...given(data) };
      remember(enrollmentChanges ? values : undefined, existing.id);
      // A row that only changes the learner's account is an update of what the row describes.
      return {
        action: 'update',
        plan: { ...base, enrollment: enrollmentChanges ? { values, id: existing.id, previous } : undefined },
      };
    });
  },

  async persist(rows, ctx) {
    const jobId = ctx.job.id;
    // Several rows of a batch may touch one enrollment or account: each is written once, with its final values.
    const inserts = new Map<string, Partial<Enrollment>>();
    const enrollmentUpdates = new Map<number, EnrollmentValues>();
    const accountUpdates = new Map<number, { available: boolean }>();
    for (const { action, plan, row } of rows) {
      if (plan.learner) {
        ctx.keepPreviousValues('learners', plan.learnerId, { available: plan.learner.previous }, row.line);
        accountUpdates.set(plan.learnerId, { available: plan.learner.available });
      }
      const enrollment = plan.enrollment;
      if (!enrollment) continue;
      const key = enrollmentKey(plan.learnerId, plan.courseId);
      if (action === 'add') {
        const { learnerId, courseId } = plan;
        inserts.set(key, { learnerId, courseId, ...enrollment.values, enrolledOn: ctx.job.importDate, createdJobId: jobId, createdLine: row.line });
      } else if (enrollment.id === undefined) {
        const added = inserts.get(key);
        if (!added) throw new Error(`enrollment ${key} is neither stored nor added by this batch`);
        Object.assign(added, enrollment.values, { updatedJobId: jobId });
      } else {
        ctx.keepPreviousValues('enrollments', enrollment.id, enrollment.previous ?? {}, row.line);
        enrollmentUpdates.set(enrollment.id, enrollment.values);
      }
    }
    await insertRows(ctx.manager, Enrollment, [...inserts.values()]);
    await updateGrouped(ctx.manager, Enrollment, enrollmentUpdates, jobId);
    await updateGrouped(ctx.manager, Learner, accountUpdates, jobId);
  },
});
