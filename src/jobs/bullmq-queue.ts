import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { CANCELLED, LEASE_LOST, SHUTDOWN, type JobHandler, type JobQueue } from './job-queue';
import type { RedisChannels } from './redis-channels';

const QUEUE_NAME = 'imports';
const ATTEMPTS = 3;

/** BullMQ wants string ids that are not plain integers. */
const queueId = (jobId: number) => `import-${jobId}`;
/** The import job a queue id delivers (`import-12`, or `import-12-after-15`: see enqueueAfter). */
const importJobOf = (id: string) => Number(/^import-(\d+)/.exec(id)?.[1]);

export interface BullMqJobQueueOptions {
  config: Pick<Config, 'QUEUE_PREFIX' | 'QUEUE_LOCK_MS' | 'QUEUE_STALLED_INTERVAL_MS' | 'QUEUE_MAX_STALLED'> & { concurrency: number };
  redis: Redis;
  channels: RedisChannels;
  logger: Logger;
  /** Runs jobs in this process (roles `all` and `worker`); without it, this process only queues. */
  handler?: JobHandler;
  /** A job BullMQ gave up on (it stalled too often): the database row must say so. */
  onGivenUp?: (jobId: number, reason: string) => Promise<void>;
  /** A worker took over a job whose worker stopped renewing its hold. */
  onStalled?: () => void;
}

/**
 * Jobs on a BullMQ queue in Redis, run by worker processes. BullMQ only delivers: the job row
 * in the database stays the truth (status, checkpoint, lease), so a job delivered twice (a
 * worker that stalled, a retry) resumes from its checkpoint, and a worker that lost its hold
 * cannot commit (the lease in ImportRunner). The queue's job id is the import job's id, so
 * queuing a job twice is one job.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly running = new Map<number, AbortController>();

  private constructor(
    private readonly queue: Queue,
    private readonly worker: Worker | null,
    /** BullMQ leaves a connection it was given open: closed here. */
    private readonly workerConnection: Redis | null,
    private readonly channels: RedisChannels,
  ) {}

  static async open(options: BullMqJobQueueOptions): Promise<BullMqJobQueue> {
    const { config, redis, channels, logger, handler } = options;
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: config.QUEUE_PREFIX });
    queue.on('error', (error) => logger.warn({ err: error }, 'job queue: Redis error'));
    let worker: Worker | null = null;
    let workerConnection: Redis | null = null;
    const self: { queue?: BullMqJobQueue } = {};
    if (handler) {
      workerConnection = redis.duplicate({ maxRetriesPerRequest: null });
      worker = new Worker(QUEUE_NAME, (job, token, signal) => self.queue!.process(job, token, signal, handler), {
        connection: workerConnection,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.concurrency,
        lockDuration: config.QUEUE_LOCK_MS,
        stalledInterval: config.QUEUE_STALLED_INTERVAL_MS,
        maxStalledCount: config.QUEUE_MAX_STALLED,
      });
      worker.on('error', (error) => logger.warn({ err: error }, 'job worker: Redis error'));
      // This worker can no longer prove it holds these jobs: another may take them over, so stop
      // them here (their lease would refuse the next commit anyway).
      worker.on('lockRenewalFailed', (ids) => {
        for (const id of ids) self.queue!.abort(importJobOf(String(id)), LEASE_LOST);
      });
      worker.on('stalled', (id) => {
        logger.warn({ queueJob: id }, 'job worker: a job stalled; it resumes from its checkpoint');
        options.onStalled?.();
      });
      worker.on('failed', (job, error) => {
        if (!job || error instanceof DelayedError) return;
        // Emitted for every failed attempt: only the last one (or a job that stalled too often) is given up.
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(error.message);
        const jobId = (job.data as { jobId: number }).jobId;
        if (!final) {
          logger.warn({ err: error, jobId, attempt: job.attemptsMade }, 'job worker: a run failed; it is tried again from the checkpoint');
          return;
        }
        logger.error({ err: error, jobId }, 'job worker: the queue gave up on a job');
        options.onGivenUp?.(jobId, error.message).catch((failure) => logger.error({ err: failure, jobId }, 'could not mark the job failed'));
      });
      await worker.waitUntilReady();
    }
    await queue.waitUntilReady();
    self.queue = new BullMqJobQueue(queue, worker, workerConnection, channels);
    // A cancel asked on any API process reaches the worker that runs the job.
    if (worker) await channels.on('cancel', (message) => self.queue!.abort(Number(message), CANCELLED));
    return self.queue;
  }

  async enqueue(jobId: number): Promise<void> {
    await this.add(jobId, queueId(jobId));
  }

  /**
   * The job once more after `after` ended (a part of a split import: its job collects the
   * parts). Its own queue id, so that it is not lost in a run of the job already queued or running.
   */
  async enqueueAfter(jobId: number, after: number): Promise<void> {
    await this.add(jobId, `${queueId(jobId)}-after-${after}`);
  }

  private async add(jobId: number, id: string): Promise<void> {
    // Kept until done, removed then: resuming a job later queues it anew.
    // A run fails only for what the runner cannot record itself (the database gone mid-save):
    // tried again, from the checkpoint, after 5 s then 10 s.
    await this.queue.add('import', { jobId }, {
      jobId: id,
      removeOnComplete: true,
      removeOnFail: true,
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: 5000 },
    });
  }

  async cancel(jobId: number): Promise<'queued' | 'running' | 'unknown'> {
    if ((await this.queue.remove(queueId(jobId))) === 1) return 'queued';
    await this.channels.publish('cancel', String(jobId));
    return 'running';
  }

  /** Jobs waiting and running, as Redis holds them (for /metrics). */
  async counts(): Promise<{ waiting: number; active: number }> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return { waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0 };
  }

  /** Worker processes connected to the queue. */
  async workers(): Promise<number> {
    return (await this.queue.getWorkers()).length;
  }

  private abort(jobId: number, reason: string): void {
    this.running.get(jobId)?.abort(reason);
  }

  private async process(job: Job, token: string | undefined, signal: AbortSignal | undefined, handler: JobHandler): Promise<void> {
    const jobId = (job.data as { jobId: number }).jobId;
    const controller = new AbortController();
    signal?.addEventListener('abort', () => controller.abort(signal.reason ?? CANCELLED), { once: true });
    this.running.set(jobId, controller);
    try {
      await handler(jobId, controller.signal);
    } finally {
      this.running.delete(jobId);
    }
    if (controller.signal.reason === SHUTDOWN) {
      // Given back, not failed: another worker (or this one, restarted) goes on from the checkpoint.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  }

  async close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort(SHUTDOWN);
    await this.worker?.close();
    this.workerConnection?.disconnect();
    await this.queue.close();
  }
}
