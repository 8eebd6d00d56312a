import { Redis, type RedisOptions } from 'ioredis';

/**
 * Creates an ioredis connection suitable for BullMQ (workers need
 * `maxRetriesPerRequest: null`, otherwise blocking commands fail during reconnects).
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}

export type { Redis };
