import fs from 'node:fs';
import path from 'node:path';
import { CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error';
import { detectLanguage, messages } from './messages';
import { buildProgram } from './program';

/** The package's version, from its package.json (two levels up from src/cli, three from dist/src/cli). */
function version(): string {
  for (const up of ['../..', '../../..']) {
    const file = path.resolve(__dirname, up, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** Runs the command line on `argv` (the user's arguments) and resolves with its exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const language = detectLanguage();
  const context = { language, t: messages(language), out: process.stdout, err: process.stderr };
  let exitCode: number = EXIT.OK;
  const program = buildProgram(context, version(), (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has printed its message (and the usage) already.
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof CliError ? error.message : context.t.unexpected((error as Error).message);
    process.stderr.write(`lms-import: ${message}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.FAILED;
  }
}

/** The binary: exits with the command's code once its output is written. */
export function main(): void {
  // `lms-import rejects 1 | head`: a reader that goes away is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) main();
