import type { z } from 'zod';
import type { AnyAdapter, RowIssue } from '../adapters/define-adapter';

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

export type Validation<T> = { ok: true; data: T } | { ok: false; issues: RowIssue[] };

/** Runs the adapter's row schema over a record's cells; each zod issue becomes a row issue. */
export function validateRow<T>(adapter: AnyAdapter, cells: Record<string, string | null>): Validation<T> {
  const result = adapter.rowSchema.safeParse(cells);
  if (result.success) return { ok: true, data: result.data as T };
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
