import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** stdout as bytes, for downloads compared byte for byte. */
  stdoutBytes: Buffer;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  result: Promise<CliResult>;
  stderr(): string;
  /** Resolves once stderr matches `pattern` (rejects if the process ends first). */
  stderrMatches(pattern: RegExp): Promise<RegExpExecArray>;
}

/** The command line's environment: no URL or token from the machine, English unless the test says. */
function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of ['LMS_IMPORT_URL', 'LMS_IMPORT_TOKEN', 'LC_ALL', 'LC_MESSAGES', 'LANG']) delete base[name];
  const merged: NodeJS.ProcessEnv = { ...base, LANG: 'en_US.UTF-8' };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** The real command line (src/cli/main.ts through SWC, or the built bin) as a child process. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, options: { bin?: boolean; timeoutMs?: number } = {}): RunningCli {
  const entry = options.bin ? ['bin/lms-import.js'] : ['-r', '@swc-node/register', 'src/cli/main.ts'];
  const child = spawn(process.execPath, [...entry, ...args], { cwd: root, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  const watchers: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    for (const watcher of [...watchers]) watcher();
  });
  // No test waits for ever on a command that hangs: that is a failure to see.
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const result = new Promise<CliResult>((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const watcher of [...watchers]) watcher();
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString(), stdoutBytes, stderr: err });
    }),
  );
  let ended = false;
  void result.then(() => (ended = true));
  return {
    child,
    result,
    stderr: () => err,
    stderrMatches: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(err);
          if (match) {
            watchers.splice(watchers.indexOf(check), 1);
            resolve(match);
          } else if (ended || child.exitCode !== null) {
            watchers.splice(watchers.indexOf(check), 1);
            reject(new Error(`the command ended before stderr matched ${pattern}:\n${err}`));
          }
        };
        watchers.push(check);
        check();
      }),
  };
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, options: { bin?: boolean; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(args, env, options).result;
}
