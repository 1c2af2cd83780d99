import { ImportJob } from '../imports/import-job.entity';
import { InProcessProgressBus, type ProgressBus } from './progress-bus';
import type { RedisChannels } from './redis-channels';

const dateFields = ['createdAt', 'startedAt', 'finishedAt'] as const;

/**
 * Job snapshots through Redis pub/sub, so that a subscriber on any API process sees the
 * progress of a job run by any worker. Subscriptions start from the database snapshot
 * (watchJob), so a lost message costs nothing but a step.
 */
export class RedisProgressBus implements ProgressBus {
  private readonly local = new InProcessProgressBus();

  private constructor(private readonly channels: RedisChannels) {}

  static async open(channels: RedisChannels): Promise<RedisProgressBus> {
    const bus = new RedisProgressBus(channels);
    await channels.on('progress', (message) => bus.local.publish(revive(message)));
    return bus;
  }

  publish(job: ImportJob): void {
    // Fire and forget, as in-process: a subscriber that misses a step reads the next one.
    this.channels.publish('progress', JSON.stringify(job)).catch(() => {});
  }

  subscribe(jobId: number, signal: AbortSignal): AsyncIterable<ImportJob> {
    return this.local.subscribe(jobId, signal);
  }
}

function revive(message: string): ImportJob {
  const job = Object.assign(new ImportJob(), JSON.parse(message));
  for (const field of dateFields) if (job[field] !== null && job[field] !== undefined) job[field] = new Date(job[field]);
  return job;
}
