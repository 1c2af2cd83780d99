import path from 'node:path';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { required, text } from '../../src/adapters/fields';
import { OnExisting } from '../../src/imports/enums';
import classes from './classes';
import courses from './courses';
import enrollments from './enrollments';
import lineItems from './line-items';
import results from './results';
import { MANIFEST, manifestMessages, readManifest } from './manifest';
import users from './users';

/** In import order: what a file names is imported before it (classes before their line items, enrollments before results). */
const members = [
  { file: 'courses.csv', adapter: courses },
  { file: 'classes.csv', adapter: classes },
  { file: 'users.csv', adapter: users },
  { file: 'enrollments.csv', adapter: enrollments },
  { file: 'lineItems.csv', adapter: lineItems },
  { file: 'results.csv', adapter: results },
];

const refuse = () => Promise.reject(new Error('a package adapter runs its member files, never rows of its own'));

/**
 * A OneRoster 1.1/1.2 CSV export (a zip) as one import: manifest.csv says which files are there
 * and in which mode (bulk or delta); each is then imported by its own adapter, in the order above.
 * This adapter's columns are those of manifest.csv.
 */
export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster',
  label: { en: 'OneRoster CSV package (zip)', fr: 'Paquet CSV OneRoster (zip)' },
  description: {
    en: 'A OneRoster 1.1 or 1.2 CSV export (zip with manifest.csv): courses.csv and classes.csv → catalog, users.csv → learners, enrollments.csv → enrollments, lineItems.csv → course items, results.csv → lesson statistics, in one job; bulk and delta files.',
    fr: 'Un export CSV OneRoster 1.1 ou 1.2 (zip avec manifest.csv) : courses.csv et classes.csv → catalogue, users.csv → apprenants, enrollments.csv → inscriptions, lineItems.csv → éléments de cours, results.csv → statistiques de leçon, en un seul job ; fichiers bulk et delta.',
  },
  columns: [
    { name: 'propertyName', label: { en: 'Property', fr: 'Propriété' }, description: { en: 'manifest.version, oneroster.version, file.users…', fr: 'manifest.version, oneroster.version, file.users…' }, required: true },
    { name: 'value', label: { en: 'Value', fr: 'Valeur' }, description: { en: '1.0, 1.1 or 1.2, bulk, delta or absent…', fr: '1.0, 1.1 ou 1.2, bulk, delta ou absent…' }, required: true },
  ],
  rowSchema: z.object({ propertyName: required(text()), value: text() }),
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  package: {
    members,
    reads: [MANIFEST],
    plan: (texts, entries) => readManifest(texts[MANIFEST] ?? null, members.map((member) => member.file), entries),
  },
  messages: manifestMessages,
  exampleFile: path.join(__dirname, 'example', MANIFEST),
  resolve: refuse,
  persist: refuse,
});
