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
  const redis = new IORedis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectionName: name, connectTimeout: 5000 });
  redis.on('error', () => {}); // reconnections are ioredis's; a failed first connection is thrown below
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new RedisSetupError(`REDIS_URL: cannot reach ${redactedUrl(url)}: ${(error as Error).message}`);
  }
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
