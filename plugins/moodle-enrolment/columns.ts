import { z } from 'zod';
import type { ColumnDefinition } from '../../src/adapters/define-adapter';
import { fail, mappedWord, required, text } from '../../src/adapters/fields';
import type { CodeEntry, EnrollmentRole } from '../../src/model/codes';

/** Moodle's flat file is comma-separated, one enrolment a line, without a header. */
export const delimiters = [','] as const;

export const operations = [
  { code: 'add', label: { en: 'Enrol (or re-enable) the user', fr: 'Inscrire (ou réactiver) l’utilisateur' } },
  { code: 'del', label: { en: 'Unenrol the user (enrollment made unavailable)', fr: 'Désinscrire l’utilisateur (inscription rendue indisponible)' } },
] as const satisfies readonly CodeEntry[];

/**
 * Moodle's standard role shortnames that can be given in a course, with the enrollment role
 * each becomes. `user` and `frontpage` are not course roles: they are unknown here.
 */
export const moodleRoles = [
  { code: 'student', role: 'S', label: { en: 'Student → S (student)', fr: 'Étudiant → S (étudiant)' } },
  { code: 'editingteacher', role: 'P', label: { en: 'Teacher → P (instructor)', fr: 'Enseignant → P (enseignant)' } },
  { code: 'teacher', role: 'P', label: { en: 'Non-editing teacher → P (instructor)', fr: 'Enseignant non éditeur → P (enseignant)' } },
  // The name Moodle's own example file (enrol/flatfile/example.txt) still uses for the editing teacher.
  { code: 'teacheredit', role: 'P', label: { en: 'Teacher (legacy name) → P (instructor)', fr: 'Enseignant (ancien nom) → P (enseignant)' } },
  { code: 'manager', role: 'B', label: { en: 'Manager → B (course builder)', fr: 'Gestionnaire → B (concepteur de cours)' } },
  { code: 'coursecreator', role: 'B', label: { en: 'Course creator → B (course builder)', fr: 'Créateur de cours → B (concepteur de cours)' } },
  { code: 'guest', role: 'U', label: { en: 'Guest → U (guest)', fr: 'Invité → U (visiteur)' } },
] as const satisfies ReadonlyArray<CodeEntry & { role: EnrollmentRole }>;

const roleOf = new Map<string, EnrollmentRole>(moodleRoles.map((entry) => [entry.code, entry.role]));

export const columns: readonly ColumnDefinition[] = [
  {
    name: 'operation',
    label: { en: 'Operation', fr: 'Opération' },
    description: { en: 'add (enrol) or del (unenrol)', fr: 'add (inscrire) ou del (désinscrire)' },
    required: true,
    codes: operations,
  },
  {
    name: 'role',
    label: { en: 'Role', fr: 'Rôle' },
    description: {
      en: 'Moodle role shortname (student, editingteacher, teacher, teacheredit, manager, coursecreator, guest)',
      fr: 'Nom abrégé du rôle Moodle (student, editingteacher, teacher, teacheredit, manager, coursecreator, guest)',
    },
    required: true,
    codes: moodleRoles.map(({ code, label }) => ({ code, label })),
  },
  {
    name: 'user_idnumber',
    label: { en: 'User ID number', fr: 'Numéro d’identification de l’utilisateur' },
    description: { en: 'The login of an existing learner', fr: 'Le login d’un apprenant existant' },
    required: true,
    aliases: ['user idnumber', 'idnumber', 'user_loginid'],
  },
  {
    name: 'course_idnumber',
    label: { en: 'Course ID number', fr: 'Numéro d’identification du cours' },
    description: { en: 'The code of an existing course', fr: 'Le code d’un cours existant' },
    required: true,
    aliases: ['course idnumber', 'crsvname'],
  },
  {
    name: 'starttime',
    label: { en: 'Start time', fr: 'Début' },
    description: {
      en: 'Start of the enrolment, Unix time in seconds; empty or 0: none. Checked, not stored',
      fr: 'Début de l’inscription, temps Unix en secondes ; vide ou 0 : aucun. Vérifié, non enregistré',
    },
  },
  {
    name: 'endtime',
    label: { en: 'End time', fr: 'Fin' },
    description: {
      en: 'End of the enrolment, Unix time in seconds; empty or 0: none. Checked, not stored',
      fr: 'Fin de l’inscription, temps Unix en secondes ; vide ou 0 : aucune. Vérifiée, non enregistrée',
    },
  },
];

/** A Moodle word, any case, as Moodle writes it (lower case). */
const operation = z
  .string()
  .nullable()
  .transform((value, ctx) => {
    if (value === null) return fail(ctx, 'REQUIRED');
    const lower = value.toLowerCase();
    if (lower === 'add' || lower === 'del') return lower;
    return fail(ctx, 'INVALID_CODE', { value, allowed: 'add, del' });
  });

/** A role shortname, as the enrollment role it maps to. */
const role = mappedWord(roleOf, 'UNKNOWN_ROLE');

/** Largest Unix time accepted: 9999-12-31. */
const MAX_TIME = 253_402_300_799;

/** Unix seconds; empty or 0 is "no limit" (null). */
const unixTime = z
  .string()
  .nullable()
  .transform((value, ctx) => {
    if (value === null) return null;
    if (!/^\d+$/.test(value)) return fail(ctx, 'INVALID_TIME', { value });
    const seconds = Number(value);
    if (seconds > MAX_TIME) return fail(ctx, 'INVALID_TIME', { value });
    return seconds === 0 ? null : seconds;
  });

export const rowSchema = z
  .object({
    operation,
    role,
    user_idnumber: required(text({ max: 100 })),
    course_idnumber: required(text({ max: 100 })),
    starttime: unixTime,
    endtime: unixTime,
  })
  .superRefine((row, ctx) => {
    if (row.starttime !== null && row.endtime !== null && row.endtime < row.starttime) {
      ctx.addIssue({
        code: 'custom',
        path: ['endtime'],
        message: 'END_BEFORE_START',
        params: { code: 'END_BEFORE_START', value: String(row.endtime), start: String(row.starttime) },
      });
    }
  });
export type MoodleRow = z.output<typeof rowSchema>;

export const messages = {
  UNKNOWN_ROLE: {
    en: '{column}: "{value}" is not a Moodle course role this import knows (allowed: {allowed})',
    fr: '{column} : « {value} » n’est pas un rôle de cours Moodle connu de cet import (rôles admis : {allowed})',
  },
  INVALID_TIME: {
    en: '{column}: "{value}" is not a Unix time (whole seconds since 1970-01-01, 0 for none)',
    fr: '{column} : « {value} » n’est pas un temps Unix (secondes entières depuis le 01/01/1970, 0 pour aucun)',
  },
  END_BEFORE_START: {
    en: '{column}: the end ({value}) is before the start ({start})',
    fr: '{column} : la fin ({value}) précède le début ({start})',
  },
  NOT_ENROLLED: {
    en: 'Learner "{learner}" is not enrolled in course "{course}": nothing to unenrol',
    fr: 'L’apprenant « {learner} » n’est pas inscrit au cours « {course} » : rien à désinscrire',
  },
  ENROLLMENT_EXISTS: {
    en: 'Learner "{learner}" is already enrolled in course "{course}" with other values ({changes}); onExisting REJECT keeps it as it is',
    fr: 'L’apprenant « {learner} » est déjà inscrit au cours « {course} » avec d’autres valeurs ({changes}) ; l’option « rejeter » la laisse telle quelle',
  },
};
