import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ImportJob } from '../imports/import-job.entity';

/** The job was taken over by another run (a later lease): this one stops and writes nothing more. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId} is held by another run now (its lease moved on); this one stops without writing`);
  }
}

/** The error, or what caused it (a rolled-back group of batches), is a lost lease. */
export function isLeaseLost(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof LeaseLostError) return true;
  }
  return false;
}

/**
 * Writes the job's row in the caller's transaction only while `job.lease` is still its lease:
 * one row updated, or LeaseLostError (and the caller's transaction rolls back with it).
 */
export async function updateLeased(manager: EntityManager, job: Pick<ImportJob, 'id' | 'lease'>, values: QueryDeepPartialEntity<ImportJob>): Promise<void> {
  const { affected } = await manager.update(ImportJob, { id: job.id, lease: job.lease }, values);
  if (affected !== 1) throw new LeaseLostError(job.id);
}
