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
}

/** A table whose rows the undone job added: deleted, unless a reference keeps them. */
export interface DeleteStep {
  table: string;
  /** Columns naming the row in a conflict's message. */
  key: readonly string[];
  /** Rows that refer to it (or, for sessions, later sessions of the same pair). */
  references: readonly Reference[];
}

const first = (from: string, where: string) => `(SELECT COALESCE(c.created_job_id, 0) FROM ${from} WHERE ${where} LIMIT 1)`;

/** Children before their parents: a parent is deleted once what refers to it is. */
export const deleteSteps: readonly DeleteStep[] = [
  {
    table: 'lesson_statistics',
    key: ['learner_id', 'item_id', 'session'],
    // Sessions stay numbered 1, 2, 3… per pair: only the latest ones can go.
    references: [{ what: 'a later session', sql: (keeps) => first('lesson_statistics c', `c.learner_id = r.learner_id AND c.item_id = r.item_id AND c.session > r.session AND ${keeps('c')}`) }],
  },
  {
    table: 'course_statistics',
    key: ['learner_id', 'course_id', 'session'],
    references: [{ what: 'a later session', sql: (keeps) => first('course_statistics c', `c.learner_id = r.learner_id AND c.course_id = r.course_id AND c.session > r.session AND ${keeps('c')}`) }],
  },
  {
    table: 'enrollments',
    key: ['learner_id', 'course_id'],
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
    key: ['course_id', 'code'],
    references: [{ what: 'lesson statistics', sql: (keeps) => first('lesson_statistics c', `c.item_id = r.id AND ${keeps('c')}`) }],
  },
  {
    table: 'courses',
    key: ['code'],
    references: [
      { what: 'items', sql: (keeps) => first('course_items c', `c.course_id = r.id AND ${keeps('c')}`) },
      { what: 'enrollments', sql: (keeps) => first('enrollments c', `c.course_id = r.id AND ${keeps('c')}`) },
      { what: 'course statistics', sql: (keeps) => first('course_statistics c', `c.course_id = r.id AND ${keeps('c')}`) },
    ],
  },
  {
    table: 'learners',
    key: ['login_id'],
    references: [
      { what: 'enrollments', sql: (keeps) => first('enrollments c', `c.learner_id = r.id AND ${keeps('c')}`) },
      { what: 'lesson statistics', sql: (keeps) => first('lesson_statistics c', `c.learner_id = r.id AND ${keeps('c')}`) },
      { what: 'course statistics', sql: (keeps) => first('course_statistics c', `c.learner_id = r.id AND ${keeps('c')}`) },
    ],
  },
];
