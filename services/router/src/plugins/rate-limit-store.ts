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
  /** Increments sent to Redis whose reply has not come yet (still counted meanwhile). */
  flushing: number;
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
  /**
   * Counts with increments not yet flushed: a flush touches only these, never every tenant seen
   * in the window (100 000 tenants would otherwise mean 100 000 map entries walked per flush).
   */
  let dirty: WindowCount[] = [];
  /** When ended windows are next dropped (once per shortest window, not on every flush). */
  let nextSweep = 0;
  let timer: NodeJS.Timeout | undefined;

  const sweep = (t: number) => {
    let window = Number.POSITIVE_INFINITY;
    for (const [key, c] of counts) {
      if (c.windowEnd < t && c.pending === 0 && c.flushing === 0) counts.delete(key);
      else window = Math.min(window, c.timeWindow);
    }
    nextSweep = t + (Number.isFinite(window) ? window : 60_000);
  };

  const flush = async () => {
    timer = undefined;
    const t = now();
    if (t >= nextSweep) sweep(t);
    if (!dirty.length) return;
    const batch: Array<[WindowCount, number]> = [];
    const pipeline = options.redis.pipeline();
    for (const c of dirty) {
      batch.push([c, c.pending]);
      pipeline.incrby(c.redisKey, c.pending);
      pipeline.pexpire(c.redisKey, c.timeWindow * 2);
      c.flushing += c.pending;
      c.pending = 0;
    }
    dirty = [];
    const retry = (c: WindowCount, flushed: number) => {
      c.flushing -= flushed;
      if (c.pending === 0) dirty.push(c);
      c.pending += flushed;
    };
    try {
      const results = await pipeline.exec();
      batch.forEach(([c, flushed], i) => {
        const [err, value] = results?.[i * 2] ?? [new Error('no reply'), null];
        if (err) retry(c, flushed);
        else {
          c.flushing -= flushed;
          c.synced = Math.max(c.synced, Number(value));
        }
      });
    } catch {
      for (const [c, flushed] of batch) retry(c, flushed);
    }
    if (dirty.length && !timer) {
      timer = setTimeout(() => void flush(), flushMs);
      timer.unref();
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
          flushing: 0,
          windowEnd: windowStart + timeWindow,
          redisKey: `${options.prefix}${id}`,
          timeWindow,
        };
        counts.set(id, c);
      }
      if (c.pending++ === 0) dirty.push(c);
      if (!timer) {
        timer = setTimeout(() => void flush(), flushMs);
        timer.unref();
      }
      callback(null, { current: c.synced + c.flushing + c.pending, ttl: c.windowEnd - t });
    }

    child(): BatchedRedisStore {
      return this;
    }
  };
}
