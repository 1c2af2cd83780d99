import { z } from 'zod';
import type { ColumnDefinition, ImportContext, Row, RowDecision, RowIssue } from '../../src/adapters/define-adapter';
import { fail, required, text } from '../../src/adapters/fields';
import { IssueSeverity } from '../../src/imports/enums';
import type { CodeEntry, EnrollmentRole } from '../../src/model/codes';

/**
 * OneRoster 1.1 and 1.2 CSV vocabularies (1EdTech "OneRoster CSV binding"), each with what
 * it becomes here. One table each: the zod check, the GraphQL codes and the README come from it.
 */

/** `status` of every record: empty in a bulk file; `active` or `tobedeleted` in a delta file (1.1 also `inactive`). */
export const statuses = [
  { code: 'active', label: { en: 'Active: created or updated', fr: 'Actif : créé ou mis à jour' } },
  { code: 'tobedeleted', label: { en: 'To be deleted: made unavailable (kept)', fr: 'À supprimer : rendu indisponible (conservé)' } },
  { code: 'inactive', label: { en: 'Inactive (OneRoster 1.1, deprecated): made unavailable', fr: 'Inactif (OneRoster 1.1, obsolète) : rendu indisponible' } },
] as const satisfies readonly CodeEntry[];
export type Status = (typeof statuses)[number]['code'];

/** `true` / `false` columns (enabledUser, primary). */
export const booleans = [
  { code: 'true', label: { en: 'True', fr: 'Vrai' } },
  { code: 'false', label: { en: 'False', fr: 'Faux' } },
] as const satisfies readonly CodeEntry[];

/** Enrollment roles (1.1: all eight; 1.2 enrollments: administrator, proctor, student, teacher), with the enrollment role each becomes. */
export const enrollmentRoles = [
  { code: 'student', role: 'S', label: { en: 'Student → S (student)', fr: 'Élève → S (étudiant)' } },
  { code: 'teacher', role: 'P', label: { en: 'Teacher → P (instructor)', fr: 'Enseignant → P (enseignant)' } },
  { code: 'aide', role: 'T', label: { en: 'Aide → T (teaching assistant)', fr: 'Aide → T (assistant)' } },
  { code: 'proctor', role: 'G', label: { en: 'Proctor → G (grader)', fr: 'Surveillant → G (correcteur)' } },
  { code: 'administrator', role: 'B', label: { en: 'Administrator → B (course builder)', fr: 'Administrateur → B (concepteur de cours)' } },
  { code: 'parent', role: 'U', label: { en: 'Parent → U (guest)', fr: 'Parent → U (visiteur)' } },
  { code: 'guardian', role: 'U', label: { en: 'Guardian → U (guest)', fr: 'Tuteur → U (visiteur)' } },
  { code: 'relative', role: 'U', label: { en: 'Relative → U (guest)', fr: 'Proche → U (visiteur)' } },
] as const satisfies ReadonlyArray<CodeEntry & { role: EnrollmentRole }>;

/** users.csv `role` (1.1; in 1.2 roles are in roles.csv): checked, not stored. */
export const userRoles = enrollmentRoles.map(({ code }) => ({ code, label: { en: code, fr: code } }));

export const plainCodes = (table: readonly CodeEntry[]) => table.map(({ code, label }) => ({ code, label }));

/** A vocabulary word of `table`, any case, as the table writes it; null when empty. */
export function word<const T extends readonly CodeEntry[]>(table: T, options: { required?: boolean } = {}) {
  const allowed = table.map((entry) => entry.code);
  return z
    .string()
    .nullable()
    .transform((value, ctx): T[number]['code'] | null => {
      if (value === null) return options.required ? fail(ctx, 'REQUIRED') : null;
      const found = allowed.find((candidate) => candidate === value.toLowerCase());
      return found ?? fail(ctx, 'INVALID_CODE', { value, allowed: allowed.join(', ') });
    });
}

/** OneRoster dates are ISO 8601 (`2026-09-01`); dateLastModified a date-time (`2026-09-01T08:00:00.000Z`). */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isoDateTime() {
  return z
    .string()
    .nullable()
    .transform((value, ctx) => {
      if (value === null) return null;
      const match = ISO.exec(value);
      const [, year, month, day] = match ?? [];
      const valid = match && !Number.isNaN(Date.parse(value)) && new Date(Date.UTC(+year, +month - 1, +day)).getUTCDate() === +day;
      return valid ? value : fail(ctx, 'INVALID_ISO_DATE', { value });
    });
}

/** The three columns every OneRoster file starts with. */
export const recordColumns = (what: { en: string; fr: string }): ColumnDefinition[] => [
  {
    name: 'sourcedId',
    label: { en: 'Sourced ID', fr: 'Identifiant source' },
    description: { en: `The ${what.en}'s identifier in the SIS`, fr: `L’identifiant ${what.fr} dans le SIS` },
    required: true,
  },
  {
    name: 'status',
    label: { en: 'Status', fr: 'Statut' },
    description: {
      en: 'Empty in a bulk file; active or tobedeleted in a delta file (1.1 also inactive)',
      fr: 'Vide dans un fichier bulk ; active ou tobedeleted dans un fichier delta (1.1 aussi inactive)',
    },
    codes: plainCodes(statuses),
  },
  {
    name: 'dateLastModified',
    label: { en: 'Last modified', fr: 'Dernière modification' },
    description: { en: 'ISO 8601 date-time; required in a delta file', fr: 'Date-heure ISO 8601 ; obligatoire dans un fichier delta' },
  },
];

export const recordSchema = {
  sourcedId: required(text({ max: 100 })),
  status: word(statuses),
  dateLastModified: isoDateTime(),
};

/** A column read and checked, not stored. */
export const readOnly = (name: string, en: string, fr: string, extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  name,
  label: { en: name, fr: name },
  description: { en: `${en}. Read, not stored`, fr: `${fr}. Lu, non enregistré` },
  ...extra,
});

/** What the package tells a member file's adapter (ctx.job.options). */
export interface MemberOptions {
  /** manifest.csv `file.<name>`: bulk or delta. */
  mode?: 'bulk' | 'delta';
  /** manifest.csv `oneroster.version`: 1.1 or 1.2. */
  version?: string;
}

type Recorded = { status: Status | null; dateLastModified: string | null };

/**
 * A delta file states the status and the date of every record: a record without them is
 * rejected; the others go on to `resolve`. Decisions come back in the rows' order.
 */
export async function withDeltaChecks<T extends Recorded, P>(
  rows: Row<T>[],
  ctx: ImportContext<unknown>,
  resolve: (rows: Row<T>[]) => Promise<RowDecision<P>[]>,
): Promise<RowDecision<P>[]> {
  const delta = (ctx.job.options as MemberOptions).mode === 'delta';
  const missing = (row: Row<T>): RowIssue[] =>
    !delta
      ? []
      : (['status', 'dateLastModified'] as const).filter((column) => row.data[column] === null).map((column) => ({ code: 'DELTA_REQUIRED', column }));
  const problems = rows.map(missing);
  const passed = rows.filter((_, i) => problems[i].length === 0);
  const decided = passed.length > 0 ? await resolve(passed) : [];
  let next = 0;
  return rows.map((_, i): RowDecision<P> => (problems[i].length > 0 ? { action: 'reject', issues: problems[i] } : decided[next++]));
}

/** The target adapter's column names, in issues, as this file's. */
export function renamed<P>(decisions: RowDecision<P>[], columns: Record<string, string>): RowDecision<P>[] {
  const rename = (issue: RowIssue): RowIssue => (issue.column && columns[issue.column] ? { ...issue, column: columns[issue.column] } : issue);
  return decisions.map((decision) => (decision.issues ? { ...decision, issues: decision.issues.map(rename) } : decision));
}

export const warning = (code: string, column: string, params: Record<string, string>): RowIssue => ({ code, column, severity: IssueSeverity.WARNING, params });

export const messages = {
  INVALID_ISO_DATE: {
    en: '{column}: "{value}" is not an ISO 8601 date (yyyy-mm-dd, or a date-time such as 2026-09-01T08:00:00Z)',
    fr: '{column} : « {value} » n’est pas une date ISO 8601 (aaaa-mm-jj, ou une date-heure comme 2026-09-01T08:00:00Z)',
  },
  DELTA_REQUIRED: {
    en: '{column} is required in a delta file (manifest.csv says so for this file)',
    fr: '{column} est obligatoire dans un fichier delta (c’est ce que manifest.csv indique pour ce fichier)',
  },
} as const;
