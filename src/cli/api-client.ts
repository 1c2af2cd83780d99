import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CliError } from './cli-error';
import type { Language, Messages } from './messages';
import { IMPORT_PROGRESS, UPLOAD, type Progress, type UploadedFile } from './queries';

export interface ApiSettings {
  /** The service's root, e.g. http://localhost:4000 (no /graphql). */
  url: string;
  token: string;
  language: Language;
  timeoutMs: number;
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

/** How long a WebSocket may stay silent after a ping before it counts as dead. */
const PONG_TIMEOUT_MS = 5_000;
const PING_INTERVAL_MS = 10_000;

/** The public API over HTTP (GraphQL, multipart upload, downloads) and graphql-ws. */
export class ApiClient {
  constructor(
    private readonly settings: ApiSettings,
    private readonly t: Messages,
  ) {}

  async gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await this.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return this.data<T>(response);
  }

  /** The GraphQL multipart request spec: operations, map, then the file, streamed from disk. */
  async upload(file: string, adapter: string, hasHeader: boolean | undefined): Promise<UploadedFile> {
    const blob = await fs.openAsBlob(file);
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD, variables: { file: null, adapter, hasHeader: hasHeader ?? null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', blob, path.basename(file));
    // The time to send the bytes comes on top of the time to answer: one second a megabyte.
    const timeoutMs = this.settings.timeoutMs + Math.ceil(blob.size / 1_000_000) * 1000;
    const response = await this.request('/graphql', { method: 'POST', headers: { 'apollo-require-preflight': 'true' }, body: form }, timeoutMs);
    return (await this.data<{ uploadImportFile: UploadedFile }>(response)).uploadImportFile;
  }

  /** Copies a plain download (log, rejects file) to `out`, bytes as they come; times out when it stalls. */
  async download(urlPath: string, out: Writable): Promise<void> {
    const stalled = new AbortController();
    const timer = setTimeout(() => stalled.abort(), this.settings.timeoutMs);
    try {
      const response = await this.request(urlPath, { method: 'GET' }, this.settings.timeoutMs, stalled.signal);
      if (!response.ok) await this.data(response); // throws the API's error
      if (!response.body) return;
      for await (const chunk of response.body) {
        timer.refresh();
        if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      }
    } catch (error) {
      if (stalled.signal.aborted) throw new CliError(this.t.timedOut(this.settings.url, this.settings.timeoutMs / 1000));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Follows `importProgress` until the job's final status (the subscription sends the job's
   * state first, so nothing is missed). A dropped connection is tried again, and the
   * subscription starts again from the job's state then. Rejects with an AbortError on `signal`.
   */
  watch(jobId: string, onProgress: (job: Progress) => void, signal: AbortSignal): Promise<Progress | null> {
    const { url, token, language, timeoutMs } = this.settings;
    class TimedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { handshakeTimeout: timeoutMs });
      }
    }
    let socket: WebSocket | null = null;
    let pongTimer: NodeJS.Timeout | undefined;
    const client = createClient({
      url: `${url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: TimedWebSocket,
      connectionParams: { authorization: `Bearer ${token}`, 'accept-language': language },
      connectionAckWaitTimeout: timeoutMs,
      keepAlive: PING_INTERVAL_MS,
      lazy: true,
      retryAttempts: 5,
      // Dropped connections (the server restarting, the network) are tried again; refusals are not.
      shouldRetry: (event) => isCloseEvent(event) && (event.code < 4400 || event.code >= 4500 || event.code === 4408),
      on: {
        connected: (connected) => (socket = connected as WebSocket),
        ping: (received) => {
          if (received) return;
          pongTimer = setTimeout(() => socket?.readyState === WebSocket.OPEN && socket.close(4408, 'Pong timeout'), PONG_TIMEOUT_MS);
        },
        pong: (received) => received && clearTimeout(pongTimer),
        closed: () => clearTimeout(pongTimer),
      },
    });
    return new Promise<Progress | null>((resolve, reject) => {
      let last: Progress | null = null;
      const finish = (settle: () => void) => {
        signal.removeEventListener('abort', onAbort);
        clearTimeout(pongTimer);
        void client.dispose();
        settle();
      };
      const onAbort = () => finish(() => reject(signal.reason));
      signal.addEventListener('abort', onAbort);
      client.subscribe<{ importProgress: Progress }>(
        { query: IMPORT_PROGRESS, variables: { id: jobId } },
        {
          next: (result) => {
            if (result.errors?.length) return finish(() => reject(this.error(result.errors![0] as GraphQLError)));
            last = result.data!.importProgress;
            onProgress(last);
          },
          error: (error) => finish(() => reject(this.subscriptionError(error, jobId))),
          complete: () => finish(() => resolve(last)),
        },
      );
    });
  }

  private async request(urlPath: string, init: RequestInit, timeoutMs = this.settings.timeoutMs, signal?: AbortSignal): Promise<Response> {
    const { url, token, language } = this.settings;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(`${url}${urlPath}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}`, 'accept-language': language },
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      if (timeout.aborted) throw new CliError(this.t.timedOut(url, timeoutMs / 1000));
      if (signal?.aborted) throw error;
      throw new CliError(this.t.unreachable(url, networkReason(error)));
    }
  }

  /** The `data` of a GraphQL answer (or of a download's error body); its first error thrown. */
  private async data<T>(response: Response): Promise<T> {
    let body: { data?: T; errors?: GraphQLError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new CliError(this.t.badResponse(this.settings.url, response.status));
    }
    if (body.errors?.length) throw this.error(body.errors[0]);
    if (!response.ok || body.data === undefined) throw new CliError(this.t.badResponse(this.settings.url, response.status));
    return body.data;
  }

  private error(error: GraphQLError): CliError {
    const { code, ...extensions } = error.extensions ?? {};
    if (code === 'UNAUTHENTICATED') return new CliError(this.t.tokenRefused(this.settings.url), 1, code);
    if (code === 'FORBIDDEN') return new CliError(this.t.forbidden(error.message), 1, code);
    return new CliError(code ? `${error.message} (${code})` : error.message, 1, code, extensions);
  }

  private subscriptionError(error: unknown, jobId: string): CliError {
    if (Array.isArray(error) && error.length > 0) return this.error(error[0] as GraphQLError);
    // graphql-ws closes with 4403 when connection_init's token is refused.
    if (isCloseEvent(error) && (error.code === 4403 || error.code === 4401)) return new CliError(this.t.tokenRefused(this.settings.url), 1, 'UNAUTHENTICATED');
    return new CliError(this.t.connectionLost(this.settings.url, jobId));
  }
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number';
}

/** fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.message ?? cause?.code ?? (error as Error).message;
}
