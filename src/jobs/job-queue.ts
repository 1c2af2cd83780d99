/** The abort reason of a job stopped by a shutdown: it stays RUNNING and resumes at the next start. */
export const SHUTDOWN = 'shutdown';
/** The abort reason of a job cancelled by a user: it ends CANCELLED after its current batch. */
export const CANCELLED = 'cancelled';
/** The abort reason of a job another worker took over: this one stops and writes nothing more. */
export const LEASE_LOST = 'lease-lost';

/** Runs import jobs: in this process (InProcessJobQueue), or BullMQ workers (BullMqJobQueue). */
export interface JobQueue {
  /** Schedules a job; it runs when a slot is free (once, if it is queued already; again after its run, if it is running). */
  enqueue(jobId: number): Promise<void>;
  /** Schedules a job once more after another ended (a part of a split import: its job collects the parts). */
  enqueueAfter(jobId: number, after: number): Promise<void>;
  /** Worker processes taking jobs from this queue, when it can tell (BullMQ). */
  workers?(): Promise<number>;
  /**
   * Takes a queued job off the queue, or asks a running one to stop after its current batch;
   * says which it was ('unknown' when this queue does not hold the job).
   */
  cancel(jobId: number): Promise<'queued' | 'running' | 'unknown'>;
  /** Jobs waiting for a slot, and running (for /metrics). */
  counts(): Promise<{ waiting: number; active: number }>;
  /** Stops taking jobs and waits for the running ones to stop at their next checkpoint. */
  close(): Promise<void>;
}

export type JobHandler = (jobId: number, signal: AbortSignal) => Promise<void>;

/** A FIFO queue running at most `concurrency` jobs at once in this process. */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting: number[] = [];
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  /** Running jobs enqueued again (resumed as their run was ending): they run again after it. */
  private readonly again = new Set<number>();
  private closed = false;

  constructor(
    private readonly handler: JobHandler,
    private readonly concurrency: number,
    private readonly onError: (jobId: number, error: unknown) => void = () => {},
  ) {}

  async enqueue(jobId: number): Promise<void> {
    if (this.closed || this.waiting.includes(jobId)) return;
    if (this.running.has(jobId)) {
      this.again.add(jobId);
      return;
    }
    this.waiting.push(jobId);
    this.pump();
  }

  async enqueueAfter(jobId: number): Promise<void> {
    await this.enqueue(jobId);
  }

  async cancel(jobId: number): Promise<'queued' | 'running' | 'unknown'> {
    this.again.delete(jobId);
    const index = this.waiting.indexOf(jobId);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      return 'queued';
    }
    const running = this.running.get(jobId);
    if (!running) return 'unknown';
    running.controller.abort(CANCELLED);
    return 'running';
  }

  async counts(): Promise<{ waiting: number; active: number }> {
    return { waiting: this.waiting.length, active: this.running.size };
  }

  get size(): number {
    return this.waiting.length + this.running.size;
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const jobId = this.waiting.shift() as number;
      const controller = new AbortController();
      const done = this.handler(jobId, controller.signal)
        .catch((error) => this.onError(jobId, error))
        .finally(() => {
          this.running.delete(jobId);
          if (this.again.delete(jobId) && !this.closed) this.waiting.push(jobId);
          this.pump();
        });
      this.running.set(jobId, { controller, done });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.again.clear();
    for (const { controller } of this.running.values()) controller.abort(SHUTDOWN);
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }
}
