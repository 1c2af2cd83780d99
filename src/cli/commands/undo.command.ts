import { CliError, EXIT } from '../cli-error';
import { apiClient, printJson, type CliContext, type GlobalOptions } from '../context';
import { waitForJob } from '../follow-job';
import { formatJob } from '../format';
import { UNDO_IMPORT, UNDO_JOB, type UndoJob } from '../queries';

export interface UndoOptions extends GlobalOptions {
  conflicts?: string;
  dryRun?: boolean;
  wait?: boolean;
}

/** Issues an undo job shows once it ended. */
const ISSUES_SHOWN = 10;

/**
 * Queues the undo of an import (undoImport); with --wait, follows it to its end. Exit codes as
 * for an import: 0 undone (a dry run: it would be, without a conflict), 2 undone but for
 * conflicts (SKIP, FORCE, or a dry run that found some), 1 failed (REFUSE with conflicts), cancelled or refused.
 */
export async function undoCommand(id: string, options: UndoOptions, context: CliContext): Promise<number> {
  const { t } = context;
  const api = apiClient(options, context);
  let job: UndoJob;
  try {
    job = (await api.gql<{ undoImport: UndoJob }>(UNDO_IMPORT, { id, conflicts: options.conflicts ?? null, dryRun: options.dryRun ?? false })).undoImport;
  } catch (error) {
    if (error instanceof CliError && error.code === 'NOT_FOUND') throw new CliError(t.notFound(id), EXIT.FAILED, error.code);
    throw error;
  }
  context.err.write(`${t.undoQueued(job.id, id, job.dryRun)}\n`);
  if (!options.wait) {
    if (options.json) printJson(context, job);
    else context.out.write(`${t.follow(job.id)}\n`);
    return EXIT.OK;
  }
  await waitForJob(api, job.id, context);
  const done = (await api.gql<{ importJob: UndoJob }>(UNDO_JOB, { id: job.id, issues: ISSUES_SHOWN })).importJob;
  const { deleted, restored, conflicts } = done.counts;
  if (options.json) printJson(context, done);
  else context.out.write(`${formatJob(done, t)}\n${t.undoCounts(deleted, restored, conflicts)}\n`);
  const say = (message: string) => context.err.write(`${message}\n`);
  if (done.status === 'CANCELLED') say(t.cancelled(done.id));
  else if (done.status !== 'SUCCEEDED') say(t.undoFailed(done.id, done.failure));
  else if (conflicts > 0) say(t.undoWithConflicts(done.id, conflicts));
  else say(t.undoSucceeded(done.id, id, done.dryRun));
  if (done.status !== 'SUCCEEDED') return EXIT.FAILED;
  return conflicts > 0 ? EXIT.REJECTS : EXIT.OK;
}
