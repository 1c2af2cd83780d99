import path from 'node:path';
import { In } from 'typeorm';
import { z } from 'zod';
import { ADAPTER_API_VERSION, defineAdapter, type ImportContext, type Row, type RowDecision, type RowIssue } from '../../src/adapters/define-adapter';
import { decimal, required, text } from '../../src/adapters/fields';
import type { CodeEntry, LessonStatus } from '../../src/model/codes';
import lessonStats from '../lesson-stats';
import { OneRosterLineItem } from './line-item.entity';
import { isoDateTime, messages, plainCodes, readOnly, recordColumns, recordSchema, renamed, warning, withDeltaChecks, word } from './vocab';

/** results.csv `scoreStatus`, with the lesson status each becomes. */
export const scoreStatuses = [
  { code: 'exempt', status: 'C', label: { en: 'Exempt → C (completed)', fr: 'Dispensé → C (terminé)' } },
  { code: 'fully graded', status: 'C', label: { en: 'Fully graded → C (completed)', fr: 'Entièrement noté → C (terminé)' } },
  { code: 'submitted', status: 'C', label: { en: 'Submitted → C (completed)', fr: 'Rendu → C (terminé)' } },
  { code: 'partially graded', status: 'I', label: { en: 'Partially graded → I (incomplete)', fr: 'Partiellement noté → I (incomplet)' } },
  { code: 'not submitted', status: 'N', label: { en: 'Not submitted → N (not started)', fr: 'Non rendu → N (non commencé)' } },
] as const satisfies ReadonlyArray<CodeEntry & { status: LessonStatus }>;
const statusOf = new Map<string, LessonStatus>(scoreStatuses.map((entry) => [entry.code, entry.status]));

export const rowSchema = z.object({
  ...recordSchema,
  lineItemSourcedId: required(text({ max: 100 })),
  studentSourcedId: required(text({ max: 100 })),
  scoreStatus: word(scoreStatuses, { required: true }),
  score: required(decimal()),
  scoreDate: required(isoDateTime()),
  comment: text(),
});
type ResultRow = z.output<typeof rowSchema>;
type LessonRow = z.output<typeof lessonStats.rowSchema>;
type Plan = { lesson: unknown; data: LessonRow };

const toTarget = { user_loginid: 'studentSourcedId', crsvname: 'lineItemSourcedId', lsnvname: 'lineItemSourcedId', lesson_score: 'score', lesson_status_date: 'scoreDate' };

/** The score out of 100: (score − min) / (max − min) × 100 when the line item has a scale, else as given (it must then be 0–100). */
function scaled(score: number, scale: OneRosterLineItem): number | RowIssue {
  const min = scale.resultValueMin ?? 0;
  const max = scale.resultValueMax ?? 100;
  if (score < min || score > max) return { code: 'SCORE_OFF_SCALE', column: 'score', params: { value: String(score), min: String(min), max: String(max) } };
  return Math.round(((score - min) / (max - min)) * 100 * 100) / 100;
}

/**
 * results.csv → lesson statistics of the line item (a course item of its class), through the
 * lesson-stats adapter: status from scoreStatus, score scaled to 100 from the line item's
 * resultValueMin–resultValueMax, date from scoreDate. A result to be deleted is kept (a
 * statistic is the history of an attempt), with a warning.
 */
export default defineAdapter({
  apiVersion: ADAPTER_API_VERSION,
  name: 'oneroster-results',
  label: { en: 'OneRoster results.csv', fr: 'OneRoster results.csv' },
  description: {
    en: 'Results of a OneRoster package as lesson statistics of their line item: scoreStatus mapped, score scaled to 100 from resultValueMin/Max.',
    fr: 'Les résultats d’un paquet OneRoster comme statistiques de leçon de leur élément d’évaluation : scoreStatus converti, note ramenée sur 100 depuis resultValueMin/Max.',
  },
  columns: [
    ...recordColumns({ en: 'result', fr: 'du résultat' }),
    { name: 'lineItemSourcedId', label: { en: 'Line item', fr: 'Élément d’évaluation' }, description: { en: 'The line item (lineItems.csv)', fr: 'L’élément d’évaluation (lineItems.csv)' }, required: true },
    { name: 'studentSourcedId', label: { en: 'Student', fr: 'Élève' }, description: { en: 'The learner, by login', fr: 'L’apprenant, par son login' }, required: true },
    { name: 'scoreStatus', label: { en: 'Score status', fr: 'Statut de la note' }, description: { en: 'Mapped to a lesson status', fr: 'Converti en statut de leçon' }, required: true, codes: plainCodes(scoreStatuses) },
    { name: 'score', label: { en: 'Score', fr: 'Note' }, description: { en: 'On the line item’s scale', fr: 'Sur le barème de l’élément' }, required: true },
    { name: 'scoreDate', label: { en: 'Score date', fr: 'Date de la note' }, description: { en: 'ISO 8601: the status date', fr: 'ISO 8601 : la date du statut' }, required: true },
    readOnly('comment', 'Comment', 'Commentaire'),
  ],
  format: { delimiters: [','] },
  rowSchema,
  onExisting: lessonStats.onExisting,
  overlapBatches: lessonStats.overlapBatches,
  messages: {
    ...lessonStats.messages,
    ...messages,
    UNKNOWN_LINE_ITEM: { en: '{column}: no line item "{value}" (lineItems.csv)', fr: '{column} : aucun élément d’évaluation « {value} » (lineItems.csv)' },
    SCORE_OFF_SCALE: { en: '{column}: {value} is outside the line item’s scale {min}–{max}', fr: '{column} : {value} est hors du barème de l’élément {min}–{max}' },
    RESULT_KEPT: {
      en: 'The result is to be deleted: lesson statistics are never deleted here (each is an attempt); it is left as it is',
      fr: 'Le résultat est à supprimer : les statistiques de leçon ne sont jamais supprimées ici (chacune est une tentative) ; il est laissé tel quel',
    },
  },
  exampleFile: path.join(__dirname, 'example', 'results.csv'),

  async resolve(rows, ctx) {
    return withDeltaChecks(rows, ctx, async (passed) => {
      const ids = [...new Set(passed.map((row) => row.data.lineItemSourcedId))];
      const scales = new Map((await ctx.manager.findBy(OneRosterLineItem, { sourcedId: In(ids) })).map((scale) => [scale.sourcedId, scale]));
      const early = new Map<Row<ResultRow>, RowDecision<Plan>>();
      const lessons: Row<LessonRow>[] = [];
      for (const row of passed) {
        const { data } = row;
        const scale = scales.get(data.lineItemSourcedId);
        if (data.status === 'tobedeleted') early.set(row, { action: 'unchanged', issues: [warning('RESULT_KEPT', 'status', {})] });
        else if (!scale) early.set(row, { action: 'reject', issues: [{ code: 'UNKNOWN_LINE_ITEM', column: 'lineItemSourcedId', params: { value: data.lineItemSourcedId } }] });
        else {
          const score = scaled(data.score, scale);
          if (typeof score !== 'number') early.set(row, { action: 'reject', issues: [score] });
          else lessons.push({ line: row.line, data: lessonRow(data, scale.classCode, score) });
        }
      }
      const decided = lessons.length > 0 ? renamed(await lessonStats.resolve(lessons, ctx as ImportContext<Record<string, never>>), toTarget) : [];
      let next = 0;
      return passed.map((row): RowDecision<Plan> => {
        const found = early.get(row);
        if (found) return found;
        const data = lessons[next].data;
        const decision = decided[next++];
        if (decision.action === 'reject' || decision.action === 'unchanged') return decision;
        return { ...decision, plan: { lesson: decision.plan, data } };
      });
    });
  },

  async persist(rows, ctx) {
    const lessons = rows.map(({ row, action, plan }) => ({ row: { line: row.line, data: plan.data }, action, plan: plan.lesson }));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await lessonStats.persist(lessons as any, ctx as ImportContext<Record<string, never>>);
  },
});

function lessonRow(data: ResultRow, classCode: string, score: number): LessonRow {
  return {
    user_loginid: data.studentSourcedId,
    crsvname: classCode,
    lsnvname: data.lineItemSourcedId,
    lnk_type: 'A',
    lesson_status: statusOf.get(data.scoreStatus!)!,
    lesson_status_date: data.scoreDate.slice(0, 10),
    lesson_score: score,
    lesson_time: null,
    ilt_status: null,
  };
}
