import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { required, text } from '../../src/adapters/fields';
import catalog from '../catalog';
import { courseMessages, courseRow, persistCourses, resolveCourses } from './catalog-rows';
import { messages, readOnly, recordColumns, recordSchema } from './vocab';

/** courses.csv → catalog courses: code = sourcedId, title. */
export const rowSchema = z
  .object({
    ...recordSchema,
    schoolYearSourcedId: text(),
    title: required(text({ max: 255 })),
    courseCode: text(),
    orgSourcedId: text(),
  })
  .transform((row) => ({ ...row, ...courseRow(row.sourcedId, row.title) }));

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster-courses',
  label: { en: 'OneRoster courses.csv', fr: 'OneRoster courses.csv' },
  description: {
    en: 'Courses of a OneRoster package as catalog courses (code = sourcedId). A course to be deleted is kept, with a warning.',
    fr: 'Les cours d’un paquet OneRoster comme cours du catalogue (code = sourcedId). Un cours à supprimer est conservé, avec un avertissement.',
  },
  columns: [
    ...recordColumns({ en: 'course', fr: 'du cours' }),
    readOnly('schoolYearSourcedId', 'The school year (academicSessions.csv)', 'L’année scolaire (academicSessions.csv)'),
    { name: 'title', label: { en: 'Title', fr: 'Titre' }, description: { en: 'Title of the course', fr: 'Titre du cours' }, required: true },
    readOnly('courseCode', 'The course code', 'Le code du cours'),
    readOnly('grades', 'Grades', 'Niveaux'),
    readOnly('orgSourcedId', 'The organisation that offers it (required by OneRoster)', 'L’organisation qui le propose (obligatoire pour OneRoster)'),
    readOnly('subjects', 'Subjects', 'Matières'),
    readOnly('subjectCodes', 'Subject codes', 'Codes de matières'),
  ],
  format: { delimiters: [','] },
  rowSchema,
  onExisting: catalog.onExisting,
  messages: { ...courseMessages, ...messages },
  exampleFile: path.join(__dirname, 'example', 'courses.csv'),
  resolve: resolveCourses,
  persist: persistCourses,
});
