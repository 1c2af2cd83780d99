import type { EntityManager } from 'typeorm';

/**
 * The fence between undo jobs and imports, kept in the database (the one row of
 * data_generation) so that it holds across processes (BullMQ workers).
 *
 * An import job remembers, across its batches, the ids of the learners, courses, items and
 * enrollments it met (ReferenceCache, in the adapter's state). An undo deletes rows: without a
 * fence, a batch could write statistics pointing at a learner or item the undo had just
 * deleted (the schema has no foreign keys: a broken reference, silently), or the undo could
 * delete a learner a batch in flight was about to refer to (its reference check ran before the
 * batch committed). So:
 *
 * - every writing batch of an import reads the generation first, in its transaction, holding a
 *   shared lock on the row (MySQL) until it commits: imports never wait for each other;
 * - every writing batch of an undo bumps the generation first (an exclusive lock): it waits
 *   for the import batches in flight to commit, and the batches after it wait for it. Its
 *   reference checks then see every row the imports wrote, and keep what they use (a conflict,
 *   UNDO_REFERENCED), never a row an import is about to use;
 * - an import batch that finds the generation moved since its last batch forgets what it
 *   remembered (the adapter state) and looks everything up again: a learner the undo deleted is
 *   then unknown (the row is rejected, saying so) or added again, never pointed at.
 *
 * On SQLite the store runs one transaction at a time, which gives the same order; the
 * generation alone tells imports to forget. Locking learners (lockLearners) would not have
 * been enough: statistics imports do not lock courses or items, and learners imports none.
 * Cost: one primary-key read a batch.
 */
const KEY = 'data-generation';

/** An import's writing batch: waits for an undo batch in flight; clears `state` if an undo ran since its last batch. */
export async function enterImportBatch(manager: EntityManager, state: Map<string, unknown>): Promise<void> {
  const share = manager.connection.options.type === 'better-sqlite3' ? '' : ' LOCK IN SHARE MODE';
  const rows: Array<{ generation: number | string }> = await manager.query(`SELECT generation FROM data_generation WHERE id = 1${share}`);
  const generation = Number(rows[0]?.generation ?? 0);
  const seen = state.get(KEY);
  if (seen !== undefined && seen !== generation) state.clear();
  state.set(KEY, generation);
}

/** An undo's writing batch, before it reads anything: waits for the import batches in flight, holds the next ones back. */
export async function bumpGeneration(manager: EntityManager): Promise<void> {
  await manager.query('UPDATE data_generation SET generation = generation + 1 WHERE id = 1');
}
