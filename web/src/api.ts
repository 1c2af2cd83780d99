import { createClient, type Client } from 'graphql-ws';
import type { Lang } from './i18n';

// The shapes of what the wizard asks the public API for (schema.graphql).
export type Role = 'ADMIN' | 'OPERATOR' | 'VIEWER';
export type OnExisting = 'NEW_SESSION' | 'REJECT' | 'UPDATE';
export type ImportStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'UNDONE';
export type Severity = 'ERROR' | 'WARNING';

export interface AdapterColumn { name: string; label: string; required: boolean; description: string; aliases: string[]; codes?: { code: string; label: string }[] }
export interface Adapter {
  name: string;
  label: string;
  description: string;
  columns: AdapterColumn[];
  onExistingChoices: OnExisting[];
  defaultOnExisting: OnExisting;
  enrollIfNeeded: boolean;
  /** mode SNAPSHOT applies (a sync). */
  sync: boolean;
  maxUploadBytes: number;
  /** A package adapter (a zip): its member files. */
  packageFiles: string[];
}
export interface Issue { file?: string | null; line: number | null; column: string | null; severity: Severity; code: string; message: string }
export interface ImportFile {
  id: string;
  adapter: string;
  fileName: string;
  size: number;
  encoding: string;
  delimiter: string;
  hasHeader: boolean;
  columns: string[];
  preview: string[][];
  problems: Issue[];
  /** For each header cell, the column matched (applied) or proposed (FUZZY); null without a header. */
  columnProposals: ColumnProposal[] | null;
  savedMapping: { id: string; name: string } | null;
  /** A package (a zip): its member files, in import order. */
  members: { file: string; size: number; columns: string[] }[] | null;
}
export interface ColumnProposal { fileColumn: string; column: string | null; reason: string; confidence: number; applied: boolean }
export interface Counts { processed: number; rejected: number; added: number; updated: number; unchanged: number; errors: number; warnings: number; retired: number; restored: number; deleted: number; conflicts: number }
export interface Job {
  id: string;
  adapter: string;
  status: ImportStatus;
  dryRun: boolean;
  progress: number;
  failure: string | null;
  outcome: string | null;
  onExisting: OnExisting;
  enrollIfNeeded: boolean;
  mode: 'MERGE' | 'SNAPSHOT';
  /** Set on an undo job only. */
  undoConflicts: 'REFUSE' | 'SKIP' | 'FORCE' | null;
  dataSet: string | null;
  options: Record<string, unknown>;
  createdAt: string;
  finishedAt: string | null;
  createdBy: string;
  counts: Counts;
  file: { id: string; fileName: string; encoding: string; delimiter: string; hasHeader: boolean; members: { file: string }[] | null };
}
export interface Page<T> { edges: { cursor: string; node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number }

export const JOB_FIELDS = `id adapter status dryRun progress failure outcome onExisting enrollIfNeeded mode dataSet undoConflicts options createdAt finishedAt createdBy
  counts { processed rejected added updated unchanged errors warnings retired restored deleted conflicts }
  file { id fileName encoding delimiter hasHeader members { file } }`;
export const FILE_FIELDS =
  'id adapter fileName size encoding delimiter hasHeader columns preview problems { file line column severity code message } columnProposals { fileColumn column reason confidence applied } savedMapping { id name } members { file size columns }';
export const ISSUE_FIELDS = 'file line column severity code message';

/** A GraphQL or HTTP error, with the API's code (extensions.code) and file problems if any. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly problems: Issue[] = [],
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'lms-import.token';
const session: { token: string | null; lang: Lang } = { token: sessionStorage.getItem(TOKEN_KEY), lang: 'fr' };

export const getToken = () => session.token;
export function setToken(token: string | null): void {
  session.token = token;
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  resetSocket();
}
export function setApiLanguage(lang: Lang): void {
  if (session.lang === lang) return;
  session.lang = lang;
  resetSocket();
}

const headers = (): Record<string, string> => ({
  ...(session.token ? { authorization: `Bearer ${session.token}` } : {}),
  'accept-language': session.lang,
});

/** When the API refuses the token, the app goes back to the sign-in form. */
let onUnauthenticated: () => void = () => {};
export const whenUnauthenticated = (callback: () => void) => (onUnauthenticated = callback);

type GraphQLError = { message: string; extensions?: { code?: string; problems?: Issue[] } };

async function readResponse<T>(response: Response): Promise<T> {
  let body: { data?: T; errors?: GraphQLError[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status} ${response.statusText}`, 'NETWORK');
  }
  const error = body.errors?.[0];
  if (error) {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED') onUnauthenticated();
    throw new ApiError(error.message, code, error.extensions?.problems ?? []);
  }
  return body.data as T;
}

async function send(init: RequestInit): Promise<Response> {
  try {
    return await fetch('/graphql', init);
  } catch (error) {
    throw new ApiError((error as Error).message, 'NETWORK');
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await send({
    method: 'POST',
    headers: { ...headers(), 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return readResponse<T>(response);
}

/** uploadImportFile, as a GraphQL multipart request (field `file`). */
export async function uploadFile(file: Blob, fileName: string, adapter: string, hasHeader: boolean): Promise<ImportFile> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation ($file: Upload!, $adapter: String!, $hasHeader: Boolean) { uploadImportFile(file: $file, adapter: $adapter, hasHeader: $hasHeader) { ${FILE_FIELDS} } }`,
      variables: { file: null, adapter, hasHeader },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, fileName);
  // Multipart requests need this header (the API's CSRF protection).
  const response = await send({ method: 'POST', headers: { ...headers(), 'apollo-require-preflight': 'true' }, body: form });
  return (await readResponse<{ uploadImportFile: ImportFile }>(response)).uploadImportFile;
}

/** A download that needs the bearer token: fetched, then saved through an object URL. */
export async function download(url: string, fallbackName: string): Promise<void> {
  const response = await fetch(url, { headers: headers() });
  if (!response.ok) await readResponse(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

let socket: Client | null = null;
function resetSocket(): void {
  void socket?.dispose();
  socket = null;
}

/** Follows a job over the importProgress subscription (graphql-ws); returns the unsubscribe. */
export function followJob(jobId: string, fields: string, next: (job: Job) => void, error: (error: ApiError) => void): () => void {
  socket ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => ({ authorization: `Bearer ${session.token}`, 'accept-language': session.lang }),
    retryAttempts: 5,
  });
  return socket.subscribe<{ importProgress: Job }>(
    { query: `subscription ($id: ID!) { importProgress(jobId: $id) { ${fields} } }`, variables: { id: jobId } },
    {
      next: (message) => {
        if (message.data) next(message.data.importProgress);
        else if (message.errors?.[0]) error(new ApiError(message.errors[0].message, message.errors[0].extensions?.code as string | undefined));
      },
      error: (reason) => error(new ApiError(reason instanceof Error ? reason.message : 'WebSocket closed', 'NETWORK')),
      complete: () => {},
    },
  );
}

export const isFinished = (status: ImportStatus) => status !== 'PENDING' && status !== 'RUNNING';
