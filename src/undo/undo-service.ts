import { In } from 'typeorm';
import type { Store } from '../db/store';
import { apiError } from '../graphql/errors';
import type { JobQueue } from '../jobs/job-queue';
import { ImportStatus, UndoConflicts } from '../imports/enums';
import { ImportJob } from '../imports/import-job.entity';
import { today, type ImportService } from '../imports/import-service';

export interface UndoServiceDeps {
  store: Store;
  queue: JobQueue;
  imports: Pick<ImportService, 'job'>;
}

/** undoImport and undoneBy: undo jobs are queued, run and resumed like imports (see UndoRun). */
export class UndoService {
  constructor(private readonly deps: UndoServiceDeps) {}

  /**
   * Queues an undo job for an import: what it added deleted, what it updated given back its
   * previous values; rows changed since by other jobs are conflicts, handled by `conflicts`.
   */
  async undo(id: number, conflicts: UndoConflicts, dryRun: boolean, tokenId: number | null): Promise<ImportJob> {
    const { store, queue } = this.deps;
    const target = await this.deps.imports.job(id);
    if (!target || target.parentId !== null) throw apiError('NOT_FOUND', `No import job with id ${id}`);
    const refuse = (why: string) => apiError('BAD_USER_INPUT', `Job ${id} cannot be undone: ${why}`, { status: target.status });
    if (target.undoesJobId !== null) throw refuse(`it is itself the undo of job ${target.undoesJobId}; re-run the import instead`);
    if (target.dryRun) throw refuse('it is a dry run, it wrote nothing');
    if (target.status === ImportStatus.PENDING || target.status === ImportStatus.RUNNING) throw refuse(`it is still ${target.status} (cancel it first, or wait for it to end)`);
    if (target.status === ImportStatus.UNDONE) {
      const by = await this.undoneBy(id);
      throw refuse(`it was undone already${by ? ` (by job ${by.id})` : ''}`);
    }
    if (!dryRun) {
      const running = await store.read((m) =>
        m.findOneBy(ImportJob, { undoesJobId: id, dryRun: false, status: In([ImportStatus.PENDING, ImportStatus.RUNNING]) }),
      );
      if (running) throw refuse(`job ${running.id} is undoing it already`);
    }
    const job = Object.assign(new ImportJob(), {
      adapter: target.adapter,
      fileId: target.fileId,
      status: ImportStatus.PENDING,
      dryRun,
      onExisting: target.onExisting,
      enrollIfNeeded: false,
      options: {},
      importDate: today(),
      undoesJobId: id,
      undoConflicts: conflicts,
      tokenId,
    });
    const saved = await store.transaction((m) => m.save(job));
    await queue.enqueue(saved.id);
    return saved;
  }

  /** The undo job that took an import back (the latest one that succeeded), if any. */
  async undoneBy(id: number): Promise<ImportJob | null> {
    return this.deps.store.read((m) =>
      m.findOne(ImportJob, { where: { undoesJobId: id, dryRun: false, status: ImportStatus.SUCCEEDED }, order: { id: 'DESC' } }),
    );
  }

}
