import type { ApiClient } from './api-client';
import { CliError, EXIT } from './cli-error';
import { printJson, type CliContext } from './context';
import { formatJob } from './format';
import { progressReporter } from './progress-reporter';
import { finishedStatuses, IMPORT_JOB, type Job } from './queries';

/** The first issues `job ID` shows. */
export const ISSUES_SHOWN = 10;

export async function fetchJob(api: ApiClient, id: string, context: CliContext): Promise<Job> {
  const { importJob } = await api.gql<{ importJob: Job | null }>(IMPORT_JOB, { id, issues: ISSUES_SHOWN });
  if (!importJob) throw new CliError(context.t.notFound(id), EXIT.FAILED, 'NOT_FOUND');
  return importJob;
}

/**
 * Follows a job to its end, its progress on stderr. Ctrl-C stops the waiting, not the job,
 * and says how to come back to it.
 */
export async function waitForJob(api: ApiClient, id: string, context: CliContext): Promise<Job> {
  const reporter = progressReporter(context.err, context.t);
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await api.watch(id, (progress) => reporter.update(progress), interrupt.signal);
  } catch (error) {
    if (interrupt.signal.aborted) {
      reporter.end();
      throw new CliError(context.t.interrupted(id), EXIT.INTERRUPTED);
    }
    throw error;
  } finally {
    reporter.end();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  // The counters as committed, with the outcome the subscription does not carry.
  const job = await fetchJob(api, id, context);
  if (!finishedStatuses.includes(job.status)) throw new CliError(context.t.subscriptionEnded(id, job.status));
  return job;
}

/** 0 succeeded with nothing rejected, 2 succeeded with rejects, 1 failed, cancelled or undone since. */
export function exitCodeOf(job: Job): number {
  if (job.status !== 'SUCCEEDED') return EXIT.FAILED;
  return job.counts.rejected > 0 ? EXIT.REJECTS : EXIT.OK;
}

/** Prints a finished job (JSON, or its details) and says on stderr what it came to; returns the exit code. */
export function reportFinished(job: Job, json: boolean | undefined, context: CliContext): number {
  const { t } = context;
  if (json) printJson(context, job);
  else context.out.write(`${formatJob(job, t)}\n`);
  const code = exitCodeOf(job);
  const say = (message: string) => context.err.write(`${message}\n`);
  if (job.status === 'FAILED') say(t.failed(job.id, job.failure));
  else if (job.status === 'CANCELLED') say(t.cancelled(job.id));
  else if (job.status === 'UNDONE') say(t.undone(job.id));
  else if (code === EXIT.REJECTS) say(t.withRejects(job.id, job.counts.rejected));
  else say(t.succeeded(job.id, job.dryRun));
  return code;
}
