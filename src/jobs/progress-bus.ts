import { EventEmitter, on } from 'node:events';
import type { ImportJob } from '../imports/import-job.entity';

/** Carries job snapshots from the runner to subscribers (in-process now; Redis later). */
export interface ProgressBus {
  publish(job: ImportJob): void;
  /** Snapshots of one job as they are published, until `signal` aborts. */
  subscribe(jobId: number, signal: AbortSignal): AsyncIterable<ImportJob>;
}

export class InProcessProgressBus implements ProgressBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open subscription: many clients may watch jobs at once.
    this.emitter.setMaxListeners(0);
  }

  publish(job: ImportJob): void {
    this.emitter.emit(`job:${job.id}`, job);
  }

  async *subscribe(jobId: number, signal: AbortSignal): AsyncIterable<ImportJob> {
    try {
      for await (const [job] of on(this.emitter, `job:${jobId}`, { signal })) yield job as ImportJob;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }
}
