import type { Redis } from '@rt/queue';

/** A key's count in its current window, this request included. */
export interface RateLimitCount {
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

interface WindowCount {
  /** Count in Redis as of the last flush (all router instances of the region). */
  synced: number;
  /** Local increments not yet flushed. */
  pending: number;
  /** Increments sent to Redis whose reply has not come yet (still counted meanwhile). */
  flushing: number;
  /** Redis acknowledged the key's expiry (set once per key and window, not on every flush). */
  expirySet: boolean;
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
 * Counts per key in fixed windows in Redis — shared by every
 * router instance of the region — without a Redis round trip per request: increments are
 * counted in memory and added to Redis in one pipeline (`INCRBY`, and `PEXPIRE` once per key) every `flushMs`;
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
    const batch: Array<[WindowCount, number, number]> = [];
    const pipeline = options.redis.pipeline();
    let command = 0;
    for (const c of dirty) {
      batch.push([c, c.pending, command]);
      pipeline.incrby(c.redisKey, c.pending);
      command++;
      if (!c.expirySet) {
        pipeline.pexpire(c.redisKey, c.timeWindow * 2);
        command++;
      }
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
      for (const [c, flushed, i] of batch) {
        const [err, value] = results?.[i] ?? [new Error('no reply'), null];
        if (err) retry(c, flushed);
        else {
          c.flushing -= flushed;
          c.synced = Math.max(c.synced, Number(value));
          if (!c.expirySet && results?.[i + 1] && !results[i + 1]![0]) c.expirySet = true;
        }
      }
    } catch {
      for (const [c, flushed] of batch) retry(c, flushed);
    }
    if (dirty.length && !timer) {
      timer = setTimeout(() => void flush(), flushMs);
      timer.unref();
    }
  };

  return {
    /** Counts one request of `key` in the current window of `timeWindow` ms; never waits. */
    hit(key: string, timeWindow: number): RateLimitCount {
      const t = now();
      const windowStart = t - (t % timeWindow);
      const id = `${key}:${windowStart}`;
      let c = counts.get(id);
      if (!c) {
        c = {
          synced: 0,
          pending: 0,
          flushing: 0,
          expirySet: false,
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
      return { current: c.synced + c.flushing + c.pending, ttl: c.windowEnd - t };
    },
  };
}
