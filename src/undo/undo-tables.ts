import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { Course } from '../model/course.entity';
import { CourseItem } from '../model/course-item.entity';
import { CourseStatistic } from '../model/course-statistic.entity';
import { Enrollment } from '../model/enrollment.entity';
import { Learner } from '../model/learner.entity';
import { LessonStatistic } from '../model/lesson-statistic.entity';

/** The tables imports write, by name (import_row_versions names them so). */
export const dataEntities: Record<string, EntityTarget<ObjectLiteral>> = {
  learners: Learner,
  courses: Course,
  course_items: CourseItem,
  enrollments: Enrollment,
  lesson_statistics: LessonStatistic,
  course_statistics: CourseStatistic,
};

/**
 * A row that keeps a row of the undone job from being deleted: a correlated subquery over `r`
 * (the row) giving the job (0: none recorded) of one such row, or null when there is none.
 * `keeps(alias)` is the condition a referencing row must meet to count.
 */
export interface Reference {
  /** For the message: what refers to the row. */
  what: string;
  sql: (keeps: (alias: string) => string) => string;
  /**
   * For a scan (nothing deleted yet): a referencing row of the undone job `J` that stays because
   * rows of other jobs refer to it in turn (an item of the job with others' statistics keeps its course).
   */
  alsoKept?: (alias: string, J: number) => string;
}

/** A column naming the row in messages: its name and an SQL expression over `r`. */
export interface KeyColumn {
  name: string;
  sql: string;
}

/** A table whose rows the undone job added: deleted, unless a reference keeps them. */
export interface DeleteStep {
  table: string;
  /** What names the row in a conflict's message (logins and codes rather than ids). */
  key: readonly KeyColumn[];
  /** Rows that refer to it (or, for sessions, later sessions of the same pair). */
  references: readonly Reference[];
}

const login = (column: string): KeyColumn => ({ name: 'learner', sql: `(SELECT x.login_id FROM learners x WHERE x.id = r.${column})` });
const courseCode = (column: string): KeyColumn => ({ name: 'course', sql: `(SELECT x.code FROM courses x WHERE x.id = r.${column})` });
const own = (column: string, name = column): KeyColumn => ({ name, sql: `r.${column}` });

/** The key columns of each table, by name. */
export const keysOf: Record<string, readonly KeyColumn[]> = {
  lesson_statistics: [login('learner_id'), { name: 'item', sql: '(SELECT x.code FROM course_items x WHERE x.id = r.item_id)' }, own('session')],
  course_statistics: [login('learner_id'), courseCode('course_id'), own('session')],
  enrollments: [login('learner_id'), courseCode('course_id')],
  course_items: [courseCode('course_id'), own('code', 'item')],
  courses: [own('code', 'course')],
  learners: [own('login_id', 'learner')],
};

const first = (from: string, where: string) => `(SELECT COALESCE(c.created_job_id, 0) FROM ${from} WHERE ${where} LIMIT 1)`;

/** Children before their parents: a parent is deleted once what refers to it is. */
export const deleteSteps: readonly DeleteStep[] = [
  {
    table: 'lesson_statistics',
    key: keysOf.lesson_statistics,
    // Sessions stay numbered 1, 2, 3… per pair: only the latest ones can go.
    references: [{ what: 'a later session', sql: (keeps) => first('lesson_statistics c', `c.learner_id = r.learner_id AND c.item_id = r.item_id AND c.session > r.session AND ${keeps('c')}`) }],
  },
  {
    table: 'course_statistics',
    key: keysOf.course_statistics,
    references: [{ what: 'a later session', sql: (keeps) => first('course_statistics c', `c.learner_id = r.learner_id AND c.course_id = r.course_id AND c.session > r.session AND ${keeps('c')}`) }],
  },
  {
    table: 'enrollments',
    key: keysOf.enrollments,
    references: [
      {
        what: 'lesson statistics',
        sql: (keeps) => first('lesson_statistics c JOIN course_items i ON i.id = c.item_id', `i.course_id = r.course_id AND c.learner_id = r.learner_id AND ${keeps('c')}`),
      },
      { what: 'course statistics', sql: (keeps) => first('course_statistics c', `c.learner_id = r.learner_id AND c.course_id = r.course_id AND ${keeps('c')}`) },
    ],
  },
  {
    table: 'course_items',
    key: keysOf.course_items,
    references: [{ what: 'lesson statistics', sql: (keeps) => first('lesson_statistics c', `c.item_id = r.id AND ${keeps('c')}`) }],
  },
  {
    table: 'courses',
    key: keysOf.courses,
    references: [
      {
        what: 'items',
        sql: (keeps) => first('course_items c', `c.course_id = r.id AND ${keeps('c')}`),
        alsoKept: (c, J) => `EXISTS (SELECT 1 FROM lesson_statistics s WHERE s.item_id = ${c}.id AND (s.created_job_id IS NULL OR s.created_job_id <> ${J}))`,
      },
      { what: 'enrollments', sql: (keeps) => first('enrollments c', `c.course_id = r.id AND ${keeps('c')}`) },
      { what: 'course statistics', sql: (keeps) => first('course_statistics c', `c.course_id = r.id AND ${keeps('c')}`) },
    ],
  },
  {
    table: 'learners',
    key: keysOf.learners,
    references: [
      { what: 'enrollments', sql: (keeps) => first('enrollments c', `c.learner_id = r.id AND ${keeps('c')}`) },
      { what: 'lesson statistics', sql: (keeps) => first('lesson_statistics c', `c.learner_id = r.id AND ${keeps('c')}`) },
      { what: 'course statistics', sql: (keeps) => first('course_statistics c', `c.learner_id = r.id AND ${keeps('c')}`) },
    ],
  },
];
