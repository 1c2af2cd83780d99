import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter, type RowDecision } from '../../src/adapters/define-adapter';
import { learnerLoginColumn } from '../../src/adapters/columns';
import { DryRunMemory } from '../../src/adapters/dry-run-memory';
import { email, required, text, yesNo } from '../../src/adapters/fields';
import { learnersByLogin } from '../../src/adapters/references';
import { insertRows } from '../../src/db/bulk';
import { OnExisting } from '../../src/imports/enums';
import { yesNo as yesNoCodes } from '../../src/model/codes';
import { Learner } from '../../src/model/learner.entity';
import { syncKey } from '../../src/sync/sync-keys';

const rowSchema = z.object({
  user_loginid: required(text({ max: 100 })),
  firstname: text({ max: 100 }),
  lastname: text({ max: 100 }),
  email: email(),
  available: yesNo(),
});
type LearnerRow = z.output<typeof rowSchema>;

type Values = Pick<Learner, 'firstName' | 'lastName' | 'email' | 'available'>;
/** A learner as this job knows it; `id` when it is in the database. */
type Known = { values: Values; id?: number };
/** add: the new learner; update: the changed values, and the row's previous ones when it is in the database. */
type Plan = { loginId: string; values: Partial<Values>; id?: number; previous?: Partial<Values> };

const given = (row: LearnerRow): Partial<Values> => {
  const values: Partial<Values> = {};
  if (row.firstname !== null) values.firstName = row.firstname;
  if (row.lastname !== null) values.lastName = row.lastname;
  if (row.email !== null) values.email = row.email;
  if (row.available !== null) values.available = row.available;
  return values;
};

/** Values of `wanted` that differ from `current`. */
function changes(current: Values, wanted: Partial<Values>): Partial<Values> {
  return Object.fromEntries(
    Object.entries(wanted).filter(([key, value]) => current[key as keyof Values] !== value),
  ) as Partial<Values>;
}

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'learners',
  label: { en: 'Learners', fr: 'Apprenants' },
  description: {
    en: 'Creates learners, or updates them by login. Empty cells leave the stored value as it is.',
    fr: 'Crée les apprenants, ou les met à jour par leur login. Une cellule vide laisse la valeur enregistrée.',
  },
  columns: [
    learnerLoginColumn({ en: "The learner's unique login", fr: "Le login unique de l'apprenant" }),
    {
      name: 'firstname',
      label: { en: 'First name', fr: 'Prénom' },
      description: { en: 'First name', fr: 'Prénom' },
      aliases: ['first_name', 'prénom', 'prenom'],
    },
    {
      name: 'lastname',
      label: { en: 'Last name', fr: 'Nom' },
      description: { en: 'Last name', fr: 'Nom de famille' },
      aliases: ['last_name', 'nom'],
    },
    {
      name: 'email',
      label: { en: 'E-mail', fr: 'E-mail' },
      description: { en: 'E-mail address', fr: 'Adresse e-mail' },
      aliases: ['e-mail', 'mail', 'courriel'],
    },
    {
      name: 'available',
      label: { en: 'Available', fr: 'Disponible' },
      description: {
        en: 'May the learner sign in: Y or N (a new learner without a value is available)',
        fr: "L'apprenant peut-il se connecter : Y ou N (un nouvel apprenant sans valeur est disponible)",
      },
      codes: yesNoCodes,
      aliases: ['system_availability', 'disponible'],
    },
  ],
  rowSchema,
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  messages: {
    LEARNER_EXISTS: {
      en: 'Learner {login} already exists (onExisting: REJECT)',
      fr: "L'apprenant {login} existe déjà (option : rejeter)",
    },
  },
  // A sync (mode SNAPSHOT): a learner of the data set no longer in the file is made unavailable.
  sync: { scopes: [{ table: 'learners', key: (values) => syncKey(values.user_loginid) }] },
  exampleFile: path.join(__dirname, 'example.csv'),

  async resolve(rows, ctx) {
    const stored = await learnersByLogin(ctx.manager, rows.map((row) => row.data.user_loginid));
    const memory = DryRunMemory.of(ctx, 'learners');
    memory?.rewind(rows[0].line); // a batch resolved again must not see its own earlier attempt
    // What this batch decided, then (dry runs) what earlier batches would have written, then the database.
    const current = new Map<string, Known>();
    const lookUp = (loginId: string): Known | undefined => {
      const learner = stored.get(loginId);
      return current.get(loginId) ?? (memory?.get(loginId) as Known | undefined) ?? (learner && { values: learner, id: learner.id });
    };
    const remember = (line: number, loginId: string, known: Known) => {
      current.set(loginId, known);
      memory?.set(line, loginId, known);
    };
    return rows.map(({ line, data }): RowDecision<Plan> => {
      const loginId = data.user_loginid;
      const wanted = given(data);
      const existing = lookUp(loginId);
      if (!existing) {
        const values: Values = { firstName: null, lastName: null, email: null, available: true, ...wanted };
        remember(line, loginId, { values });
        return { action: 'add', plan: { loginId, values } };
      }
      const changed = changes(existing.values, wanted);
      if (Object.keys(changed).length === 0) return { action: 'unchanged' };
      if (ctx.job.onExisting === OnExisting.REJECT) {
        return { action: 'reject', issues: [{ code: 'LEARNER_EXISTS', column: 'user_loginid', params: { login: loginId } }] };
      }
      const previous = Object.fromEntries(Object.keys(changed).map((key) => [key, existing.values[key as keyof Values]]));
      remember(line, loginId, { values: { ...existing.values, ...changed }, id: existing.id });
      return { action: 'update', plan: { loginId, values: changed, id: existing.id, previous } };
    });
  },

  async persist(rows, ctx) {
    const jobId = ctx.job.id;
    const inserts = rows.filter((row) => row.action === 'add').map(({ plan, row }) => ({ loginId: plan.loginId, ...plan.values, createdJobId: jobId, createdLine: row.line }));
    await insertRows(ctx.manager, Learner, inserts);
    for (const { action, plan, row } of rows) {
      if (action !== 'update') continue;
      if (plan.id !== undefined && plan.previous) ctx.keepPreviousValues('learners', plan.id, plan.previous, row.line);
      await ctx.manager.update(Learner, { loginId: plan.loginId }, { ...plan.values, updatedJobId: jobId });
    }
  },
});
