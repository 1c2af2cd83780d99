import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { learnerLoginColumn, courseColumn, statusDateColumn } from '../../src/adapters/columns';
import { code, date, required, text } from '../../src/adapters/fields';
import { ReferenceCache } from '../../src/adapters/references';
import {
  futureDates,
  persistStatistics,
  NO_ISSUES,
  planStatistics,
  statusDateOrImportDate,
  unknownReferences,
  type StatisticRequest,
  type StatisticTable,
} from '../../src/adapters/statistics';
import { OnExisting } from '../../src/imports/enums';
import { courseStatuses, statusWords } from '../../src/model/codes';
import { CourseStatistic } from '../../src/model/course-statistic.entity';

const rowSchema = z.object({
  user_loginid: required(text({ max: 100 })),
  crsvname: required(text({ max: 100 })),
  // Also SCORM/cmi5 words and the codes' labels (passed → P), with a STATUS_WORD_MAPPED warning.
  course_status: required(code(courseStatuses, { words: statusWords })),
  course_status_date: date(),
  course_enrollement_date: date(),
});

type Values = Pick<CourseStatistic, 'status' | 'statusDate' | 'enrollmentDate'>;

const courseStatistics: StatisticTable<Values> = {
  entity: CourseStatistic,
  target: 'courseId',
  values: ['status', 'statusDate', 'enrollmentDate'],
};

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'course-stats',
  label: { en: 'Course statistics', fr: 'Statistiques de cours' },
  description: {
    en: "Imports learners' course statuses, one session per attempt. A course may be completed although its lessons are not.",
    fr: "Importe le statut des apprenants dans les cours, une session par tentative. Un cours peut être terminé même si ses leçons ne le sont pas.",
  },
  columns: [
    learnerLoginColumn(),
    courseColumn(),
    {
      name: 'course_status',
      label: { en: 'Course status', fr: 'Statut du cours' },
      description: { en: 'Status of the attempt', fr: 'Statut de la tentative' },
      required: true,
      codes: courseStatuses,
    },
    statusDateColumn('course_status_date'),
    {
      name: 'course_enrollement_date',
      label: { en: 'Enrollment date', fr: "Date d'inscription" },
      description: {
        en: 'yyyy/mm/dd, yyyy-mm-dd or dd/mm/yyyy; also the date of an enrollment the import creates',
        fr: "aaaa/mm/jj, aaaa-mm-jj ou jj/mm/aaaa ; aussi la date d'une inscription créée par l'import",
      },
      // The seed's spelling is the column's name; the correct one is accepted too.
      aliases: ['course_enrollment_date'],
    },
  ],
  rowSchema,
  onExisting: { choices: [OnExisting.NEW_SESSION, OnExisting.REJECT, OnExisting.UPDATE], default: OnExisting.NEW_SESSION },
  enrollIfNeeded: true,
  // resolve locks the learners (planStatistics) before it reads their sessions and enrollments.
  overlapBatches: true,
  // Every row writes the statistics (and enrollments) of one learner.
  partitionKey: 'user_loginid',
  exampleFile: path.join(__dirname, 'example.csv'),

  async resolve(rows, ctx) {
    const references = ReferenceCache.of(ctx.state);
    const learners = await references.learnersByLogin(ctx.manager, rows.map((row) => row.data.user_loginid));
    const courses = await references.coursesByCode(ctx.manager, rows.map((row) => row.data.crsvname));
    const requests = rows.map(({ data }): StatisticRequest<Values> => {
      const learner = learners.get(data.user_loginid);
      const course = courses.get(data.crsvname);
      const dates = { course_status_date: data.course_status_date, course_enrollement_date: data.course_enrollement_date };
      const future = futureDates(ctx, dates);
      const issues = !learner || !course || future.length > 0 ? [...unknownReferences(data, learner, course), ...future] : NO_ISSUES;
      if (!learner || !course) return { issues };
      const values: Values = {
        status: data.course_status,
        statusDate: statusDateOrImportDate(data.course_status_date, ctx),
        enrollmentDate: data.course_enrollement_date,
      };
      const target = { learnerId: learner.id, courseId: course.id, targetId: course.id, learnerLogin: learner.loginId, courseCode: course.code };
      return { issues, target: { ...target, values, enrolledOn: data.course_enrollement_date } };
    });
    return planStatistics(ctx, courseStatistics, rows, requests);
  },

  async persist(rows, ctx) {
    await persistStatistics(ctx, courseStatistics, rows);
  },
});
