import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The real service, started as a child process (`node dist/src/index.js`) so that its memory
 * and CPU are its own: peak RSS is the kernel's high-water mark (VmHWM), reset between phases
 * through /proc/<pid>/clear_refs, and CPU time comes from /proc/<pid>/stat.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
export const BENCH_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface JobResult {
  id: string;
  status: string;
  failure: string | null;
  counts: { processed: number; rejected: number; added: number; updated: number; unchanged: number; errors: number; warnings: number };
}

const JOB_FIELDS = 'id status progress failure counts { processed rejected added updated unchanged errors warnings }';

/** Kernel memory and CPU figures of a process, from /proc. */
export function processStats(pid: number): { hwmMb: number; rssMb: number; cpuSeconds: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, hence the split after ')'.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024, cpuSeconds: ticks / 100 };
}

/** Starts the peak-RSS measure of a new phase; false when the kernel does not allow it. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * fetch, once more when the connection broke before an answer: undici reuses a kept-alive
 * socket that the server may be closing (its keep-alive timeout passes while the benchmark
 * loads the floor), and does not retry a POST by itself. Nothing reached the service then.
 */
async function post(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = ((error as { cause?: { code?: string } }).cause ?? {}).code;
    if (!['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(code ?? '')) throw error;
    return fetch(url, init);
  }
}

/** The node flags of `npm start` (package.json), so that the benchmark runs the service as users do. */
export function serviceNodeFlags(): string[] {
  const start: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const command = /\bnode ((?:--\S+ )*)dist\/src\/index\.js/.exec(start);
  if (!command) throw new Error(`package.json: the start script "${start}" does not run node dist/src/index.js`);
  return command[1].split(' ').filter(Boolean);
}

export class Service {
  private exit: string | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {
    child.once('exit', (code, signal) => (this.exit = signal ? `killed by ${signal}` : `exited with code ${code}`));
  }

  /** For a failure report: whether the service is still running, and the end of its log. */
  diagnosis(): string {
    const log = fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
    return `service (pid ${this.pid}) ${this.exit ?? 'still running'}; end of ${this.logFile}:\n${log}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Starts the service on `dataDir` and `databaseUrl`, on a free port; the environment of the
   * benchmark (BATCH_SIZE, JOB_CONCURRENCY...) goes through, so tuning can be measured.
   */
  static async start(options: { dataDir: string; databaseUrl: string; nodeArgs?: string[]; env?: Record<string, string> }): Promise<Service> {
    if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first`);
    const logFile = path.join(options.dataDir, 'service.log');
    fs.mkdirSync(options.dataDir, { recursive: true });
    const log = fs.openSync(logFile, 'a');
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ENTRY], {
      cwd: ROOT,
      env: {
        LOG_LEVEL: 'warn',
        ...process.env,
        // As deployed: introspection off, errors masked.
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: options.dataDir,
        DATABASE_URL: options.databaseUrl,
        ADMIN_TOKEN: BENCH_TOKEN,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', log],
    });
    fs.closeSync(log);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the service did not start in 60 s; see ${logFile}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        fs.appendFileSync(logFile, chunk);
        // An API process says where its /graphql is; a worker, where its /healthz and /metrics are.
        const match = /listening on (http:\/\/[^\s/]+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace('localhost', '127.0.0.1'));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the service exited with code ${code}; see ${logFile}`));
      });
    });
    child.stdout!.on('data', (chunk: Buffer) => fs.appendFileSync(logFile, chunk));
    return new Service(child, url, logFile);
  }

  async gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await post(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_TOKEN}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }

  /** Uploads a file (GraphQL multipart request), streamed from disk; returns the file id. */
  async upload(adapter: string, file: string): Promise<string> {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation ($file: Upload!, $adapter: String!) {
          uploadImportFile(file: $file, adapter: $adapter) { id problems { severity code message } }
        }`,
        variables: { file: null, adapter },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', await fs.openAsBlob(file), path.basename(file));
    const response = await post(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${BENCH_TOKEN}` },
      body: form,
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(`upload of ${file}: ${JSON.stringify(body.errors)}`);
    const uploaded = body.data.uploadImportFile;
    const errors = uploaded.problems.filter((p: { severity: string }) => p.severity === 'ERROR');
    if (errors.length > 0) throw new Error(`upload of ${file}: ${JSON.stringify(errors)}`);
    return uploaded.id;
  }

  /** Queues an import of an uploaded file and waits for its final status over the importProgress subscription. */
  async runImport(input: Record<string, unknown>, onProgress?: (job: JobResult & { progress: number }) => void): Promise<JobResult> {
    const run = await this.gql<{ runImport: { id: string } }>(`mutation ($input: RunImportInput!) { runImport(input: $input) { id } }`, {
      input: { ...input, options: { allowDuplicate: true } },
    });
    return this.waitForJob(run.runImport.id, onProgress);
  }

  private async waitForJob(jobId: string, onProgress?: (job: JobResult & { progress: number }) => void): Promise<JobResult> {
    const client = createClient({
      url: `${this.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${BENCH_TOKEN}` },
      retryAttempts: 0,
    });
    try {
      const events = client.iterate<{ importProgress: JobResult & { progress: number } }>({
        query: `subscription ($jobId: ID!) { importProgress(jobId: $jobId) { ${JOB_FIELDS} } }`,
        variables: { jobId },
      });
      let last: JobResult | null = null;
      for await (const event of events) {
        if (event.errors) throw new Error(`importProgress: ${JSON.stringify(event.errors)}`);
        const job = event.data!.importProgress;
        last = job;
        onProgress?.(job);
        if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) break;
      }
      if (!last) throw new Error(`no progress for job ${jobId}`);
      return last;
    } catch (error) {
      // graphql-ws rejects with the socket's CloseEvent, not an Error.
      if (error instanceof Error) throw error;
      const { code, reason } = error as { code?: number; reason?: string };
      throw new Error(`importProgress of job ${jobId}: the WebSocket closed (${code} ${reason ?? ''})`);
    } finally {
      await client.dispose();
    }
  }

  /** SIGTERM: the service checkpoints and exits (a CPU profile, if asked for, is written then). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
