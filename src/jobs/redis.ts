import IORedis, { type Redis } from 'ioredis';

export class RedisSetupError extends Error {}

/** The URL as it may be logged: without its password. */
export const redactedUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/**
 * A connection to REDIS_URL, ready, on a server fit for a queue: reachable, and keeping every
 * key (`maxmemory-policy noeviction`), since a queue whose jobs can be evicted loses them.
 * BullMQ wants `maxRetriesPerRequest: null` on the connections it blocks on.
 */
export async function openRedis(url: string, name: string): Promise<Redis> {
  // No retry of the first connection (the start fails at once, nothing scheduled); later, reconnect.
  const redis = new IORedis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectionName: name, connectTimeout: 5000, retryStrategy: () => null });
  let cause: Error | undefined;
  redis.on('error', (error: Error) => (cause ??= error)); // later: ioredis reconnects by itself
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new RedisSetupError(`REDIS_URL: cannot reach ${redactedUrl(url)}: ${(cause ?? (error as Error)).message}`);
  }
  redis.options.retryStrategy = (times) => Math.min(times * 200, 2000);
  // INFO works where CONFIG is disabled (managed Redis).
  const policy = /^maxmemory_policy:(\S+)/m.exec(await redis.info('memory'))?.[1];
  if (policy && policy !== 'noeviction') {
    redis.disconnect();
    throw new RedisSetupError(
      `REDIS_URL: ${redactedUrl(url)} has maxmemory-policy ${policy}; a queue needs noeviction (redis-server --maxmemory-policy noeviction), or jobs may be evicted`,
    );
  }
  return redis;
}
