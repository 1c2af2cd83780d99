import path from 'node:path';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { enrollmentLines } from '../../src/adapters/enrollment-lines';
import { OnExisting } from '../../src/imports/enums';
import { columns, delimiters, messages, rowSchema, type MoodleRow } from './columns';

/**
 * The values a line asks for. `add` enrols with the role and makes the enrollment available
 * (Moodle re-enables a suspended enrolment); `del` unenrols: the enrollment is made unavailable,
 * never deleted, so that the learner's statistics in the course keep their enrollment.
 */
const steps = enrollmentLines({
  adapter: 'moodle-enrolment',
  columns: { learner: 'user_idnumber', course: 'course_idnumber', role: 'role', state: 'operation' },
  line: (row: MoodleRow) => ({ learner: row.user_idnumber, course: row.course_idnumber, role: row.role, ends: row.operation === 'del', available: true }),
});

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'moodle-enrolment',
  label: { en: 'Moodle flat file enrolments', fr: 'Inscriptions par fichier plat Moodle' },
  description: {
    en: 'Enrols existing learners in existing courses, or unenrols them, from a Moodle "Flat file" enrolment file (operation, role, user idnumber, course idnumber, start time, end time; no header).',
    fr: 'Inscrit des apprenants existants à des cours existants, ou les désinscrit, depuis un fichier d’inscription « Fichier plat » de Moodle (opération, rôle, numéro d’identification de l’utilisateur, du cours, début, fin ; sans en-tête).',
  },
  columns,
  format: { delimiters },
  rowSchema,
  // Moodle's flat file applies every line: an `add` for an enrolled user sets its role and re-enables it.
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  // Every line writes one enrollment of one learner.
  partitionKey: 'user_idnumber',
  messages,
  exampleFile: path.join(__dirname, 'example.csv'),

  resolve: steps.resolve,
  persist: steps.persist,
});
