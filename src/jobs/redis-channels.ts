import type { Redis } from 'ioredis';

/**
 * Messages between the processes of one deployment (Redis pub/sub): one publishing connection,
 * one subscribed connection, handlers by channel. Pub/sub is fire-and-forget: nothing that must
 * not be lost goes only this way (the job row in the database stays the truth).
 */
export class RedisChannels {
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
  ) {
    this.subscriber = publisher.duplicate({ connectionName: `${publisher.options.connectionName ?? 'lms-import'}:sub` });
    this.subscriber.on('error', () => {}); // ioredis reconnects and subscribes again by itself
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  private name(channel: string): string {
    return `${this.prefix}:${channel}`;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(this.name(channel), message);
  }

  /** Calls `handler` with each message of `channel` from now on. */
  async on(channel: string, handler: (message: string) => void): Promise<void> {
    const name = this.name(channel);
    let set = this.handlers.get(name);
    if (!set) {
      this.handlers.set(name, (set = new Set()));
      await this.subscriber.subscribe(name);
    }
    set.add(handler);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
