import { EXIT } from '../cli-error';
import { apiClient, printJson, type CliContext, type GlobalOptions } from '../context';
import { formatJobTable } from '../format';
import { IMPORT_JOBS, type JobPage } from '../queries';

export interface JobsOptions extends GlobalOptions {
  limit: number;
  after?: string;
  adapter?: string;
  status?: string;
}

/** The history, newest first: a table, or with --json the page (jobs, totalCount, the next cursor). */
export async function jobsCommand(options: JobsOptions, context: CliContext): Promise<number> {
  const { t } = context;
  const api = apiClient(options, context);
  const { importJobs: page } = await api.gql<{ importJobs: JobPage }>(IMPORT_JOBS, {
    first: options.limit,
    after: options.after ?? null,
    adapter: options.adapter ?? null,
    status: options.status ?? null,
  });
  const jobs = page.edges.map(({ node }) => node);
  if (options.json) {
    printJson(context, { totalCount: page.totalCount, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor, jobs });
    return EXIT.OK;
  }
  if (jobs.length === 0) {
    context.err.write(`${t.noJobs}\n`);
    return EXIT.OK;
  }
  context.out.write(`${formatJobTable(jobs, t)}\n`);
  const more = page.pageInfo.hasNextPage && page.pageInfo.endCursor ? `; ${t.nextPage(page.pageInfo.endCursor)}` : '';
  context.err.write(`${t.page(jobs.length, page.totalCount)}${more}\n`);
  return EXIT.OK;
}
