import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { learnerLoginColumn, courseColumn, statusDateColumn } from '../../src/adapters/columns';
import { code, date, decimal, duration, required, text } from '../../src/adapters/fields';
import { ReferenceCache } from '../../src/adapters/references';
import {
  futureDates,
  NO_ISSUES,
  persistStatistics,
  planStatistics,
  statusDateOrImportDate,
  unknownReferences,
  type StatisticRequest,
  type StatisticTable,
} from '../../src/adapters/statistics';
import { OnExisting } from '../../src/imports/enums';
import { iltStatuses, itemTypes, lessonStatuses, statusWords } from '../../src/model/codes';
import { LessonStatistic } from '../../src/model/lesson-statistic.entity';

/** The largest value of the INT column time_spent. */
const MAX_SECONDS = 2 ** 31 - 1;

const rowSchema = z.object({
  user_loginid: required(text({ max: 100 })),
  crsvname: required(text({ max: 100 })),
  lsnvname: required(text({ max: 100 })),
  lnk_type: required(code(itemTypes)),
  // Also SCORM/cmi5 words and the codes' labels (passed → P), with a STATUS_WORD_MAPPED warning.
  lesson_status: required(code(lessonStatuses, { words: statusWords })),
  lesson_status_date: date(),
  lesson_score: decimal({ min: 0, max: 100, outOfRangeCode: 'SCORE_OUT_OF_RANGE' }),
  lesson_time: duration({ max: MAX_SECONDS }),
  ilt_status: code(iltStatuses),
});

type Values = Pick<LessonStatistic, 'status' | 'statusDate' | 'score' | 'timeSpent' | 'iltStatus'>;

const lessonStatistics: StatisticTable<Values> = {
  entity: LessonStatistic,
  target: 'itemId',
  values: ['status', 'statusDate', 'score', 'timeSpent', 'iltStatus'],
};

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'lesson-stats',
  label: { en: 'Lesson statistics', fr: 'Statistiques de leçons' },
  description: {
    en: "Imports learners' results on course items (status, date, score, time spent, classroom presence), one session per attempt.",
    fr: 'Importe les résultats des apprenants aux leçons des cours (statut, date, score, temps passé, présence), une session par tentative.',
  },
  columns: [
    learnerLoginColumn(),
    courseColumn(),
    {
      name: 'lsnvname',
      label: { en: 'Lesson identifier', fr: 'Identifiant de la leçon' },
      description: {
        en: 'The identifier of an item of that course, e.g. {1B38F003-16A9-4432-AB}',
        fr: "L'identifiant d'un élément de ce cours, par exemple {1B38F003-16A9-4432-AB}",
      },
      required: true,
      aliases: ['lesson_id', 'lesson'],
    },
    {
      name: 'lnk_type',
      label: { en: 'Lesson type', fr: 'Type de leçon' },
      description: { en: "The item's type; it must be the type the item has", fr: "Le type de l'élément ; il doit être celui de l'élément" },
      required: true,
      codes: itemTypes,
    },
    {
      name: 'lesson_status',
      label: { en: 'Lesson status', fr: 'Statut de la leçon' },
      description: { en: 'Status of the attempt', fr: 'Statut de la tentative' },
      required: true,
      codes: lessonStatuses,
    },
    statusDateColumn('lesson_status_date'),
    {
      name: 'lesson_score',
      label: { en: 'Score', fr: 'Score' },
      description: { en: 'Score out of 100, decimals with . or , (87.5, 87,5)', fr: 'Score sur 100, décimales avec . ou , (87.5, 87,5)' },
    },
    {
      name: 'lesson_time',
      label: { en: 'Time spent', fr: 'Temps passé' },
      description: { en: 'Time spent, in seconds or hh:mm:ss', fr: 'Temps passé, en secondes ou hh:mm:ss' },
    },
    {
      name: 'ilt_status',
      label: { en: 'Classroom presence', fr: 'Présence' },
      description: {
        en: 'Classroom (T) items: P if the learner was present; ignored, with a warning, for other items',
        fr: "Leçons présentielles (T) : P si l'apprenant était présent ; ignoré, avec un avertissement, pour les autres",
      },
      codes: iltStatuses,
    },
  ],
  rowSchema,
  onExisting: { choices: [OnExisting.NEW_SESSION, OnExisting.REJECT, OnExisting.UPDATE], default: OnExisting.NEW_SESSION },
  enrollIfNeeded: true,
  // resolve locks the learners (planStatistics) before it reads their sessions and enrollments.
  overlapBatches: true,
  // Every row writes the statistics (and enrollments) of one learner.
  partitionKey: 'user_loginid',
  messages: {
    SCORE_OUT_OF_RANGE: {
      en: '{column}: the score {value} is not between {min} and {max}',
      fr: '{column} : le score {value} n’est pas compris entre {min} et {max}',
    },
    ILT_STATUS_IGNORED: {
      en: '{column}: presence is only kept for classroom (T) items; item "{item}" is of type {type}',
      fr: '{column} : la présence n’est gardée que pour les leçons présentielles (T) ; l’élément « {item} » est de type {type}',
    },
  },
  exampleFile: path.join(__dirname, 'example.csv'),

  async resolve(rows, ctx) {
    const references = ReferenceCache.of(ctx.state);
    const learners = await references.learnersByLogin(ctx.manager, rows.map((row) => row.data.user_loginid));
    const courses = await references.coursesByCode(ctx.manager, rows.map((row) => row.data.crsvname));
    const courseOf = rows.map((row) => courses.get(row.data.crsvname));
    const courseIds: number[] = [];
    const codes: string[] = [];
    rows.forEach((row, i) => {
      const course = courseOf[i];
      if (!course) return;
      courseIds.push(course.id);
      codes.push(row.data.lsnvname);
    });
    const items = await references.itemsOf(ctx.manager, courseIds, codes);
    const requests = rows.map(({ data }, i): StatisticRequest<Values> => {
      const learner = learners.get(data.user_loginid);
      const course = courseOf[i];
      const item = course && items.get(course.id, data.lsnvname);
      const classroom = item?.type === 'T';
      // Most rows have no issue: they share one empty list.
      let issues = NO_ISSUES;
      const future = data.lesson_status_date !== null && data.lesson_status_date > ctx.job.importDate;
      const wrong = !learner || !course || !item || item.type !== data.lnk_type || (!classroom && data.ilt_status !== null);
      if (wrong || future) {
        const found = unknownReferences(data, learner, course);
        if (future) found.push(...futureDates(ctx, { lesson_status_date: data.lesson_status_date }));
        if (course && !item) found.push({ code: 'UNKNOWN_ITEM', column: 'lsnvname', params: { course: course.code, value: data.lsnvname } });
        if (item && item.type !== data.lnk_type) {
          found.push({ code: 'ITEM_TYPE_MISMATCH', column: 'lnk_type', params: { item: item.code, actual: item.type, value: data.lnk_type } });
        }
        if (item && !classroom && data.ilt_status !== null) {
          found.push({ code: 'ILT_STATUS_IGNORED', column: 'ilt_status', severity: 'WARNING', params: { item: item.code, type: item.type } });
        }
        issues = found;
      }
      if (!learner || !course || !item) return { issues };
      const values: Values = {
        status: data.lesson_status,
        statusDate: statusDateOrImportDate(data.lesson_status_date, ctx),
        score: data.lesson_score,
        timeSpent: data.lesson_time,
        iltStatus: classroom ? data.ilt_status : null,
      };
      return {
        issues,
        target: { learnerId: learner.id, courseId: course.id, targetId: item.id, values, enrolledOn: null, learnerLogin: learner.loginId, courseCode: course.code },
      };
    });
    return planStatistics(ctx, lessonStatistics, rows, requests);
  },

  async persist(rows, ctx) {
    await persistStatistics(ctx, lessonStatistics, rows);
  },
});
