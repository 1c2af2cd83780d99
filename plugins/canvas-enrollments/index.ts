import path from 'node:path';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { enrollmentLines } from '../../src/adapters/enrollment-lines';
import { OnExisting } from '../../src/imports/enums';
import { columns, delimiters, messages, rowSchema, type CanvasRow } from './columns';
import { syncKey } from '../../src/sync/sync-keys';

/**
 * The values a row asks for: `active` gives the role, available; `completed` and `inactive` the
 * role, unavailable; `deleted` makes the enrollment unavailable, never deletes it, so that the
 * learner's statistics in the course keep their enrollment (its role stays).
 */
const steps = enrollmentLines({
  adapter: 'canvas-enrollments',
  columns: { learner: 'user_id', course: 'course_id', role: 'role', state: 'status' },
  line: (row: CanvasRow) => ({ learner: row.user_id, course: row.course_id, role: row.role, ends: row.status === 'deleted', available: row.status === 'active' }),
});

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'canvas-enrollments',
  label: { en: 'Canvas SIS enrollments', fr: 'Inscriptions SIS Canvas' },
  description: {
    en: 'Enrolls existing learners in existing courses, or ends their enrollments, from a Canvas SIS import enrollments.csv (course_id, user_id, role, section_id, status; with a header).',
    fr: 'Inscrit des apprenants existants à des cours existants, ou met fin à leurs inscriptions, depuis le fichier enrollments.csv d’un import SIS Canvas (course_id, user_id, role, section_id, status ; avec en-tête).',
  },
  columns,
  format: { delimiters },
  rowSchema,
  // A SIS import states what Canvas should hold: a row for an enrolled user sets its role and status.
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  // Every row writes one enrollment of one learner.
  partitionKey: 'user_id',
  messages,
  // A sync (mode SNAPSHOT, Canvas's batch mode): enrollments of the data set no longer in the file are removed (made unavailable when they have statistics).
  sync: { scopes: [{ table: 'enrollments', key: (values) => syncKey(values.user_id, values.course_id) }] },
  exampleFile: path.join(__dirname, 'example.csv'),

  resolve: steps.resolve,
  persist: steps.persist,
});
