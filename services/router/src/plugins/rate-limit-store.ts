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
  windowEnd: number;
  /** The key's field in its window's hash. */
  field: string;
  /** The window's hash in Redis (one per window and length, shared by every key). */
  windowKey: string;
  timeWindow: number;
}

/** One fixed window of one length: its Redis hash and its counts by key. */
interface Window {
  start: number;
  length: number;
  redisKey: string;
  counts: Map<string, WindowCount>;
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
 * Adds each field's increment to the window's hash and returns the new counts, in one call per
 * window: `KEYS[1]` the window's hash, `ARGV[1]` its expiry (ms), then field/increment pairs.
 * The hash outlives its window by one more window, then Redis drops it.
 */
const FLUSH_SCRIPT = `
local out = {}
for i = 2, #ARGV, 2 do
  out[#out + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return out`;

type FlushingRedis = Redis & {
  rtRateLimitFlush?: (key: string, ...args: Array<string | number>) => Promise<number[]>;
};

/**
 * Counts per key in fixed windows in Redis — shared by every router instance of the region —
 * without a Redis round trip per request: increments are counted in memory and added to Redis
 * every `flushMs`, all keys of a window in ONE script call (`HINCRBY` per key into the window's
 * hash, inside Redis), so the cost of a flush in this process does not grow with the number of
 * tenants seen (100 000 active tenants would otherwise mean a command, a promise and a parsed
 * reply per tenant and flush). The reply updates this instance's view of the region-wide count.
 * A limit can thus be overshot by at most what the other instances admitted within one flush
 * interval — an acceptable price for taking Redis off the hot path. Redis errors keep the local
 * counts (retried on the next flush) and never block requests.
 */
export function batchedRedisStore(options: BatchedStoreOptions) {
  const flushMs = options.flushMs ?? 50;
  const now = options.now ?? Date.now;
  const redis = options.redis as FlushingRedis;
  if (!redis.rtRateLimitFlush)
    redis.defineCommand('rtRateLimitFlush', { numberOfKeys: 1, lua: FLUSH_SCRIPT });
  /** Windows by `start:length`: their Redis hash and their counts by key. */
  const windows = new Map<string, Window>();
  /** The window of the last hit: nearly every hit is in the same one. */
  let last: Window | undefined;
  /** Counts with increments not yet flushed: a flush touches only these. */
  let dirty: WindowCount[] = [];
  let timer: NodeJS.Timeout | undefined;

  /** Ended windows with nothing in flight are dropped whole (no walk over their keys). */
  const sweep = (t: number) => {
    for (const [id, { counts }] of windows) {
      const first = counts.values().next().value;
      if (!first || first.windowEnd >= t) continue;
      let busy = false;
      for (const c of counts.values()) {
        if (c.pending || c.flushing) {
          busy = true;
          break;
        }
      }
      if (!busy) {
        windows.delete(id);
        if (last?.counts === counts) last = undefined;
      }
    }
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => void flush(), flushMs);
    timer.unref();
  };

  const flush = async () => {
    timer = undefined;
    sweep(now());
    if (!dirty.length) return;
    const batch = dirty;
    dirty = [];
    const byWindow = new Map<string, WindowCount[]>();
    for (const c of batch) {
      const group = byWindow.get(c.windowKey);
      if (group) group.push(c);
      else byWindow.set(c.windowKey, [c]);
    }
    await Promise.all(
      [...byWindow].map(async ([windowKey, counts]) => {
        const args: Array<string | number> = [counts[0]!.timeWindow * 2];
        const flushed: number[] = [];
        for (const c of counts) {
          args.push(c.field, c.pending);
          flushed.push(c.pending);
          c.flushing += c.pending;
          c.pending = 0;
        }
        try {
          const values = await redis.rtRateLimitFlush!(windowKey, ...args);
          counts.forEach((c, i) => {
            c.flushing -= flushed[i]!;
            c.synced = Math.max(c.synced, Number(values[i]));
          });
        } catch {
          counts.forEach((c, i) => {
            c.flushing -= flushed[i]!;
            if (c.pending === 0) dirty.push(c);
            c.pending += flushed[i]!;
          });
        }
      }),
    );
    if (dirty.length) schedule();
  };

  return {
    /** Counts one request of `key` in the current window of `timeWindow` ms; never waits. */
    hit(key: string, timeWindow: number): RateLimitCount {
      const t = now();
      const windowStart = t - (t % timeWindow);
      let window = last;
      if (!window || window.start !== windowStart || window.length !== timeWindow) {
        // A new window (or another length): looked up by id, not on every request.
        const windowId = `${windowStart}:${timeWindow}`;
        window = windows.get(windowId);
        if (!window) {
          window = {
            start: windowStart,
            length: timeWindow,
            redisKey: `${options.prefix}${windowId}`,
            counts: new Map(),
          };
          windows.set(windowId, window);
        }
        last = window;
      }
      let c = window.counts.get(key);
      if (!c) {
        c = {
          synced: 0,
          pending: 0,
          flushing: 0,
          windowEnd: windowStart + timeWindow,
          field: key,
          windowKey: window.redisKey,
          timeWindow,
        };
        window.counts.set(key, c);
      }
      if (c.pending++ === 0) dirty.push(c);
      schedule();
      return { current: c.synced + c.flushing + c.pending, ttl: c.windowEnd - t };
    },
  };
}
