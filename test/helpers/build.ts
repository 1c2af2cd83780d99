import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import mysqlPromise from 'mysql2/promise';
import WebSocket from 'ws';
import type { AnyAdapter } from '../../src/adapters/define-adapter';
import { loadConfig } from '../../src/config/config';
import { startServer, type RunningServer } from '../../src/server';

/** `TEST_DATABASE=mysql` runs the suite against MySQL/MariaDB at TEST_MYSQL_URL (one database per app). */
export const testDatabase = process.env.TEST_DATABASE === 'mysql' ? 'mysql' : 'sqlite';
export const mysqlServer = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** Drops a throw-away MySQL database of a test (nothing to do on SQLite). */
export async function dropTestDatabase(dbName: string): Promise<void> {
  if (testDatabase !== 'mysql') return;
  const connection = await mysqlPromise.createConnection({ uri: mysqlServer });
  await connection.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await connection.end();
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

export interface TestApp {
  url: string;
  server: RunningServer;
  dataDir: string;
  databaseUrl: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string | null; lang?: string }): Promise<GraphQLResponse<T>>;
  upload(adapter: string, fileName: string, content: string | Buffer, options?: { hasHeader?: boolean; token?: string | null; preflight?: boolean }): Promise<GraphQLResponse>;
  /** Uploads, runs the import and waits for its final status. */
  importFile(adapter: string, content: string | Buffer, input?: Record<string, unknown>, options?: { hasHeader?: boolean; fileName?: string }): Promise<any>;
  waitForJob(jobId: string): Promise<any>;
  wsClient(token?: string | null): Client;
  close(): Promise<void>;
}

export const JOB_FIELDS = `id adapter status dryRun progress failure createdAt startedAt finishedAt
  counts { processed rejected added updated unchanged errors warnings }
  file { id fileName encoding delimiter hasHeader columns }`;

/** Starts the real service on a fresh data directory and database; close() removes both. */
export async function build(env: Record<string, string> = {}, options: { adapters?: AnyAdapter[] } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-test-'));
  const dbName = `lms_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = testDatabase === 'mysql' ? `${mysqlServer}/${dbName}` : `sqlite:${path.join(dataDir, 'test.sqlite')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  const server = await startServer(config, { adapters: options.adapters });
  const url = server.url;
  const clients: Client[] = [];

  const { gql, upload, waitForJob, importFile } = apiClient(url);

  return {
    url,
    server,
    dataDir,
    databaseUrl,
    gql,
    upload,
    waitForJob,
    importFile,
    wsClient(token = ADMIN_TOKEN) {
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
      await server.close();
      await dropTestDatabase(dbName);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ApiClient = Pick<TestApp, 'gql' | 'upload' | 'waitForJob' | 'importFile'>;

/** GraphQL over HTTP (and multipart uploads) against a running service, as the admin by default. */
export function apiClient(url: string): ApiClient {
  const gql: ApiClient['gql'] = async (query, variables = {}, options = {}) => {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(options.lang ? { 'accept-language': options.lang } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  const upload: ApiClient['upload'] = async (adapter, fileName, content, options = {}) => {
    const token = options.token === undefined ? ADMIN_TOKEN : options.token;
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation ($file: Upload!, $adapter: String!, $hasHeader: Boolean) {
          uploadImportFile(file: $file, adapter: $adapter, hasHeader: $hasHeader) {
            id fileName size sha256 encoding delimiter hasHeader columns preview
            problems { file line column severity code message }
          }
        }`,
        variables: { file: null, adapter, hasHeader: options.hasHeader ?? null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([content]), fileName);
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        ...(options.preflight === false ? {} : { 'apollo-require-preflight': 'true' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: form,
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  const waitForJob = async (jobId: string) => {
    for (let i = 0; i < 1200; i++) {
      const { data } = await gql(`query ($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`, { id: jobId });
      const job = data?.importJob;
      if (job && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`job ${jobId} did not finish`);
  };

  const importFile: ApiClient['importFile'] = async (adapter, content, input = {}, options = {}) => {
    const uploaded = await upload(adapter, options.fileName ?? `${adapter}.csv`, content, { hasHeader: options.hasHeader });
    if (uploaded.errors) throw new Error(JSON.stringify(uploaded.errors));
    const fileId = uploaded.data.uploadImportFile.id;
    const run = await gql(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
      input: { fileId, options: { allowDuplicate: true }, ...input },
    });
    if (run.errors) throw new Error(JSON.stringify(run.errors));
    return waitForJob(run.data.runImport.id);
  };

  return { gql, upload, waitForJob, importFile };
}
