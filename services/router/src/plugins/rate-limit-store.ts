import type { Redis } from '@rt/queue';

/** What @fastify/rate-limit passes to a store's `incr` callback. */
interface RateLimitResult {
  current: number;
  ttl: number;
}

interface WindowCount {
  /** Count in Redis as of the last flush (all router instances of the region). */
  synced: number;
  /** Local increments not yet flushed. */
  pending: number;
  windowEnd: number;
  redisKey: string;
  timeWindow: number;
}

/** Options of {@link batchedRedisStore}. */
export interface BatchedStoreOptions {
  redis: Redis;
  /** Redis key prefix (e.g. `rl:`). */
  prefix: string;
  /** How often local counts are added to Redis (ms). */
  flushMs?: number;
  now?: () => number;
}

/**
 * A @fastify/rate-limit store that counts per key in fixed windows in Redis — shared by every
 * router instance of the region — without a Redis round trip per request: increments are
 * counted in memory and added to Redis in one pipeline (`INCRBY` + `PEXPIRE`) every `flushMs`;
 * the reply of INCRBY updates this instance's view of the region-wide count. A limit can thus be
 * overshot by at most what the other instances admitted within one flush interval — an
 * acceptable price for taking Redis off the hot path. Redis errors keep the local counts (they
 * are retried on the next flush) and never block requests.
 */
export function batchedRedisStore(options: BatchedStoreOptions) {
  const flushMs = options.flushMs ?? 50;
  const now = options.now ?? Date.now;
  const counts = new Map<string, WindowCount>();
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    timer = undefined;
    const batch: Array<[WindowCount, number]> = [];
    const pipeline = options.redis.pipeline();
    const t = now();
    for (const [key, c] of counts) {
      if (c.pending > 0) {
        batch.push([c, c.pending]);
        pipeline.incrby(c.redisKey, c.pending);
        pipeline.pexpire(c.redisKey, c.timeWindow * 2);
        c.pending = 0;
      } else if (c.windowEnd < t) {
        counts.delete(key);
      }
    }
    if (!batch.length) return;
    try {
      const results = await pipeline.exec();
      batch.forEach(([c, flushed], i) => {
        const [err, value] = results?.[i * 2] ?? [new Error('no reply'), null];
        if (err) c.pending += flushed;
        else c.synced = Math.max(c.synced, Number(value));
      });
    } catch {
      for (const [c, flushed] of batch) c.pending += flushed;
    }
  };

  return class BatchedRedisStore {
    incr(
      key: string,
      callback: (err: Error | null, result: RateLimitResult) => void,
      timeWindow: number,
    ): void {
      const t = now();
      const windowStart = t - (t % timeWindow);
      const id = `${key}:${windowStart}`;
      let c = counts.get(id);
      if (!c) {
        c = {
          synced: 0,
          pending: 0,
          windowEnd: windowStart + timeWindow,
          redisKey: `${options.prefix}${id}`,
          timeWindow,
        };
        counts.set(id, c);
      }
      c.pending++;
      if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
      callback(null, { current: c.synced + c.pending, ttl: c.windowEnd - t });
    }

    child(): BatchedRedisStore {
      return this;
    }
  };
}
