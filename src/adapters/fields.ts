import { z } from 'zod';
import type { CodeEntry } from '../model/codes';

/**
 * Column validators for adapters' row schemas. A cell arrives as a trimmed string, or null
 * when it is empty — never coerced before it is checked (`z.coerce.number()` would turn "" into 0).
 * Problems are custom zod issues whose `params.code` is the issue code the report shows.
 */

type Cell = string | null;
const cell = () => z.string().nullable();

function fail(ctx: z.RefinementCtx, code: string, params: Record<string, string | number> = {}): never {
  ctx.addIssue({ code: 'custom', message: code, params: { code, ...params } });
  return z.NEVER as never;
}

/** Optional free text; null when empty. */
export function text(options: { max?: number } = {}) {
  return cell().transform((value, ctx): string | null => {
    if (value === null) return null;
    if (options.max && value.length > options.max) return fail(ctx, 'TOO_LONG', { value, max: options.max });
    return value;
  });
}

/** A required value: an empty cell is a REQUIRED error. */
export function required<T>(schema: z.ZodType<T | null, Cell>) {
  return schema.transform((value, ctx): T => (value === null ? fail(ctx, 'REQUIRED') : value));
}

/** Letters, digits, `_`, `.` and `-` only (Blackboard identifiers). */
export function identifier(options: { max?: number } = {}) {
  return cell().transform((value, ctx): string | null => {
    if (value === null) return null;
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) return fail(ctx, 'INVALID_IDENTIFIER', { value });
    if (options.max && value.length > options.max) return fail(ctx, 'TOO_LONG', { value, max: options.max });
    return value;
  });
}

/** A code of a code table, any case; empty gives the default (or null). */
export function code<const T extends readonly CodeEntry[]>(table: T, options: { default?: T[number]['code'] } = {}) {
  const allowed = table.map((entry) => entry.code);
  return cell().transform((value, ctx): T[number]['code'] | null => {
    if (value === null) return options.default ?? null;
    const upper = value.toUpperCase();
    if (!allowed.includes(upper)) return fail(ctx, 'INVALID_CODE', { value, allowed: allowed.join(', ') });
    return upper as T[number]['code'];
  });
}

/**
 * A decimal number with `.` or `,` as decimal separator, within [min, max]; `outOfRangeCode`
 * names the range problem when the adapter has a more telling code than OUT_OF_RANGE.
 */
export function decimal(options: { min?: number; max?: number; outOfRangeCode?: string } = {}) {
  return cell().transform((value, ctx): number | null => {
    if (value === null) return null;
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(value)) return fail(ctx, 'INVALID_NUMBER', { value });
    const number = Number(value.replace(',', '.'));
    if ((options.min !== undefined && number < options.min) || (options.max !== undefined && number > options.max)) {
      return fail(ctx, options.outOfRangeCode ?? 'OUT_OF_RANGE', { value, min: options.min ?? '-∞', max: options.max ?? '∞' });
    }
    return number;
  });
}

/**
 * A whole number of seconds, written as seconds or `hh:mm:ss` (also `mm:ss`); `max` keeps it
 * within the column that stores it (OUT_OF_RANGE).
 */
export function duration(options: { max?: number } = {}) {
  return cell().transform((value, ctx): number | null => {
    if (value === null) return null;
    const clock = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)$/.exec(value);
    if (!/^\d+$/.test(value) && !clock) return fail(ctx, 'INVALID_DURATION', { value });
    const seconds = clock ? Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) : Number(value);
    if (options.max !== undefined && seconds > options.max) return fail(ctx, 'OUT_OF_RANGE', { value, min: 0, max: options.max });
    return seconds;
  });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` when the date exists, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > last ? null : `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Reads `yyyy/mm/dd`, `yyyy-mm-dd` (optionally with a time) or `dd/mm/yyyy`; null when not a real date. */
export function parseDate(value: string): string | null {
  const ymd = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (ymd) return isoDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (dmy) return isoDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  return null;
}

/** A date in one of the accepted formats, as `YYYY-MM-DD`; an impossible date is INVALID_DATE. */
export function date() {
  return cell().transform((value, ctx): string | null => {
    if (value === null) return null;
    return parseDate(value) ?? fail(ctx, 'INVALID_DATE', { value });
  });
}

/** Y or N as a boolean; empty gives the default. */
export function yesNo(options: { default?: boolean } = {}) {
  return cell().transform((value, ctx): boolean | null => {
    if (value === null) return options.default ?? null;
    const upper = value.toUpperCase();
    if (upper === 'Y') return true;
    if (upper === 'N') return false;
    return fail(ctx, 'INVALID_CODE', { value, allowed: 'Y, N' });
  });
}

/** An e-mail address (loose check: something@something.tld). */
export function email() {
  return cell().transform((value, ctx): string | null => {
    if (value === null) return null;
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : fail(ctx, 'INVALID_EMAIL', { value });
  });
}
