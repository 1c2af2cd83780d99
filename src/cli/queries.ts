/** The GraphQL documents the command line sends: the public API only. */

export const JOB_FIELDS = `id adapter status outcome dryRun progress failure
  createdAt startedAt finishedAt createdBy onExisting enrollIfNeeded importDate options
  counts { processed rejected added updated unchanged errors warnings }
  file { id fileName size sha256 encoding delimiter hasHeader columns }`;

export const UPLOAD = `mutation ($file: Upload!, $adapter: String!, $hasHeader: Boolean) {
  uploadImportFile(file: $file, adapter: $adapter, hasHeader: $hasHeader) {
    id fileName size encoding delimiter hasHeader columns problems { line column severity code message }
  }
}`;

export const RUN_IMPORT = `mutation ($input: RunImportInput!) { runImport(input: $input) { ${JOB_FIELDS} } }`;

/** An undo job: the job fields, what it undoes and its own counters. */
const UNDO_FIELDS = `${JOB_FIELDS} undoConflicts undoes { id } counts { deleted restored conflicts }`;

export const UNDO_IMPORT = `mutation ($id: ID!, $conflicts: UndoConflicts, $dryRun: Boolean) {
  undoImport(id: $id, conflicts: $conflicts, dryRun: $dryRun) { ${UNDO_FIELDS} }
}`;

export const UNDO_JOB = `query ($id: ID!, $issues: Int) { importJob(id: $id) {
  ${UNDO_FIELDS}
  issues(first: $issues) { totalCount edges { node { line column severity code message } } }
} }`;

export const CANCEL_IMPORT = `mutation ($id: ID!) { cancelImport(id: $id) { ${JOB_FIELDS} } }`;

export const IMPORT_JOB = `query ($id: ID!, $issues: Int) { importJob(id: $id) {
  ${JOB_FIELDS}
  issues(first: $issues) { totalCount edges { node { line column severity code message } } }
} }`;

export const IMPORT_JOBS = `query ($first: Int, $after: String, $adapter: String, $status: ImportStatus) {
  importJobs(first: $first, after: $after, adapter: $adapter, status: $status) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id adapter status outcome dryRun createdAt finishedAt
      counts { processed rejected added updated unchanged errors warnings } file { fileName } } }
  }
}`;

export const IMPORT_PROGRESS = `subscription ($id: ID!) { importProgress(jobId: $id) {
  id status progress counts { processed rejected }
} }`;

export interface Counts {
  processed: number;
  rejected: number;
  added: number;
  updated: number;
  unchanged: number;
  errors: number;
  warnings: number;
}

export interface Issue {
  line: number | null;
  column: string | null;
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
}

export type JobStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'UNDONE' | (string & {});

export interface Job {
  id: string;
  adapter: string;
  status: JobStatus;
  outcome: string | null;
  dryRun: boolean;
  progress: number;
  failure: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdBy: string;
  onExisting: string;
  enrollIfNeeded: boolean;
  importDate: string;
  options: Record<string, unknown>;
  counts: Counts;
  file: { id: string; fileName: string; size: number; sha256: string; encoding: string; delimiter: string; hasHeader: boolean; columns: string[] };
  issues?: { totalCount: number; edges: Array<{ node: Issue }> };
}

/** An undo job as UNDO_IMPORT and UNDO_JOB give it. */
export interface UndoJob extends Job {
  undoConflicts: string;
  undoes: { id: string };
  counts: Counts & { deleted: number; restored: number; conflicts: number };
}

export interface UploadedFile {
  id: string;
  fileName: string;
  size: number;
  encoding: string;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  problems: Issue[];
}

export interface JobRow {
  id: string;
  adapter: string;
  status: JobStatus;
  outcome: string | null;
  dryRun: boolean;
  createdAt: string;
  finishedAt: string | null;
  counts: Counts;
  file: { fileName: string };
}

export interface JobPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: JobRow }>;
}

/** What the subscription sends on each step. */
export interface Progress {
  id: string;
  status: JobStatus;
  progress: number;
  counts: Pick<Counts, 'processed' | 'rejected'>;
}

export const finishedStatuses: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'UNDONE'];
