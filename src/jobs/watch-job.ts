import { finishedStatuses } from '../imports/enums';
import type { ImportJob } from '../imports/import-job.entity';
import type { ProgressBus } from './progress-bus';

/**
 * A job's current state first (so that a late watcher is not left waiting), then its
 * published updates, ending with its final status.
 */
export async function* watchJob(
  bus: ProgressBus,
  load: (jobId: number) => Promise<ImportJob | null>,
  jobId: number,
): AsyncGenerator<ImportJob> {
  const controller = new AbortController();
  const updates = bus.subscribe(jobId, controller.signal)[Symbol.asyncIterator]();
  // Listening starts here, before the current state is read: no update in between is missed.
  let pending = updates.next();
  try {
    const current = await load(jobId);
    if (!current) return;
    yield current;
    if (finishedStatuses.includes(current.status)) return;
    for (;;) {
      const next = await pending;
      if (next.done) return;
      yield next.value;
      if (finishedStatuses.includes(next.value.status)) return;
      pending = updates.next();
    }
  } finally {
    controller.abort();
    await updates.return?.();
  }
}

/** Resolves with the job once it has finished. */
export async function jobFinished(bus: ProgressBus, load: (jobId: number) => Promise<ImportJob | null>, jobId: number): Promise<ImportJob> {
  let last: ImportJob | null = null;
  for await (const job of watchJob(bus, load, jobId)) last = job;
  if (!last) throw new Error(`No import job with id ${jobId}`);
  return (await load(jobId)) ?? last;
}
