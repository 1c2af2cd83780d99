import { z } from 'zod';
import type { AnyAdapter, RowIssue } from '../adapters/define-adapter';
import { IssueSeverity } from '../imports/enums';
import { CellNote, CellProblem, cellCheckOf, cellFromRecipe, cellRecipeOf, type CellCheck, type CellRecipe } from '../adapters/fields';

/** Issue codes for zod's own issues, when a schema does not choose one with `params.code`. */
function codeOf(issue: z.core.$ZodIssue, cellValue: string | null | undefined): string {
  const chosen = (issue as { params?: { code?: unknown } }).params?.code;
  if (typeof chosen === 'string') return chosen;
  switch (issue.code) {
    case 'invalid_type':
      return cellValue === null || cellValue === undefined ? 'REQUIRED' : 'INVALID_VALUE';
    case 'invalid_value':
      return 'INVALID_CODE';
    case 'too_big':
    case 'too_small':
      return 'OUT_OF_RANGE';
    default:
      return 'INVALID_VALUE';
  }
}

/** A valid row, with its cells' WARNING notes (a status word read as its code) when it has any. */
export type Validation<T> = { ok: true; data: T; warnings?: RowIssue[] } | { ok: false; issues: RowIssue[] };

/** A cell's note as the row's warning. */
const noteIssue = (note: CellNote, column: string): RowIssue => ({ code: note.code, column, severity: IssueSeverity.WARNING, params: { ...note.params } });

/**
 * Runs the adapter's row schema over a record's cells; each zod issue becomes a row issue.
 * A row schema that is a plain `z.object` of `fields` columns runs without zod (`validateWithZod`
 * gives the same results, slower); any other schema goes through zod.
 */
export function validateRow<T>(adapter: Pick<AnyAdapter, 'rowSchema'>, cells: Record<string, string | null>): Validation<T> {
  const plan = planFor(adapter.rowSchema);
  return plan === null ? validateWithZod(adapter, cells) : validateWithPlan(plan, adapter, cells);
}

/** The row schema's own safeParse, its issues as row issues: the contract, for any schema. */
export function validateWithZod<T>(adapter: Pick<AnyAdapter, 'rowSchema'>, cells: Record<string, string | null>): Validation<T> {
  const result = adapter.rowSchema.safeParse(cells);
  if (result.success) {
    const warnings = notesOf(adapter.rowSchema, cells);
    return warnings ? { ok: true, data: result.data as T, warnings } : { ok: true, data: result.data as T };
  }
  const issues = result.error.issues.map((issue): RowIssue => {
    const column = issue.path.length > 0 ? String(issue.path[0]) : null;
    const value = column === null ? undefined : cells[column];
    const { code: _chosen, ...params } = ((issue as { params?: Record<string, string | number> }).params ?? {}) as Record<
      string,
      string | number
    >;
    return {
      code: codeOf(issue, value),
      column,
      params: { ...(value === null || value === undefined ? {} : { value }), detail: issue.message, ...params },
    };
  });
  return { ok: false, issues };
}

/**
 * The notes of a valid row's `fields` columns (zod keeps only their values): each such column of
 * a `z.object` asked again, in the shape's order, as validateWithPlan meets them.
 */
function notesOf(schema: unknown, cells: Record<string, string | null>): RowIssue[] | undefined {
  const shape = (schema as { _zod?: { def?: ObjectDef } })._zod?.def?.shape;
  if (typeof shape !== 'object' || shape === null) return undefined;
  let warnings: RowIssue[] | undefined;
  for (const key of Object.keys(shape)) {
    const check = cellCheckOf(shape[key]);
    const value = cells[key];
    if (check === undefined || (value !== null && typeof value !== 'string')) continue;
    const result = check(value ?? null);
    if (result instanceof CellNote) (warnings ??= []).push(noteIssue(result, key));
  }
  return warnings;
}

/** A row schema's columns, in zod's order (its shape's keys), each with its check function. */
export interface Plan {
  readonly keys: readonly string[];
  readonly checks: readonly CellCheck[];
}

const plans = new WeakMap<object, Plan | null>();

/** The adapter's row schema as a plan when it validates without zod, else null. */
export const rowPlan = (adapter: Pick<AnyAdapter, 'rowSchema'>): Plan | null => planFor(adapter.rowSchema);

/** A row schema validated without zod, as plain data: its keys, in order, and how each column was made. */
export interface RowRecipe {
  readonly keys: readonly string[];
  readonly cells: readonly CellRecipe[];
}

/** The recipe of a row schema that has a plan (every column a `fields` helper's), else null. */
export function rowRecipe(schema: unknown): RowRecipe | null {
  const plan = planFor(schema);
  if (plan === null) return null;
  const shape = (schema as { _zod: { def: ObjectDef } })._zod.def.shape!;
  const cells = plan.keys.map((key) => cellRecipeOf(shape[key]));
  return cells.every((cell) => cell !== undefined) ? { keys: plan.keys, cells: cells as CellRecipe[] } : null;
}

/** The row schema a recipe describes: same columns, same checks, same plan. */
export function rowSchemaFromRecipe(recipe: RowRecipe): z.ZodType {
  return z.object(Object.fromEntries(recipe.keys.map((key, i) => [key, cellFromRecipe(recipe.cells[i])])));
}

function planFor(schema: unknown): Plan | null {
  if (typeof schema !== 'object' || schema === null) return null;
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = compile(schema);
    plans.set(schema, plan);
  }
  return plan;
}

interface ObjectDef {
  type?: unknown;
  shape?: Record<string, unknown>;
  catchall?: unknown;
  checks?: readonly unknown[];
}

/**
 * A plan when the schema is a `z.object` whose every column is a `fields` helper's schema (or
 * `required` of one), without catchall (strict/loose) nor object-level checks (refine,
 * superRefine); null otherwise: zod parses it.
 */
function compile(schema: object): Plan | null {
  const def = (schema as { _zod?: { def?: ObjectDef } })._zod?.def;
  if (def?.type !== 'object' || def.catchall !== undefined || (def.checks?.length ?? 0) > 0) return null;
  const shape = def.shape;
  if (typeof shape !== 'object' || shape === null || Object.getOwnPropertySymbols(shape).length > 0) return null;
  const keys = Object.keys(shape); // zod's own order, also for its output's keys
  if (keys.includes('__proto__')) return null;
  const checks: CellCheck[] = [];
  for (const key of keys) {
    const check = cellCheckOf(shape[key]);
    if (check === undefined) return null;
    checks.push(check);
  }
  return { keys, checks };
}

/** What zod would give for such a schema: same data (same key order), same issues in the same order. */
function validateWithPlan<T>(plan: Plan, adapter: Pick<AnyAdapter, 'rowSchema'>, cells: Record<string, string | null>): Validation<T> {
  const { keys, checks } = plan;
  const data: Record<string, unknown> = {};
  let issues: RowIssue[] | null = null;
  let warnings: RowIssue[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = cells[key];
    // An absent cell or one that is not a string nor null: zod's own issues.
    if ((value !== null && typeof value !== 'string') || !(key in cells)) return validateWithZod(adapter, cells);
    const result = checks[i](value);
    if (result instanceof CellProblem) {
      // As validateWithZod builds it from the custom issue: its message is the code.
      const params = value === null ? { detail: result.code, ...result.params } : { value, detail: result.code, ...result.params };
      (issues ??= []).push({ code: result.code, column: key, params });
    } else if (result instanceof CellNote) {
      (warnings ??= []).push(noteIssue(result, key));
      if (issues === null) data[key] = result.value;
    } else if (issues === null) {
      data[key] = result;
    }
  }
  if (issues !== null) return { ok: false, issues };
  return warnings ? { ok: true, data: data as T, warnings } : { ok: true, data: data as T };
}
