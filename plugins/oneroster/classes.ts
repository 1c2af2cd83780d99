import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { required, text } from '../../src/adapters/fields';
import type { CodeEntry } from '../../src/model/codes';
import catalog from '../catalog';
import { courseMessages, courseRow, persistCourses, resolveCourses } from './catalog-rows';
import { messages, plainCodes, readOnly, recordColumns, recordSchema, word } from './vocab';

export const classTypes = [
  { code: 'homeroom', label: { en: 'Homeroom', fr: 'Classe de référence' } },
  { code: 'scheduled', label: { en: 'Scheduled', fr: 'Cours planifié' } },
] as const satisfies readonly CodeEntry[];

/**
 * classes.csv → catalog courses: a class is what learners enroll in (enrollments.csv names
 * classes), so each class is a course of its own, code = sourcedId. Its courseSourcedId is
 * checked for form, not stored: the catalog has no course → class link.
 */
export const rowSchema = z
  .object({
    ...recordSchema,
    title: required(text({ max: 255 })),
    courseSourcedId: required(text()),
    classCode: text(),
    classType: word(classTypes, { required: true }),
    schoolSourcedId: required(text()),
    termSourcedIds: text(),
  })
  .transform((row) => ({ ...row, ...courseRow(row.sourcedId, row.title) }));

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster-classes',
  label: { en: 'OneRoster classes.csv', fr: 'OneRoster classes.csv' },
  description: {
    en: 'Classes of a OneRoster package as catalog courses (code = sourcedId): learners are enrolled in classes. A class to be deleted is kept, with a warning.',
    fr: 'Les classes d’un paquet OneRoster comme cours du catalogue (code = sourcedId) : les apprenants sont inscrits aux classes. Une classe à supprimer est conservée, avec un avertissement.',
  },
  columns: [
    ...recordColumns({ en: 'class', fr: 'de la classe' }),
    { name: 'title', label: { en: 'Title', fr: 'Titre' }, description: { en: 'Title of the class', fr: 'Titre de la classe' }, required: true },
    readOnly('grades', 'Grades', 'Niveaux'),
    readOnly('courseSourcedId', 'The course of the class', 'Le cours de la classe', { required: true }),
    readOnly('classCode', 'The class code', 'Le code de la classe'),
    readOnly('classType', 'homeroom or scheduled', 'homeroom ou scheduled', { required: true, codes: plainCodes(classTypes) }),
    readOnly('location', 'Location', 'Lieu'),
    readOnly('schoolSourcedId', 'The school of the class', 'L’école de la classe', { required: true }),
    readOnly('termSourcedIds', 'Terms of the class', 'Périodes de la classe', { required: true }),
    readOnly('subjects', 'Subjects', 'Matières'),
    readOnly('subjectCodes', 'Subject codes', 'Codes de matières'),
    readOnly('periods', 'Periods', 'Créneaux'),
  ],
  format: { delimiters: [','] },
  rowSchema,
  onExisting: catalog.onExisting,
  messages: { ...courseMessages, ...messages },
  exampleFile: path.join(__dirname, 'example', 'classes.csv'),
  resolve: resolveCourses,
  persist: persistCourses,
});
