import type { AnyAdapter, PlannedRow, Row, RowDecision, RowIssue } from '../adapters/define-adapter';
import { renderMessage } from '../i18n/messages';
import { IssueSeverity } from '../imports/enums';
import type { IssueData } from '../imports/issue-data';
import type { CsvItem } from './csv-reader';
import { CellNote, CellProblem } from '../adapters/fields';
import { cellAt, fieldCountProblem, recordToCells, type ColumnMapping } from './header';
import { rowPlan, validateRow, type Plan } from './validate';

/** A record on its way through the pipeline. */
export interface PendingRecord {
  line: number;
  /** The record's fields (null when it did not parse: see raw). */
  fields: string[] | null;
  raw: string | null;
  /** Validated row, when the schema accepted it. */
  data?: unknown;
  issues: RowIssue[];
}

export type Outcome = 'added' | 'updated' | 'unchanged' | 'rejected';

export const isError = (issue: RowIssue) => (issue.severity ?? IssueSeverity.ERROR) === IssueSeverity.ERROR;

/** The issues of a record that has none: one frozen array for all of them (a record's issues are never added to afterwards). */
export const NO_RECORD_ISSUES = Object.freeze([]) as unknown as RowIssue[];

/** Tokenized → mapped → validated. Records that fail here never reach the adapter. */
export function prepareRecord(item: CsvItem, mapping: ColumnMapping, adapter: Pick<AnyAdapter, 'rowSchema'>, hasHeader: boolean): PendingRecord {
  if (item.kind === 'problem') {
    return { line: item.line, fields: null, raw: item.raw, issues: [{ code: item.code, params: { ...item.params } }] };
  }
  const count = fieldCountProblem(item.fields, mapping, hasHeader);
  if (count === null) {
    const data = quickRow(adapter, item.fields, mapping);
    if (data !== undefined) return { line: item.line, fields: item.fields, raw: null, issues: NO_RECORD_ISSUES, data };
  }
  const record: PendingRecord = { line: item.line, fields: item.fields, raw: null, issues: [] };
  if (count) {
    record.issues.push({
      code: count.code,
      severity: count.code === 'TOO_MANY_FIELDS' ? IssueSeverity.ERROR : IssueSeverity.WARNING,
      params: { count: count.count, expected: mapping.width },
    });
    if (count.code === 'TOO_MANY_FIELDS') return record;
  }
  const cells = recordToCells(item.fields, mapping);
  const unreadable = unreadableCells(cells);
  if (unreadable.length > 0) {
    record.issues.push(...unreadable);
    return record;
  }
  const validation = validateRow(adapter, cells);
  if (validation.ok) {
    record.data = validation.data;
    if (validation.warnings) record.issues.push(...validation.warnings);
  } else record.issues.push(...validation.issues);
  return record;
}

/** Where the columns of a schema validated without zod are found in a record. */
interface Layout {
  /** The row schema it was made for. */
  readonly schema: unknown;
  readonly plan: Plan;
  /** For each of the plan's keys, its field's index (-1: absent from the file). */
  readonly at: readonly number[];
  /** The fields of the mapping's other columns: checked for unreadable characters only. */
  readonly others: readonly number[];
}

const layouts = new WeakMap<ColumnMapping, Layout | null>();

function layoutOf(adapter: Pick<AnyAdapter, 'rowSchema'>, mapping: ColumnMapping): Layout | null {
  let layout = layouts.get(mapping);
  if (layout === undefined) {
    const plan = rowPlan(adapter);
    const { names, positions } = mapping;
    // A key the mapping lacks would be an absent cell: zod's own issue, the long way.
    layout = plan && plan.keys.every((key) => names.includes(key))
      ? {
          schema: adapter.rowSchema,
          plan,
          at: plan.keys.map((key) => positions[names.indexOf(key)]),
          others: positions.filter((_, i) => !plan.keys.includes(names[i])),
        }
      : null;
    layouts.set(mapping, layout);
  }
  return layout?.schema === adapter.rowSchema ? layout : null;
}

/**
 * The row a record gives, read straight from its fields without a cells object, when its schema
 * validates without zod and every cell is readable and valid. Undefined otherwise: the long way
 * (cells, then validateRow) then finds the problems — and for such records the same data.
 */
function quickRow(adapter: Pick<AnyAdapter, 'rowSchema'>, fields: string[], mapping: ColumnMapping): unknown {
  const keys = quickValues(adapter, fields, mapping, scratch);
  if (keys === null) return undefined;
  const data: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) data[keys[i]] = scratch[i];
  return data;
}

const scratch: unknown[] = [];

/**
 * quickRow's values, in the order of the schema's keys, written into `values`: the keys, or
 * null when the record needs the long way (see quickRow). For a worker thread that hands values
 * over by column.
 */
export function quickValues(adapter: Pick<AnyAdapter, 'rowSchema'>, fields: string[], mapping: ColumnMapping, values: unknown[]): readonly string[] | null {
  const layout = layoutOf(adapter, mapping);
  if (layout === null) return null;
  const { plan, at, others } = layout;
  for (let i = 0; i < at.length; i++) {
    const value = cellAt(fields, at[i]);
    if (isUnreadable(value)) return null;
    const result = plan.checks[i](value);
    // A noted value (a status word) goes the long way too: its warning is on the record.
    if (result instanceof CellProblem || result instanceof CellNote) return null;
    values[i] = result;
  }
  for (let i = 0; i < others.length; i++) if (isUnreadable(cellAt(fields, others[i]))) return null;
  return plan.keys;
}

/** Control characters no spreadsheet writes, and U+FFFD where bytes could not be decoded. */
const unreadable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/;
const isUnreadable = (value: string | null) => value !== null && unreadable.test(value);

/** Whether a cell may hold unreadable characters: one pass, nothing allocated. */
function mayBeUnreadable(cells: Record<string, string | null>): boolean {
  for (const column in cells) if (isUnreadable(cells[column])) return true;
  return false;
}

const none: readonly RowIssue[] = [];

/** Cells holding binary garbage are an error, never data: no silent guess on any byte. */
function unreadableCells(cells: Record<string, string | null>): readonly RowIssue[] {
  if (!mayBeUnreadable(cells)) return none;
  return Object.entries(cells)
    .filter(([, value]) => isUnreadable(value))
    .map(([column, value]) => ({
      code: 'INVALID_CHARACTERS',
      column,
      params: { value: JSON.stringify(value).slice(1, -1).slice(0, 60) },
    }));
}

/** A record the schema accepted without an error: a Row for the adapter. */
export type AcceptedRecord = PendingRecord & Row<unknown>;

export const isAccepted = (record: PendingRecord): record is AcceptedRecord => record.data !== undefined && !record.issues.some(isError);

/**
 * Applies resolve's decisions to the accepted records; returns each record's outcome. An
 * ERROR on a row the adapter accepted rejects it: an error never goes with a written row.
 */
export function applyDecisions(
  records: PendingRecord[],
  decisions: RowDecision<unknown>[],
): { outcomes: Outcome[]; issues: RowIssue[][]; planned: PlannedRow<unknown, unknown>[] } {
  const outcomes: Outcome[] = [];
  const issues: RowIssue[][] = [];
  const planned: PlannedRow<unknown, unknown>[] = [];
  let next = 0;
  records.forEach((record) => {
    if (!isAccepted(record)) {
      outcomes.push('rejected');
      issues.push(record.issues);
      return;
    }
    const decision = decisions[next++];
    const rowIssues = decision.issues?.length ? [...record.issues, ...decision.issues] : record.issues;
    if (decision.action === 'reject' || rowIssues.some(isError)) {
      outcomes.push('rejected');
      issues.push(
        rowIssues.some(isError) ? rowIssues : [...rowIssues, { code: 'INTERNAL_ERROR', params: { detail: 'rejected without a reason' } }],
      );
      return;
    }
    issues.push(rowIssues);
    if (decision.action === 'unchanged') {
      outcomes.push('unchanged');
      return;
    }
    outcomes.push(decision.action === 'add' ? 'added' : 'updated');
    planned.push({ row: record, action: decision.action, plan: decision.plan });
  });
  return { outcomes, issues, planned };
}

/** A row issue as stored: severity defaulted, message rendered in English. */
export function toIssueData(issue: RowIssue, line: number | null, adapter: AnyAdapter): IssueData {
  const params = { ...(issue.params ?? {}) };
  return {
    line,
    column: issue.column ?? null,
    severity: (issue.severity as IssueSeverity | undefined) ?? IssueSeverity.ERROR,
    code: issue.code,
    message: renderMessage(issue.code, { column: issue.column ?? '', ...params }, 'en', adapter.messages),
    params: Object.keys(params).length > 0 ? params : null,
  };
}
