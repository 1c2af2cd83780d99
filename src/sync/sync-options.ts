import { In } from 'typeorm';
import type { AnyAdapter } from '../adapters/define-adapter';
import type { AdapterRegistry } from '../adapters/registry';
import type { Store } from '../db/store';
import { apiError } from '../graphql/errors';
import { ImportMode, ImportStatus } from '../imports/enums';
import { ImportJob } from '../imports/import-job.entity';
import { DEFAULT_CHANGE_THRESHOLD } from './retire-run';

/** A data set's name: what scripts pass night after night. */
const dataSetName = /^[A-Za-z0-9._-]{1,100}$/;

/** What runImport says of a sync. */
export interface SyncRequest {
  mode?: ImportMode | null;
  dataSet?: string | null;
  changeThreshold?: number | null;
}

/** mode, dataSet and changeThreshold, checked: a sync needs an adapter that says what "absent" means, and a data set. */
export function syncOptions(request: SyncRequest, adapter: AnyAdapter, registry: Pick<AdapterRegistry, 'list'>): Pick<ImportJob, 'mode' | 'dataSet' | 'changeThreshold'> {
  const mode = request.mode ?? ImportMode.MERGE;
  const dataSet = request.dataSet ?? null;
  const threshold = request.changeThreshold ?? null;
  const bad = (message: string) => apiError('BAD_USER_INPUT', message);
  if (dataSet !== null && !dataSetName.test(dataSet)) throw bad(`dataSet "${dataSet.slice(0, 120)}": 1 to 100 letters, digits, ".", "_" or "-"`);
  if (mode === ImportMode.SNAPSHOT) {
    if (!adapter.sync) {
      const supported = registry.list().filter((a) => a.sync).map((a) => a.name).join(', ');
      throw bad(`mode SNAPSHOT is not available for ${adapter.name}: it does not say what a row absent from its file means (supported: ${supported})`);
    }
    if (dataSet === null) throw bad('mode SNAPSHOT needs a dataSet: the rows of that data set the file no longer has are retired');
  } else if (threshold !== null) throw bad('changeThreshold applies to mode SNAPSHOT only');
  if (threshold !== null && (!Number.isInteger(threshold) || threshold < 1 || threshold > 100)) throw bad(`changeThreshold ${threshold}: a percentage from 1 to 100`);
  return { mode, dataSet, changeThreshold: mode === ImportMode.SNAPSHOT ? (threshold ?? DEFAULT_CHANGE_THRESHOLD) : null };
}

/** Two syncs of a data set at once would each retire what the other's file has: one at a time. */
export async function refuseConcurrentSync(store: Store, adapter: string, dataSet: string): Promise<void> {
  const running = await store.read((m) =>
    m.findOneBy(ImportJob, { adapter, dataSet, mode: ImportMode.SNAPSHOT, dryRun: false, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }),
  );
  if (running) throw apiError('BAD_USER_INPUT', `Job ${running.id} is syncing data set ${dataSet} with ${adapter}: wait for it to end (or cancel it)`, { jobId: String(running.id) });
}
