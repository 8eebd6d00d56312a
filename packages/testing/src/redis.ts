import { randomBytes } from 'node:crypto';

/** Local Redis for tests. Override with REDIS_URL. */
export const testRedisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix unique to one test, so tests share one Redis without seeing each other. */
export function redisTestPrefix(label = 'test'): string {
  return `rt-t-${label}-${randomBytes(4).toString('hex')}`;
}
