import { z } from 'zod';
import type { ColumnDefinition } from '../../src/adapters/define-adapter';
import { fail, mappedWord, text } from '../../src/adapters/fields';
import type { CodeEntry, EnrollmentRole } from '../../src/model/codes';

/** Canvas SIS files are comma-separated, with a header row. */
export const delimiters = [','] as const;

/** Canvas's base enrollment roles, with the enrollment role each becomes. */
export const canvasRoles = [
  { code: 'student', role: 'S', label: { en: 'Student → S (student)', fr: 'Étudiant → S (étudiant)' } },
  { code: 'teacher', role: 'P', label: { en: 'Teacher → P (instructor)', fr: 'Enseignant → P (enseignant)' } },
  { code: 'ta', role: 'T', label: { en: 'TA → T (teaching assistant)', fr: 'Assistant → T (assistant)' } },
  { code: 'designer', role: 'B', label: { en: 'Designer → B (course builder)', fr: 'Concepteur → B (concepteur de cours)' } },
  { code: 'observer', role: 'U', label: { en: 'Observer → U (guest)', fr: 'Observateur → U (visiteur)' } },
] as const satisfies ReadonlyArray<CodeEntry & { role: EnrollmentRole }>;

/** Canvas's enrollment statuses: whether the enrollment is available afterwards. */
export const canvasStatuses = [
  { code: 'active', label: { en: 'Active: available', fr: 'Active : disponible' } },
  { code: 'deleted', label: { en: 'Deleted: made unavailable (kept)', fr: 'Supprimée : rendue indisponible (conservée)' } },
  { code: 'completed', label: { en: 'Completed: unavailable', fr: 'Terminée : indisponible' } },
  { code: 'inactive', label: { en: 'Inactive: unavailable', fr: 'Inactive : indisponible' } },
] as const satisfies readonly CodeEntry[];
export type CanvasStatus = (typeof canvasStatuses)[number]['code'];

const roleOf = new Map<string, EnrollmentRole>(canvasRoles.map((entry) => [entry.code, entry.role]));
const statuses = new Set<string>(canvasStatuses.map((entry) => entry.code));

export const columns: readonly ColumnDefinition[] = [
  {
    name: 'course_id',
    label: { en: 'Course SIS ID', fr: 'Identifiant SIS du cours' },
    description: {
      en: 'The code of an existing course; required (Canvas also allows section_id alone, which this import does not support)',
      fr: 'Le code d’un cours existant ; obligatoire (Canvas admet aussi section_id seul, ce que cet import ne prend pas en charge)',
    },
  },
  {
    name: 'user_id',
    label: { en: 'User SIS ID', fr: 'Identifiant SIS de l’utilisateur' },
    description: { en: 'The login of an existing learner', fr: 'Le login d’un apprenant existant' },
    required: true,
  },
  {
    name: 'role',
    label: { en: 'Role', fr: 'Rôle' },
    description: { en: 'student, teacher, ta, designer or observer', fr: 'student, teacher, ta, designer ou observer' },
    required: true,
    codes: canvasRoles.map(({ code, label }) => ({ code, label })),
  },
  {
    name: 'section_id',
    label: { en: 'Section SIS ID', fr: 'Identifiant SIS de la section' },
    description: {
      en: 'Read, not stored: enrollments here are by course; a row with a section and no course is rejected',
      fr: 'Lu, non enregistré : les inscriptions sont ici par cours ; une ligne avec une section sans cours est rejetée',
    },
  },
  {
    name: 'status',
    label: { en: 'Status', fr: 'Statut' },
    description: { en: 'active, deleted, completed or inactive', fr: 'active, deleted, completed ou inactive' },
    required: true,
    codes: canvasStatuses,
  },
];

/** A role, any case, as the enrollment role it maps to. */
const role = mappedWord(roleOf, 'UNKNOWN_ROLE');

const status = z
  .string()
  .nullable()
  .transform((value, ctx): CanvasStatus => {
    if (value === null) return fail(ctx, 'REQUIRED');
    const lower = value.toLowerCase();
    if (statuses.has(lower)) return lower as CanvasStatus;
    return fail(ctx, 'INVALID_CODE', { value, allowed: [...statuses].join(', ') });
  });

const user = text({ max: 100 }).transform((value, ctx) => (value === null ? fail(ctx, 'REQUIRED') : value));

export const rowSchema = z
  .object({
    course_id: text({ max: 100 }),
    user_id: user,
    role,
    section_id: text({ max: 255 }),
    status,
  })
  .superRefine((row, ctx) => {
    if (row.course_id !== null) return;
    const code = row.section_id === null ? 'REQUIRED' : 'SECTION_NOT_SUPPORTED';
    ctx.addIssue({ code: 'custom', path: ['course_id'], message: code, params: { code, section: row.section_id ?? '' } });
  })
  .transform((row) => ({ ...row, course_id: row.course_id! }));
export type CanvasRow = z.output<typeof rowSchema>;

export const messages = {
  UNKNOWN_ROLE: {
    en: '{column}: "{value}" is not a Canvas base role this import knows (allowed: {allowed})',
    fr: '{column} : « {value} » n’est pas un rôle de base Canvas connu de cet import (rôles admis : {allowed})',
  },
  SECTION_NOT_SUPPORTED: {
    en: '{column} is empty and section "{section}" is given: enrollments by section alone are not supported, give the course_id',
    fr: '{column} est vide et la section « {section} » est donnée : les inscriptions par section seule ne sont pas prises en charge, indiquez le course_id',
  },
  NOT_ENROLLED: {
    en: 'Learner "{learner}" is not enrolled in course "{course}": nothing to delete',
    fr: 'L’apprenant « {learner} » n’est pas inscrit au cours « {course} » : rien à supprimer',
  },
  ENROLLMENT_EXISTS: {
    en: 'Learner "{learner}" is already enrolled in course "{course}" with other values ({changes}); onExisting REJECT keeps it as it is',
    fr: 'L’apprenant « {learner} » est déjà inscrit au cours « {course} » avec d’autres valeurs ({changes}) ; l’option « rejeter » la laisse telle quelle',
  },
};
