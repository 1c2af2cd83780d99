import { CliError, EXIT } from '../cli-error';
import { apiClient, printJson, type CliContext, type GlobalOptions } from '../context';
import { fetchJob, reportFinished, waitForJob } from '../follow-job';
import { formatJob } from '../format';
import { CANCEL_IMPORT, finishedStatuses, type Job } from '../queries';

export interface JobOptions extends GlobalOptions {
  wait?: boolean;
}

/** One job's details; with --wait, followed to its end (and the import's exit codes). */
export async function jobCommand(id: string, options: JobOptions, context: CliContext): Promise<number> {
  const api = apiClient(options, context);
  if (options.wait) {
    await fetchJob(api, id, context); // an unknown id is said before anything is watched
    return reportFinished(await waitForJob(api, id, context), options.json, context);
  }
  const job = await fetchJob(api, id, context);
  if (options.json) printJson(context, job);
  else context.out.write(`${formatJob(job, context.t)}\n`);
  return EXIT.OK;
}

/** Asks the service to stop a job; it stops at the end of its current batch (committed batches stay). */
export async function cancelCommand(id: string, options: GlobalOptions, context: CliContext): Promise<number> {
  const { t } = context;
  const api = apiClient(options, context);
  const before = await fetchJob(api, id, context);
  if (finishedStatuses.includes(before.status)) {
    if (options.json) printJson(context, before);
    context.err.write(`${t.alreadyFinished(id, before.status)}\n`);
    return EXIT.OK;
  }
  let job: Job;
  try {
    job = (await api.gql<{ cancelImport: Job }>(CANCEL_IMPORT, { id })).cancelImport;
  } catch (error) {
    if (error instanceof CliError && error.code === 'NOT_FOUND') throw new CliError(t.notFound(id), EXIT.FAILED, error.code);
    throw error;
  }
  if (options.json) printJson(context, job);
  context.err.write(`${job.status === 'CANCELLED' ? t.cancelDone(id) : t.cancelAsked(id, job.status)}\n`);
  return EXIT.OK;
}
