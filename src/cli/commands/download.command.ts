import { EXIT } from '../cli-error';
import { apiClient, type CliContext, type GlobalOptions } from '../context';

/** The job's log file or rejects file, as the service serves it (`> rejects.csv` keeps its bytes). */
export async function downloadCommand(what: 'log.txt' | 'rejects.csv', id: string, options: GlobalOptions, context: CliContext): Promise<number> {
  const api = apiClient(options, context);
  await api.download(`/imports/${encodeURIComponent(id)}/${what}`, context.out);
  return EXIT.OK;
}
