import { z } from 'zod';
import type { ColumnDefinition } from '../../src/adapters/define-adapter';
import { code, identifier, required, yesNo } from '../../src/adapters/fields';
import { enrollmentRoles, yesNo as yesNoCodes } from '../../src/model/codes';

/** The separators Blackboard allows. The core detects the file's one and holds it for every record. */
export const delimiters = [',', ':', '\t'] as const;

/**
 * Blackboard's file has no header and a fixed order; its documentation names the columns in
 * English and, in the French edition, with the names below: both header rows are recognised.
 */
export const columns: readonly ColumnDefinition[] = [
  {
    name: 'course_id',
    label: { en: 'Course ID', fr: 'Code cours' },
    description: {
      en: 'Identifier of an existing course or organization: letters, digits, "_", "." and "-"',
      fr: 'Identifiant d’un cours ou d’une organisation existant : lettres, chiffres, « _ », « . » et « - »',
    },
    required: true,
    aliases: ['Course ID', 'Code cours', 'Code du cours', 'crsvname'],
  },
  {
    name: 'username',
    label: { en: 'Username', fr: 'Nom d’utilisateur' },
    description: {
      en: 'Login of an existing learner: letters, digits, "_", "." and "-"',
      fr: 'Login d’un apprenant existant : lettres, chiffres, « _ », « . » et « - »',
    },
    required: true,
    aliases: ['Username', 'User name', "Nom d'utilisateur", 'Nom d’utilisateur', 'user_loginid'],
  },
  {
    name: 'role',
    label: { en: 'Role', fr: 'Fonction au sein du cours' },
    description: {
      en: 'Role in the course; empty: S (student) for a new enrollment, unchanged for an existing one',
      fr: 'Rôle dans le cours ; vide : S (étudiant) pour une nouvelle inscription, inchangé pour une inscription existante',
    },
    codes: enrollmentRoles,
    aliases: ['Role', 'Course role', 'Fonction au sein du cours', 'Rôle', 'Rôle au sein du cours'],
  },
  {
    name: 'system_availability',
    label: { en: 'System availability', fr: 'Disponibilité du système' },
    description: {
      en: "The learner's account: may they sign in (Y or N); empty leaves the account as it is",
      fr: 'Le compte de l’apprenant : peut-il se connecter (Y ou N) ; vide laisse le compte tel quel',
    },
    codes: yesNoCodes,
    aliases: ['System availability', 'Disponibilité du système', 'Disponibilité dans le système'],
  },
  {
    name: 'course_availability',
    label: { en: 'Course availability', fr: 'Disponibilité du cours' },
    description: {
      en: 'Is the course available to the learner (Y or N); empty: Y for a new enrollment, unchanged for an existing one',
      fr: 'Le cours est-il disponible pour l’apprenant (Y ou N) ; vide : Y pour une nouvelle inscription, inchangé sinon',
    },
    codes: yesNoCodes,
    aliases: ['Course availability', 'Disponibilité du cours'],
  },
];

/**
 * Any separator in a cell means the record was written with another separator than the
 * file's (or with `;`/`|`, which Blackboard does not allow): no valid value holds one, so the
 * record gets one clear error instead of a misleading one per column.
 */
const separatorInCell = /[,:\t;|]/;

function rejectOtherSeparators(cells: unknown, ctx: z.RefinementCtx): unknown {
  for (const [column, value] of Object.entries(cells as Record<string, string | null>)) {
    const found = value === null ? null : separatorInCell.exec(value);
    if (!found) continue;
    const separator = found[0] === '\t' ? 'tab' : found[0];
    ctx.addIssue({ code: 'custom', message: 'WRONG_SEPARATOR', path: [column], params: { code: 'WRONG_SEPARATOR', separator } });
    break;
  }
  return cells;
}

/** Empty optional cells stay null: resolve applies Blackboard's defaults to new enrollments only. */
export const rowSchema = z.preprocess(
  rejectOtherSeparators,
  z.object({
    course_id: required(identifier({ max: 100 })),
    username: required(identifier({ max: 100 })),
    role: code(enrollmentRoles),
    system_availability: yesNo(),
    course_availability: yesNo(),
  }),
);
export type EnrollmentRow = z.output<typeof rowSchema>;

export const messages = {
  WRONG_SEPARATOR: {
    en: '{column}: "{value}" contains a separator ({separator}): every record must use the file\'s separator (comma, colon or tab)',
    fr: '{column} : « {value} » contient un séparateur ({separator}) : chaque enregistrement doit utiliser le séparateur du fichier (virgule, deux-points ou tabulation)',
  },
  ENROLLMENT_EXISTS: {
    en: 'Learner "{learner}" is already enrolled in course "{course}" with other values ({changes}); onExisting REJECT keeps it as it is',
    fr: 'L’apprenant « {learner} » est déjà inscrit au cours « {course} » avec d’autres valeurs ({changes}) ; l’option « rejeter » la laisse telle quelle',
  },
};
