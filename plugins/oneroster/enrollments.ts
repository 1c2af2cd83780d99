import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { enrollmentLines } from '../../src/adapters/enrollment-lines';
import { mappedWord, required, text } from '../../src/adapters/fields';
import { OnExisting } from '../../src/imports/enums';
import type { EnrollmentRole } from '../../src/model/codes';
import { booleans, enrollmentRoles, isoDateTime, messages, plainCodes, readOnly, recordColumns, recordSchema, withDeltaChecks, word } from './vocab';

const roleOf = new Map<string, EnrollmentRole>(enrollmentRoles.map((entry) => [entry.code, entry.role]));

/** A OneRoster role, any case, as the enrollment role it maps to (1.2's `ext:` roles are unknown here). */
const role = mappedWord(roleOf, 'UNKNOWN_ROLE');

export const rowSchema = z
  .object({
    ...recordSchema,
    classSourcedId: required(text({ max: 100 })),
    schoolSourcedId: required(text()),
    userSourcedId: required(text({ max: 100 })),
    role,
    primary: word(booleans),
    beginDate: isoDateTime(),
    endDate: isoDateTime(),
  })
  .superRefine((row, ctx) => {
    if (row.beginDate !== null && row.endDate !== null && row.endDate.slice(0, 10) < row.beginDate.slice(0, 10)) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'END_BEFORE_BEGIN', params: { code: 'END_BEFORE_BEGIN', value: row.endDate, begin: row.beginDate } });
    }
  });
type EnrollmentRow = z.output<typeof rowSchema>;

/**
 * A record enrolls its user in its class with the mapped role; tobedeleted (or 1.1's inactive)
 * ends the enrollment: made unavailable, never deleted, as Moodle's `del` and Canvas's `deleted`.
 */
const steps = enrollmentLines({
  adapter: 'oneroster-enrollments',
  columns: { learner: 'userSourcedId', course: 'classSourcedId', role: 'role', state: 'status' },
  line: (row: EnrollmentRow) => ({ learner: row.userSourcedId, course: row.classSourcedId, role: row.role, ends: row.status === 'tobedeleted', available: row.status !== 'inactive' }),
});

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster-enrollments',
  label: { en: 'OneRoster enrollments.csv', fr: 'OneRoster enrollments.csv' },
  description: {
    en: 'Enrollments of a OneRoster package: the user (sourcedId = login) in the class (sourcedId = course code), roles mapped; tobedeleted ends the enrollment.',
    fr: 'Les inscriptions d’un paquet OneRoster : l’utilisateur (sourcedId = login) dans la classe (sourcedId = code du cours), rôles convertis ; tobedeleted met fin à l’inscription.',
  },
  columns: [
    ...recordColumns({ en: 'enrollment', fr: 'de l’inscription' }),
    { name: 'classSourcedId', label: { en: 'Class', fr: 'Classe' }, description: { en: 'The class (a course of the catalog)', fr: 'La classe (un cours du catalogue)' }, required: true },
    readOnly('schoolSourcedId', 'The school', 'L’école', { required: true }),
    { name: 'userSourcedId', label: { en: 'User', fr: 'Utilisateur' }, description: { en: 'The user (a learner, by login)', fr: 'L’utilisateur (un apprenant, par son login)' }, required: true },
    {
      name: 'role',
      label: { en: 'Role', fr: 'Rôle' },
      description: { en: 'OneRoster role, mapped to an enrollment role', fr: 'Rôle OneRoster, converti en rôle d’inscription' },
      required: true,
      codes: plainCodes(enrollmentRoles),
    },
    readOnly('primary', 'true or false: the class’s primary teacher', 'true ou false : l’enseignant principal de la classe', { codes: plainCodes(booleans) }),
    readOnly('beginDate', 'Start of the enrollment, yyyy-mm-dd', 'Début de l’inscription, aaaa-mm-jj'),
    readOnly('endDate', 'End of the enrollment, yyyy-mm-dd', 'Fin de l’inscription, aaaa-mm-jj'),
  ],
  format: { delimiters: [','] },
  rowSchema,
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  messages: {
    ...messages,
    UNKNOWN_ROLE: {
      en: '{column}: "{value}" is not a OneRoster role this import knows (allowed: {allowed})',
      fr: '{column} : « {value} » n’est pas un rôle OneRoster connu de cet import (rôles admis : {allowed})',
    },
    END_BEFORE_BEGIN: {
      en: '{column}: {value} is before the begin date {begin}',
      fr: '{column} : {value} est antérieure à la date de début {begin}',
    },
  },
  exampleFile: path.join(__dirname, 'example', 'enrollments.csv'),
  resolve: (rows, ctx) => withDeltaChecks(rows, ctx, (passed) => steps.resolve(passed, ctx)),
  persist: steps.persist,
});
