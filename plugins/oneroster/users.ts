import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { email, required, text } from '../../src/adapters/fields';
import learners from '../learners';
import { booleans, messages, plainCodes, readOnly, recordColumns, recordSchema, renamed, userRoles, withDeltaChecks, word } from './vocab';

/**
 * users.csv → learners. The learner's login is the user's sourcedId: enrollments.csv and
 * results.csv name users by it. A user is available when enabledUser is true and its status is
 * not tobedeleted (nor 1.1's inactive): a deleted user is made unavailable, never removed.
 */
export const rowSchema = z
  .object({
    ...recordSchema,
    enabledUser: word(booleans, { required: true }),
    orgSourcedIds: text(),
    role: word(userRoles),
    username: required(text({ max: 100 })),
    userIds: text(),
    givenName: text({ max: 100 }),
    familyName: text({ max: 100 }),
    middleName: text(),
    identifier: text(),
    email: email(),
  })
  .transform((row) => ({
    ...row,
    // The learners adapter's row, for its resolve and persist.
    user_loginid: row.sourcedId,
    firstname: row.givenName,
    lastname: row.familyName,
    available: row.enabledUser === 'true' && row.status !== 'tobedeleted' && row.status !== 'inactive',
  }));

const toTarget = { user_loginid: 'sourcedId', firstname: 'givenName', lastname: 'familyName', available: 'enabledUser' };

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster-users',
  label: { en: 'OneRoster users.csv', fr: 'OneRoster users.csv' },
  description: {
    en: 'Users of a OneRoster 1.1/1.2 package as learners: login = sourcedId; available unless enabledUser is false or the status is tobedeleted.',
    fr: 'Les utilisateurs d’un paquet OneRoster 1.1/1.2 comme apprenants : login = sourcedId ; disponibles sauf si enabledUser vaut false ou si le statut est tobedeleted.',
  },
  columns: [
    ...recordColumns({ en: 'user', fr: 'de l’utilisateur' }),
    {
      name: 'enabledUser',
      label: { en: 'Enabled', fr: 'Activé' },
      description: { en: 'true or false: may the learner sign in', fr: 'true ou false : l’apprenant peut-il se connecter' },
      required: true,
      codes: plainCodes(booleans),
    },
    readOnly('orgSourcedIds', 'Organisations of the user (1.1; 1.2 has roles.csv)', 'Organisations de l’utilisateur (1.1 ; 1.2 a roles.csv)'),
    readOnly('role', 'Role of the user (1.1)', 'Rôle de l’utilisateur (1.1)', { codes: userRoles }),
    {
      name: 'username',
      label: { en: 'Username', fr: 'Nom d’utilisateur' },
      description: { en: 'Checked, not stored: the login is the sourcedId', fr: 'Vérifié, non enregistré : le login est le sourcedId' },
      required: true,
    },
    readOnly('userIds', 'Other identifiers, {type:id} list', 'Autres identifiants, liste {type:id}'),
    { name: 'givenName', label: { en: 'Given name', fr: 'Prénom' }, description: { en: 'First name', fr: 'Prénom' }, required: true },
    { name: 'familyName', label: { en: 'Family name', fr: 'Nom' }, description: { en: 'Last name', fr: 'Nom de famille' }, required: true },
    readOnly('middleName', 'Middle name', 'Deuxième prénom'),
    readOnly('identifier', 'Another human-readable identifier', 'Un autre identifiant lisible'),
    { name: 'email', label: { en: 'E-mail', fr: 'E-mail' }, description: { en: 'E-mail address', fr: 'Adresse e-mail' } },
    // The other columns of both versions (sms, phone, agentSourcedIds, grades, password; 1.2's
    // userMasterIdentifier, preferred names, primaryOrgSourcedId, pronouns…) are not read.
    ...['sms', 'phone', 'agentSourcedIds', 'grades', 'password', 'userMasterIdentifier', 'resourceSourcedIds', 'preferredGivenName', 'preferredMiddleName', 'preferredFamilyName', 'primaryOrgSourcedId', 'pronouns'].map((name) =>
      readOnly(name, 'OneRoster column', 'Colonne OneRoster'),
    ),
  ],
  format: { delimiters: [','] },
  rowSchema,
  onExisting: learners.onExisting,
  messages: { ...learners.messages, ...messages },
  exampleFile: path.join(__dirname, 'example', 'users.csv'),

  async resolve(rows, ctx) {
    return withDeltaChecks(rows, ctx, async (passed) => renamed(await learners.resolve(passed, ctx), toTarget));
  },
  persist: (rows, ctx) => learners.persist(rows, ctx),
});
