import { z } from 'zod';
import { languages, localize } from '../i18n/localized';
import type { CodeEntry } from '../model/codes';

/**
 * Column validators for adapters' row schemas. A cell arrives as a trimmed string, or null
 * when it is empty — never coerced before it is checked (`z.coerce.number()` would turn "" into 0).
 * Problems are custom zod issues whose `params.code` is the issue code the report shows.
 *
 * Each helper's logic is a plain check function, run by the zod schema's transform and also
 * registered for that schema: the pipeline validates a row of such columns without zod
 * (see `pipeline/validate.ts`), with the very same results.
 */

type Cell = string | null;
const cell = () => z.string().nullable();

/** A cell's problem, as a check function reports it. Never a cell's validated value. */
export class CellProblem {
  constructor(
    readonly code: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {}
}

/**
 * A valid value read from another way of writing it (a status word for its code): the row takes
 * `value`, with a WARNING issue `code` on the column. Never a cell's validated value itself.
 */
export class CellNote<T = unknown> {
  constructor(
    readonly value: T,
    readonly code: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {}
}

/** A column's logic without zod: the validated value (possibly noted), or the problem. */
export type CellCheck<T = unknown> = (value: Cell) => T | CellNote<T> | CellProblem;

/**
 * How a helper's schema was made (the helper's name and its arguments): plain data, so that a
 * worker thread can make the very same schema again (see `cellFromRecipe`).
 * @internal for the pipeline.
 */
export interface CellRecipe {
  readonly helper: 'text' | 'identifier' | 'code' | 'decimal' | 'duration' | 'date' | 'yesNo' | 'email' | 'required';
  readonly args: readonly unknown[];
}

const registered = new WeakMap<object, { check: CellCheck; recipe: CellRecipe }>();

/**
 * The check function behind a schema these helpers returned (undefined for any other schema,
 * including one derived from theirs by `.refine`, `.optional` and the like).
 * @internal for the pipeline's validation.
 */
export function cellCheckOf(schema: unknown): CellCheck | undefined {
  return typeof schema === 'object' && schema !== null ? registered.get(schema)?.check : undefined;
}

/** The recipe of a schema these helpers returned (undefined for any other). @internal */
export function cellRecipeOf(schema: unknown): CellRecipe | undefined {
  return typeof schema === 'object' && schema !== null ? registered.get(schema)?.recipe : undefined;
}

/** Reports a problem with a stable issue code (and its message's params) from a custom zod step: for an adapter's own column types. */
export function fail(ctx: z.RefinementCtx, code: string, params: Readonly<Record<string, string | number>> = {}): never {
  ctx.addIssue({ code: 'custom', message: code, params: { code, ...params } });
  return z.NEVER as never;
}

/**
 * A required word, any case, as the value `table` maps it to (an enrollment role from another
 * LMS's role name); a word not in it is `unknownCode`, listing the words allowed.
 */
export function mappedWord<V>(table: ReadonlyMap<string, V>, unknownCode: string) {
  return z
    .string()
    .nullable()
    .transform((value, ctx): V => {
      if (value === null) return fail(ctx, 'REQUIRED');
      return table.get(value.toLowerCase()) ?? fail(ctx, unknownCode, { value, allowed: [...table.keys()].join(', ') });
    });
}

/** The zod schema that runs a check, registered with it and with how it was made. */
function column<T>(check: CellCheck<T>, recipe: CellRecipe) {
  const schema = cell().transform((value, ctx): T => {
    const result = check(value);
    if (result instanceof CellProblem) return fail(ctx, result.code, result.params);
    // zod has no warnings: validateWithZod asks the check again for the note (see validate.ts).
    return result instanceof CellNote ? result.value : result;
  });
  registered.set(schema, { check, recipe });
  return schema;
}

/** Optional free text; null when empty. */
export function text(options: { max?: number } = {}) {
  return column((value): string | null | CellProblem => {
    if (value === null) return null;
    if (options.max && value.length > options.max) return new CellProblem('TOO_LONG', { value, max: options.max });
    return value;
  }, { helper: 'text', args: [options] });
}

const REQUIRED = new CellProblem('REQUIRED');

/** A required value: an empty cell is a REQUIRED error. */
export function required<T>(schema: z.ZodType<T | null, Cell>) {
  const result = schema.transform((value, ctx): T => (value === null ? fail(ctx, 'REQUIRED') : value));
  const inner = cellCheckOf(schema);
  // zod's pipe stops at the inner schema's problem: the REQUIRED check only sees a value.
  if (inner) {
    const check: CellCheck = (value) => {
      const checked = inner(value);
      return checked === null ? REQUIRED : (checked as T | CellProblem);
    };
    registered.set(result, { check, recipe: { helper: 'required', args: [cellRecipeOf(schema)] } });
  }
  return result;
}

/** Letters, digits, `_`, `.` and `-` only (Blackboard identifiers). */
export function identifier(options: { max?: number } = {}) {
  return column((value): string | null | CellProblem => {
    if (value === null) return null;
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) return new CellProblem('INVALID_IDENTIFIER', { value });
    if (options.max && value.length > options.max) return new CellProblem('TOO_LONG', { value, max: options.max });
    return value;
  }, { helper: 'identifier', args: [options] });
}

/** How a word is compared with status words and labels: any case, without accents, `_` `-` as spaces. */
const normalizeWord = (word: string): string =>
  word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

/** A word (normalized) → the code it stands for: the given words whose code is in the table, and the table's labels. */
function wordLookup(table: readonly CodeEntry[], words: readonly { word: string; code: string }[]): Map<string, string> {
  const lookup = new Map<string, string>();
  const codes = new Set(table.map((entry) => entry.code));
  for (const { word, code } of words) if (codes.has(code)) lookup.set(normalizeWord(word), code);
  for (const entry of table) for (const lang of languages) lookup.set(normalizeWord(localize(entry.label, lang)), entry.code);
  return lookup;
}

/**
 * A code of a code table, any case; empty gives the default (or null). With `words` (e.g. the
 * SCORM/cmi5 `statusWords`), those words and the codes' English and French labels are read as
 * their code too, any case and accents, with a STATUS_WORD_MAPPED warning ("passed → P").
 */
export function code<const T extends readonly CodeEntry[]>(
  table: T,
  options: { default?: T[number]['code']; words?: readonly { readonly word: string; readonly code: string }[] } = {},
) {
  const allowed = table.map((entry) => entry.code);
  const exact = new Set<string>(allowed.filter((code) => code === code.toUpperCase()));
  const words = options.words ? wordLookup(table, options.words) : null;
  type Code = T[number]['code'];
  return column((value): Code | null | CellNote<Code> | CellProblem => {
    if (value === null) return options.default ?? null;
    if (exact.has(value)) return value as Code; // already as the table writes it
    const upper = value.toUpperCase();
    if (allowed.includes(upper)) return upper as Code;
    const word = words?.get(normalizeWord(value));
    if (word !== undefined) return new CellNote(word as Code, 'STATUS_WORD_MAPPED', { value, mapped: word });
    return new CellProblem('INVALID_CODE', { value, allowed: allowed.join(', ') });
  }, { helper: 'code', args: [table, options] });
}

/**
 * A decimal number with `.` or `,` as decimal separator, within [min, max]; `outOfRangeCode`
 * names the range problem when the adapter has a more telling code than OUT_OF_RANGE.
 */
export function decimal(options: { min?: number; max?: number; outOfRangeCode?: string } = {}) {
  return column((value): number | null | CellProblem => {
    if (value === null) return null;
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(value)) return new CellProblem('INVALID_NUMBER', { value });
    const number = Number(value.replace(',', '.'));
    if ((options.min !== undefined && number < options.min) || (options.max !== undefined && number > options.max)) {
      return new CellProblem(options.outOfRangeCode ?? 'OUT_OF_RANGE', { value, min: options.min ?? '-∞', max: options.max ?? '∞' });
    }
    return number;
  }, { helper: 'decimal', args: [options] });
}

/**
 * A whole number of seconds, written as seconds or `hh:mm:ss` (also `mm:ss`); `max` keeps it
 * within the column that stores it (OUT_OF_RANGE).
 */
export function duration(options: { max?: number } = {}) {
  return column((value): number | null | CellProblem => {
    if (value === null) return null;
    let seconds: number;
    if (/^\d+$/.test(value)) seconds = Number(value);
    else {
      const clock = /^(?:(\d+):)?([0-5]?\d):([0-5]\d)$/.exec(value);
      if (!clock) return new CellProblem('INVALID_DURATION', { value });
      seconds = Number(clock[1] ?? 0) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    }
    if (options.max !== undefined && seconds > options.max) return new CellProblem('OUT_OF_RANGE', { value, min: 0, max: options.max });
    return seconds;
  }, { helper: 'duration', args: [options] });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The month's last day, as `Date.UTC` counts (proleptic Gregorian), without a Date for whole numbers. */
function lastDayOf(year: number, month: number): number {
  if (!Number.isInteger(year) || !Number.isInteger(month)) return new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether the date exists (years 1900 to 9999). */
const dateExists = (year: number, month: number, day: number): boolean =>
  year >= 1900 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= lastDayOf(year, month);

/** `YYYY-MM-DD` when the date exists, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  return dateExists(year, month, day) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : null;
}

/** The number written by the digits of value from start to end, or -1 when one is not a digit. */
function digitsAt(value: string, start: number, end: number): number {
  let number = 0;
  for (let i = start; i < end; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/** Reads `yyyy/mm/dd`, `yyyy-mm-dd` (optionally with a time) or `dd/mm/yyyy`; null when not a real date. */
export function parseDate(value: string): string | null {
  // The two usual forms, without a regular expression; anything else as below.
  if (value.length === 10) {
    if (value.charCodeAt(4) === 0x2d /* - */ && value.charCodeAt(7) === 0x2d) {
      const year = digitsAt(value, 0, 4);
      const month = digitsAt(value, 5, 7);
      const day = digitsAt(value, 8, 10);
      // Already YYYY-MM-DD: the value itself when the date exists.
      if (year >= 0 && month >= 0 && day >= 0) return dateExists(year, month, day) ? value : null;
    } else if (value.charCodeAt(2) === 0x2f /* / */ && value.charCodeAt(5) === 0x2f) {
      const day = digitsAt(value, 0, 2);
      const month = digitsAt(value, 3, 5);
      const year = digitsAt(value, 6, 10);
      if (year >= 0 && month >= 0 && day >= 0) return isoDate(year, month, day);
    }
  }
  const ymd = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (ymd) return isoDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (dmy) return isoDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  return null;
}

/** A date in one of the accepted formats, as `YYYY-MM-DD`; an impossible date is INVALID_DATE. */
export function date() {
  return column((value): string | null | CellProblem => {
    if (value === null) return null;
    return parseDate(value) ?? new CellProblem('INVALID_DATE', { value });
  }, { helper: 'date', args: [] });
}

/** Y or N as a boolean; empty gives the default. */
export function yesNo(options: { default?: boolean } = {}) {
  return column((value): boolean | null | CellProblem => {
    if (value === null) return options.default ?? null;
    const upper = value.toUpperCase();
    if (upper === 'Y') return true;
    if (upper === 'N') return false;
    return new CellProblem('INVALID_CODE', { value, allowed: 'Y, N' });
  }, { helper: 'yesNo', args: [options] });
}

/** An e-mail address (loose check: something@something.tld). */
export function email() {
  return column((value): string | null | CellProblem => {
    if (value === null) return null;
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : new CellProblem('INVALID_EMAIL', { value });
  }, { helper: 'email', args: [] });
}

/**
 * The schema a recipe describes, made by the same helper with the same arguments: it validates
 * exactly as the one the recipe was read from. @internal for the pipeline's worker thread.
 */
export function cellFromRecipe(recipe: CellRecipe): z.ZodType<unknown, Cell> {
  const [first, second] = recipe.args as [never, never];
  switch (recipe.helper) {
    case 'required':
      return required(cellFromRecipe(first) as z.ZodType<unknown, Cell>);
    case 'text':
      return text(first);
    case 'identifier':
      return identifier(first);
    case 'code':
      return code(first, second);
    case 'decimal':
      return decimal(first);
    case 'duration':
      return duration(first);
    case 'date':
      return date();
    case 'yesNo':
      return yesNo(first);
    case 'email':
      return email();
  }
}

/** The type of the values (null aside) a recipe's schema gives. @internal for the pipeline's worker thread. */
export function cellKind(recipe: CellRecipe): 'string' | 'number' | 'boolean' {
  switch (recipe.helper) {
    case 'required':
      return cellKind(recipe.args[0] as CellRecipe);
    case 'decimal':
    case 'duration':
      return 'number';
    case 'yesNo':
      return 'boolean';
    default:
      return 'string';
  }
}
