import { Command, InvalidArgumentError, Option } from 'commander';
import { cancelCommand, jobCommand } from './commands/job.command';
import { downloadCommand } from './commands/download.command';
import { importCommand, type ImportOptions } from './commands/import.command';
import { jobsCommand, type JobsOptions } from './commands/jobs.command';
import { undoCommand, type UndoOptions } from './commands/undo.command';
import type { CliContext, GlobalOptions } from './context';

const ON_EXISTING = ['NEW_SESSION', 'REJECT', 'UPDATE'];
const UNDO_CONFLICTS = ['REFUSE', 'SKIP', 'FORCE'];
const MAX_JOBS_PAGE = 500; // the API's cap on importJobs(first)

/** --option key=value, repeatable; the value is JSON when it reads as JSON (true, 12, {"a":"b"}), else text. */
function collectOption(pair: string, previous: Record<string, unknown>): Record<string, unknown> {
  const at = pair.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value, e.g. --option allowDuplicate=true');
  const raw = pair.slice(at + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // text as it is
  }
  return { ...previous, [pair.slice(0, at)]: value };
}

/** A choice among `choices`, in any case. */
function oneOf(choices: readonly string[]) {
  return (value: string): string => {
    const upper = value.toUpperCase();
    if (!choices.includes(upper)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return upper;
  };
}

function positiveInteger(max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return number;
  };
}

const HELP_AFTER = `
Exit codes:
  0    the job succeeded and nothing was rejected (and any command that did what it was asked)
  2    the job succeeded with rejected records (lms-import rejects ID > rejects.csv); an undo left conflicts
  1    the job failed or was cancelled (an undo refused for conflicts); a usage, connection, token or API error
  130  interrupted while waiting (the job goes on on the server)

Examples:
  export LMS_IMPORT_URL=http://localhost:4000 LMS_IMPORT_TOKEN=...
  lms-import import lessons.csv --adapter lesson-stats --enroll --wait
  lms-import import people.csv --adapter learners --snapshot --data-set sis-nightly --wait
  lms-import jobs --status FAILED --limit 5
  lms-import rejects 12 > rejects.csv
  lms-import undo 12 --dry-run --wait`;

/**
 * The command line: commander parses and checks the arguments, each command does its work
 * through the public API and returns its exit code through `done`.
 */
export function buildProgram(context: CliContext, version: string, done: (exitCode: number) => void): Command {
  const program = new Command('lms-import')
    .description('Imports LMS data files through the lms-import service, and follows the imports')
    .version(version)
    .exitOverride()
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (text) => context.out.write(text), writeErr: (text) => context.err.write(text) })
    .addOption(new Option('--url <url>', 'the service').env('LMS_IMPORT_URL').default('http://localhost:4000'))
    .addOption(new Option('--token <token>', 'an API token (operator to import or cancel, viewer to read)').env('LMS_IMPORT_TOKEN'))
    .addOption(new Option('--timeout <seconds>', 'how long to wait for each answer of the service').argParser(positiveInteger(3600)).default(30))
    .option('--json', 'print the result as JSON on stdout')
    .addHelpText('after', HELP_AFTER);

  const run = <A extends unknown[]>(action: (...args: A) => Promise<number>) =>
    async (...args: A) => done(await action(...args));
  const globals = (command: Command) => command.optsWithGlobals<GlobalOptions>();

  program
    .command('import')
    .description('upload FILE and run its import (with --wait: follow it to its end)')
    .argument('<file>', 'the file to import')
    .requiredOption('-a, --adapter <name>', 'the import type: lesson-stats, course-stats, blackboard-enrollment, learners, catalog…')
    .option('--header', 'the first line is a header (default: detected)')
    .option('--no-header', 'the first line is a record')
    .addOption(new Option('--on-existing <choice>', `what to do with a record that exists already: ${ON_EXISTING.join(', ')} (default: the adapter's)`).argParser(oneOf(ON_EXISTING)))
    .option('--enroll', 'enroll the learner in the course if needed')
    .option('--dry-run', 'validate and resolve every record, write nothing')
    .option('--allow-duplicate', 'import a file the service already imported with this adapter')
    .option('--data-set <name>', 'the data set the rows belong to')
    .option('--snapshot', 'a sync: the file is the whole data set (--data-set); its rows no longer in the file are retired')
    .addOption(new Option('--change-threshold <percent>', 'with --snapshot: retire nothing if more than this percentage of a type would go (default 10)').argParser(positiveInteger(100)))
    .addOption(
      new Option('-o, --option <key=value>', "an adapter option, repeatable (a JSON value, e.g. columnMap='{\"Login\":\"user_loginid\"}')")
        .argParser(collectOption)
        .default({}, 'none'),
    )
    .option('-w, --wait', 'follow the import to its end; the exit code tells how it ended')
    .action(run((file: string, _options: unknown, command: Command) => importCommand(file, command.optsWithGlobals<ImportOptions>(), context)));

  program
    .command('jobs')
    .description('the import jobs, newest first')
    .addOption(new Option('-n, --limit <count>', `how many (at most ${MAX_JOBS_PAGE})`).argParser(positiveInteger(MAX_JOBS_PAGE)).default(20))
    .option('--after <cursor>', 'the page after this cursor (printed below the table)')
    .option('--adapter <name>', 'only this import type')
    .addOption(new Option('--status <status>', 'only this status: PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED').argParser((value) => value.toUpperCase()))
    .action(run((_options: unknown, command: Command) => jobsCommand(command.optsWithGlobals<JobsOptions>(), context)));

  program
    .command('job')
    .description('one import job: status, counters, first issues (with --wait: follow it to its end)')
    .argument('<id>', 'the job id')
    .option('-w, --wait', 'follow the job to its end; the exit code tells how it ended')
    .action(run((id: string, _options: unknown, command: Command) => jobCommand(id, command.optsWithGlobals(), context)));

  program
    .command('log')
    .description("print a job's log file")
    .argument('<id>', 'the job id')
    .action(run((id: string, _options: unknown, command: Command) => downloadCommand('log.txt', id, globals(command), context)));

  program
    .command('rejects')
    .description("print a job's rejects file (CSV in the layout of the input, UTF-8 with BOM): lms-import rejects ID > rejects.csv")
    .argument('<id>', 'the job id')
    .action(run((id: string, _options: unknown, command: Command) => downloadCommand('rejects.csv', id, globals(command), context)));

  program
    .command('cancel')
    .description('stop a job at the end of its current batch (committed batches stay)')
    .argument('<id>', 'the job id')
    .action(run((id: string, _options: unknown, command: Command) => cancelCommand(id, globals(command), context)));

  program
    .command('undo')
    .description('undo an import (undoImport): the rows it added deleted, the rows it updated given back their previous values')
    .argument('<id>', 'the import job id')
    .addOption(
      new Option('--conflicts <choice>', 'rows changed since by other jobs: refuse (change nothing), skip (undo the rest), force (undo them too)')
        .argParser(oneOf(UNDO_CONFLICTS))
        .default('REFUSE', 'refuse'),
    )
    .option('--dry-run', 'say what the undo would do, change nothing')
    .option('-w, --wait', 'follow the undo to its end; the exit code tells how it ended')
    .action(run((id: string, _options: unknown, command: Command) => undoCommand(id, command.optsWithGlobals<UndoOptions>(), context)));

  return program;
}
