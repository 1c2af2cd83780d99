import fs from 'node:fs';
import { CliError, EXIT } from '../cli-error';
import { apiClient, printJson, type CliContext, type GlobalOptions } from '../context';
import { reportFinished, waitForJob } from '../follow-job';
import { formatIssue } from '../format';
import { RUN_IMPORT, type Issue, type Job } from '../queries';

export interface ImportOptions extends GlobalOptions {
  adapter: string;
  /** undefined: the service detects it. */
  header?: boolean;
  onExisting?: string;
  enroll?: boolean;
  dryRun?: boolean;
  allowDuplicate?: boolean;
  dataSet?: string;
  snapshot?: boolean;
  changeThreshold?: number;
  option: Record<string, unknown>;
  wait?: boolean;
}

/** Uploads FILE, runs the import, and with --wait follows it to its end. */
export async function importCommand(file: string, options: ImportOptions, context: CliContext): Promise<number> {
  const { t } = context;
  const api = apiClient(options, context);
  checkReadable(file, context);

  const uploaded = await api.upload(file, options.adapter, options.header);
  context.err.write(`${t.uploaded(uploaded.fileName, uploaded.encoding, uploaded.delimiter, uploaded.hasHeader)}\n`);
  // Errors come back with runImport's refusal (an option such as columnMap may clear them).
  for (const problem of uploaded.problems.filter((p) => p.severity === 'WARNING')) context.err.write(`${formatIssue(problem, t)}\n`);

  const adapterOptions = { ...options.option, ...(options.allowDuplicate ? { allowDuplicate: true } : {}) };
  const input = {
    fileId: uploaded.id,
    ...(options.onExisting ? { onExisting: options.onExisting } : {}),
    ...(options.enroll ? { enrollIfNeeded: true } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.snapshot ? { mode: 'SNAPSHOT' } : {}),
    ...(options.dataSet ? { dataSet: options.dataSet } : {}),
    ...(options.changeThreshold ? { changeThreshold: options.changeThreshold } : {}),
    ...(Object.keys(adapterOptions).length > 0 ? { options: adapterOptions } : {}),
  };
  let job: Job;
  try {
    job = (await api.gql<{ runImport: Job }>(RUN_IMPORT, { input })).runImport;
  } catch (error) {
    throw explainRefusal(error, context);
  }
  context.err.write(`${t.queued(job.id, job.dryRun)}\n`);

  if (!options.wait) {
    if (options.json) printJson(context, job);
    else context.out.write(`${t.follow(job.id)}\n`);
    return EXIT.OK;
  }
  return reportFinished(await waitForJob(api, job.id, context), options.json, context);
}

function checkReadable(file: string, context: CliContext): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw new CliError(context.t.fileUnreadable(file, (error as Error).message));
  }
  if (!stat.isFile()) throw new CliError(context.t.notAFile(file));
}

/** A file refused with its problems lists them; a duplicate says which flag goes on. */
function explainRefusal(error: unknown, context: CliContext): unknown {
  if (!(error instanceof CliError)) return error;
  if (error.code === 'DUPLICATE_FILE') return new CliError(`${error.message}\n${context.t.duplicateHint}`, EXIT.FAILED, error.code, error.extensions);
  const problems = error.extensions.problems as Issue[] | undefined;
  if (error.code === 'BAD_USER_INPUT' && Array.isArray(problems) && problems.length > 0) {
    const list = problems.map((problem) => `  ${formatIssue(problem, context.t)}`).join('\n');
    return new CliError(`${context.t.refused}:\n${list}`, EXIT.FAILED, error.code, error.extensions);
  }
  return error;
}
