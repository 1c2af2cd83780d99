import { ApiClient } from './api-client';
import { CliError } from './cli-error';
import type { Language, Messages } from './messages';

/** What every command gets: the language, its messages, where to write. */
export interface CliContext {
  language: Language;
  t: Messages;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

/** The options every command takes (from the command line or the environment). */
export interface GlobalOptions {
  url: string;
  token?: string;
  timeout: number;
  json?: boolean;
}

/** The API client for --url and --token; http://host:4000/graphql and http://host:4000/ both name the service. */
export function apiClient(options: GlobalOptions, context: CliContext): ApiClient {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new CliError(context.t.badUrl(options.url));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(context.t.badUrl(options.url));
  if (!options.token) throw new CliError(context.t.noToken);
  const root = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')}`;
  return new ApiClient({ url: root, token: options.token, language: context.language, timeoutMs: options.timeout * 1000 }, context.t);
}

export function printJson(context: CliContext, value: unknown): void {
  context.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
