import type { Localized } from '../i18n/localized';

/** One entry of a code table: the code written in files and its label. */
export interface CodeEntry<C extends string = string> {
  readonly code: C;
  readonly label: Localized;
}

export type CodeOf<T extends readonly CodeEntry[]> = T[number]['code'];

/** The codes of a table, typed as a non-empty tuple for z.enum. */
export function codesOf<const T extends readonly CodeEntry[]>(table: T): [CodeOf<T>, ...CodeOf<T>[]] {
  return table.map((entry) => entry.code) as [CodeOf<T>, ...CodeOf<T>[]];
}

// The LMS vocabulary shared by several adapters (SPEC §2). Each table is written once;
// zod enums, the GraphQL `codes` lists and the documentation derive from it.

export const itemTypes = [
  { code: 'A', label: { en: 'Assignment', fr: 'Mission' } },
  { code: 'L', label: { en: 'Lesson', fr: 'Leçon' } },
  { code: 'W', label: { en: 'Webinar', fr: 'Webinaire' } },
  { code: 'T', label: { en: 'LTI activity / classroom lesson', fr: 'Activité LTI / leçon présentielle' } },
  { code: 'E', label: { en: 'Educational resource', fr: 'Ressource pédagogique' } },
] as const satisfies readonly CodeEntry[];
export type ItemType = CodeOf<typeof itemTypes>;

export const lessonStatuses = [
  { code: 'C', label: { en: 'Completed', fr: 'Terminé' } },
  { code: 'P', label: { en: 'Passed', fr: 'Réussi' } },
  { code: 'F', label: { en: 'Failed', fr: 'Échoué' } },
  { code: 'I', label: { en: 'Incomplete', fr: 'En cours' } },
  { code: 'N', label: { en: 'Not started', fr: 'Non commencé' } },
] as const satisfies readonly CodeEntry[];
export type LessonStatus = CodeOf<typeof lessonStatuses>;

export const courseStatuses = [
  { code: 'N', label: { en: 'Not started', fr: 'Non commencé' } },
  { code: 'I', label: { en: 'Incomplete', fr: 'En cours' } },
  { code: 'C', label: { en: 'Completed', fr: 'Terminé' } },
] as const satisfies readonly CodeEntry[];
export type CourseStatus = CodeOf<typeof courseStatuses>;

/**
 * The words SCORM (cmi.core.lesson_status, cmi.completion_status / success_status) and cmi5
 * write for a status, and the code each stands for: a statistics column given `words` reads them
 * (and its codes' English and French labels) as the code, with a STATUS_WORD_MAPPED warning. A
 * word whose code is not in the column's table (`passed` for a course) stays an INVALID_CODE.
 */
export const statusWords = [
  { word: 'passed', code: 'P' },
  { word: 'completed', code: 'C' },
  { word: 'failed', code: 'F' },
  { word: 'incomplete', code: 'I' },
  { word: 'browsed', code: 'I' },
  { word: 'not attempted', code: 'N' },
] as const;

export const enrollmentRoles = [
  { code: 'B', label: { en: 'Course builder', fr: 'Concepteur de cours' } },
  { code: 'G', label: { en: 'Grader', fr: 'Évaluateur' } },
  { code: 'P', label: { en: 'Instructor', fr: 'Enseignant' } },
  { code: 'S', label: { en: 'Student', fr: 'Étudiant' } },
  { code: 'T', label: { en: 'Teaching assistant', fr: 'Assistant' } },
  { code: 'U', label: { en: 'Guest', fr: 'Visiteur' } },
] as const satisfies readonly CodeEntry[];
export type EnrollmentRole = CodeOf<typeof enrollmentRoles>;

export const yesNo = [
  { code: 'Y', label: { en: 'Yes', fr: 'Oui' } },
  { code: 'N', label: { en: 'No', fr: 'Non' } },
] as const satisfies readonly CodeEntry[];

export const iltStatuses = [{ code: 'P', label: { en: 'Present', fr: 'Présent' } }] as const satisfies readonly CodeEntry[];

export const courseKinds = ['course', 'organization'] as const;
export type CourseKind = (typeof courseKinds)[number];
