import type { Localized } from '../i18n/localized';
import type { ColumnDefinition } from './define-adapter';

/**
 * Columns of the LMS vocabulary that several adapters read (SPEC §4): one definition each;
 * an adapter may say what the column means for it with its own description.
 */

export const learnerLoginColumn = (
  description: Localized = { en: "The learner's login; the learner must exist", fr: "Le login de l'apprenant, qui doit exister" },
): ColumnDefinition => ({
  name: 'user_loginid',
  label: { en: 'Learner login', fr: 'Login apprenant' },
  description,
  required: true,
  aliases: ['login', 'username', 'user'],
});

export const courseColumn = (
  description: Localized = { en: 'The unique identifier of an existing course', fr: "L'identifiant unique d'un cours existant" },
): ColumnDefinition => ({
  name: 'crsvname',
  label: { en: 'Course identifier', fr: 'Identifiant du cours' },
  description,
  required: true,
  aliases: ['course_id', 'course id', 'course'],
});

/** A status date: an empty cell takes the date of the import. */
export const statusDateColumn = (name: string): ColumnDefinition => ({
  name,
  label: { en: 'Status date', fr: 'Date du statut' },
  description: {
    en: 'yyyy/mm/dd, yyyy-mm-dd or dd/mm/yyyy; empty: the date of the import',
    fr: "aaaa/mm/jj, aaaa-mm-jj ou jj/mm/aaaa ; vide : la date de l'import",
  },
});
