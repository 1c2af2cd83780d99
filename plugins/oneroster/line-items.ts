import path from 'node:path';
import { In } from 'typeorm';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter, type ImportContext, type RowDecision } from '../../src/adapters/define-adapter';
import { decimal, required, text } from '../../src/adapters/fields';
import catalog from '../catalog';
import type { Plan as CatalogPlan } from '../catalog/decide';
import { courseMessages, persistCourses } from './catalog-rows';
import { OneRosterLineItem, OneRosterLineItems1764950000000 } from './line-item.entity';
import { isoDateTime, messages, readOnly, recordColumns, recordSchema, renamed, warning, withDeltaChecks } from './vocab';

/**
 * lineItems.csv → course items: each line item is an assignment (A) of its class, code =
 * sourcedId, title; its score scale (resultValueMin–resultValueMax) is kept for results.csv.
 */
export const rowSchema = z
  .object({
    ...recordSchema,
    title: required(text({ max: 255 })),
    description: text(),
    assignDate: isoDateTime(),
    dueDate: isoDateTime(),
    classSourcedId: required(text({ max: 100 })),
    categorySourcedId: text(),
    gradingPeriodSourcedId: text(),
    resultValueMin: decimal(),
    resultValueMax: decimal(),
  })
  .superRefine((row, ctx) => {
    if (row.resultValueMin !== null && row.resultValueMax !== null && row.resultValueMax <= row.resultValueMin) {
      ctx.addIssue({ code: 'custom', path: ['resultValueMax'], message: 'SCALE_EMPTY', params: { code: 'SCALE_EMPTY', value: String(row.resultValueMax), min: String(row.resultValueMin) } });
    }
  })
  .transform((row) => ({ ...row, crsvname: row.classSourcedId, course_title: null, lsnvname: row.sourcedId, lnk_type: 'A' as const, lesson_title: row.title, course_kind: null }));
type LineItemRow = z.output<typeof rowSchema>;

type Scale = Pick<OneRosterLineItem, 'sourcedId' | 'classCode' | 'resultValueMin' | 'resultValueMax'>;
type Plan = { catalog: CatalogPlan | null; scale: Scale | null };

const toTarget = { crsvname: 'classSourcedId', lsnvname: 'sourcedId', lesson_title: 'title' };

export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster-line-items',
  label: { en: 'OneRoster lineItems.csv', fr: 'OneRoster lineItems.csv' },
  description: {
    en: 'Line items of a OneRoster package as assignments (A) of their class, code = sourcedId; their score scale is kept for results.csv.',
    fr: 'Les éléments d’évaluation d’un paquet OneRoster comme devoirs (A) de leur classe, code = sourcedId ; leur barème est gardé pour results.csv.',
  },
  columns: [
    ...recordColumns({ en: 'line item', fr: 'de l’élément d’évaluation' }),
    { name: 'title', label: { en: 'Title', fr: 'Titre' }, description: { en: 'Title of the assignment', fr: 'Titre du devoir' }, required: true },
    readOnly('description', 'Description', 'Description'),
    readOnly('assignDate', 'Assigned on, ISO 8601', 'Donné le, ISO 8601', { required: true }),
    readOnly('dueDate', 'Due on, ISO 8601', 'À rendre le, ISO 8601', { required: true }),
    { name: 'classSourcedId', label: { en: 'Class', fr: 'Classe' }, description: { en: 'The class (a catalog course)', fr: 'La classe (un cours du catalogue)' }, required: true },
    readOnly('categorySourcedId', 'Category', 'Catégorie', { required: true }),
    readOnly('gradingPeriodSourcedId', 'Grading period (1.1)', 'Période de notation (1.1)'),
    { name: 'resultValueMin', label: { en: 'Lowest score', fr: 'Note minimale' }, description: { en: 'Lowest score of the scale', fr: 'Note la plus basse du barème' } },
    { name: 'resultValueMax', label: { en: 'Highest score', fr: 'Note maximale' }, description: { en: 'Highest score: results are scaled to 100 from it', fr: 'Note la plus haute : les résultats sont ramenés sur 100 à partir d’elle' } },
  ],
  format: { delimiters: [','] },
  rowSchema,
  onExisting: catalog.onExisting,
  entities: [OneRosterLineItem],
  migrations: [OneRosterLineItems1764950000000],
  messages: {
    ...courseMessages,
    ...messages,
    SCALE_EMPTY: { en: '{column}: {value} is not above resultValueMin {min}', fr: '{column} : {value} n’est pas supérieur à resultValueMin {min}' },
  },
  exampleFile: path.join(__dirname, 'example', 'lineItems.csv'),

  async resolve(rows, ctx) {
    return withDeltaChecks(rows, ctx, async (passed) => {
      const kept = passed.filter((row) => row.data.status !== 'tobedeleted');
      const items = renamed(kept.length > 0 ? await catalog.resolve(kept, ctx as ImportContext<Record<string, never>>) : [], toTarget);
      const stored = new Map(
        kept.length === 0 ? [] : (await ctx.manager.findBy(OneRosterLineItem, { sourcedId: In(kept.map((row) => row.data.sourcedId)) })).map((scale) => [scale.sourcedId, scale]),
      );
      let next = 0;
      return passed.map((row): RowDecision<Plan> => {
        if (row.data.status === 'tobedeleted') return { action: 'unchanged', issues: [warning('COURSE_KEPT', 'status', { course: `${row.data.classSourcedId}/${row.data.sourcedId}` })] };
        const item = items[next++];
        if (item.action === 'reject') return item;
        const scale = scaleOf(row.data);
        const before = stored.get(scale.sourcedId);
        const changed = !before || (['classCode', 'resultValueMin', 'resultValueMax'] as const).some((key) => before[key] !== scale[key]);
        const plan = { catalog: item.action === 'unchanged' ? null : item.plan, scale: changed ? scale : null };
        if (item.action !== 'unchanged') return { ...item, plan };
        return changed ? { action: 'update', plan, issues: item.issues } : item;
      });
    });
  },

  async persist(rows, ctx) {
    const items = rows.flatMap((row) => (row.plan.catalog ? [{ ...row, plan: row.plan.catalog }] : []));
    if (items.length > 0) await persistCourses(items, ctx);
    for (const { plan } of rows) {
      if (!plan.scale) continue;
      const { sourcedId, ...values } = plan.scale;
      const { affected } = await ctx.manager.update(OneRosterLineItem, { sourcedId }, values);
      if (!affected) await ctx.manager.insert(OneRosterLineItem, plan.scale);
    }
  },
});

function scaleOf(row: LineItemRow): Scale {
  return { sourcedId: row.sourcedId, classCode: row.classSourcedId, resultValueMin: row.resultValueMin, resultValueMax: row.resultValueMax };
}
