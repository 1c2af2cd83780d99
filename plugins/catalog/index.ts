import path from 'node:path';
import { ADAPTER_API_VERSION, defineAdapter } from '../../src/adapters/define-adapter';
import { courseColumn } from '../../src/adapters/columns';
import { OnExisting } from '../../src/imports/enums';
import { itemTypes } from '../../src/model/codes';
import { decide, type Plan } from './decide';
import { loadCatalog } from './load-catalog';
import { courseKindCodes, rowSchema } from './row';
import { writeCatalog, type Lined } from './write-catalog';
import { syncKey } from '../../src/sync/sync-keys';

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'catalog',
  label: { en: 'Catalog (courses and items)', fr: 'Catalogue (cours et éléments)' },
  description: {
    en: 'Creates courses and their items (lessons, assignments, webinars…), or updates them by identifier. A row without lsnvname declares a course; a row with lsnvname declares an item, and creates its course if missing. Empty cells leave the stored value as it is.',
    fr: 'Crée les cours et leurs éléments (leçons, missions, webinaires…), ou les met à jour par leur identifiant. Une ligne sans lsnvname déclare un cours ; une ligne avec lsnvname déclare un élément, et crée son cours s’il manque. Une cellule vide laisse la valeur enregistrée.',
  },
  columns: [
    courseColumn({ en: "The course's unique identifier", fr: 'L’identifiant unique du cours' }),
    {
      name: 'course_title',
      label: { en: 'Course title', fr: 'Titre du cours' },
      description: { en: 'Title of the course', fr: 'Titre du cours' },
      aliases: ['course_name', 'titre_cours'],
    },
    {
      name: 'lsnvname',
      label: { en: 'Item identifier', fr: 'Identifiant de l’élément' },
      description: {
        en: 'Identifier of the item within its course, e.g. {1B38F003-16A9-4432-AB}; empty for a course row',
        fr: 'Identifiant de l’élément dans son cours, par ex. {1B38F003-16A9-4432-AB} ; vide pour une ligne de cours',
      },
      aliases: ['lesson_id', 'item_id'],
    },
    {
      name: 'lnk_type',
      label: { en: 'Item type', fr: 'Type d’élément' },
      description: {
        en: 'Type of the item: required for a new item; an existing item keeps its type when empty',
        fr: 'Type de l’élément : obligatoire pour un nouvel élément ; vide, un élément existant garde son type',
      },
      codes: itemTypes,
      aliases: ['item_type', 'type'],
    },
    {
      name: 'lesson_title',
      label: { en: 'Item title', fr: 'Titre de l’élément' },
      description: { en: 'Title of the item', fr: 'Titre de l’élément' },
      aliases: ['item_title', 'titre_lecon'],
    },
    {
      name: 'course_kind',
      label: { en: 'Course kind', fr: 'Nature du cours' },
      description: {
        en: 'course or organization (Blackboard communities); a new course without a value is a course',
        fr: 'course ou organization (communautés Blackboard) ; un nouveau cours sans valeur est un cours',
      },
      codes: courseKindCodes,
      aliases: ['kind'],
    },
  ],
  rowSchema,
  onExisting: { choices: [OnExisting.UPDATE, OnExisting.REJECT], default: OnExisting.UPDATE },
  messages: {
    ITEM_ID_REQUIRED: {
      en: '{column} is required when {given} is given (a row without {column} declares a course)',
      fr: '{column} est obligatoire quand {given} est renseigné (une ligne sans {column} déclare un cours)',
    },
    ITEM_TYPE_REQUIRED: {
      en: '{column} is required: course "{course}" has no item "{item}" yet',
      fr: '{column} est obligatoire : le cours « {course} » n’a pas encore d’élément « {item} »',
    },
    COURSE_EXISTS: {
      en: 'Course "{course}" already exists with other values (onExisting: REJECT)',
      fr: 'Le cours « {course} » existe déjà avec d’autres valeurs (option : rejeter)',
    },
    ITEM_EXISTS: {
      en: 'Item "{item}" of course "{course}" already exists with other values (onExisting: REJECT)',
      fr: 'L’élément « {item} » du cours « {course} » existe déjà avec d’autres valeurs (option : rejeter)',
    },
    ITEM_TYPE_CHANGED: {
      en: 'Item "{item}" of course "{course}" changes type from {previous} to {value}; its {count} lesson statistic(s) are kept as they are',
      fr: 'L’élément « {item} » du cours « {course} » passe du type {previous} au type {value} ; ses {count} statistique(s) de leçon sont conservées telles quelles',
    },
  },
  // A sync (mode SNAPSHOT): courses and items of the data set no longer in the file are made inactive (kept with their statistics).
  sync: {
    scopes: [
      { table: 'courses', key: (values) => syncKey(values.crsvname) },
      { table: 'course_items', key: (values) => syncKey(values.crsvname, values.lsnvname) },
    ],
  },
  exampleFile: path.join(__dirname, 'example.csv'),

  async resolve(rows, ctx) {
    const catalog = await loadCatalog(rows, ctx);
    return rows.map((row) => decide(row, catalog));
  },

  async persist(rows, ctx) {
    await writeCatalog(
      rows.map((row): Plan & Lined => ({ ...row.plan, line: row.row.line })),
      ctx,
    );
  },
});
