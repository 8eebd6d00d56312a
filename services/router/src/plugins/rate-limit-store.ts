import type { Redis } from '@rt/queue';

/** A key's count in its current window, this request included. */
export interface RateLimitCount {
  current: number;
  /** Milliseconds until the window ends. */
  ttl: number;
}

/**
 * One key's count, kept from window to window: a new window resets it in place (its first hit
 * there), so 100 000 tenants do not mean 100 000 new counts — old garbage for the GC — a minute.
 */
interface KeyCount {
  /** The key, also its field in the window's hash. */
  readonly key: string;
  readonly lane: Lane;
  /** Start (ms) of the window this count is of. */
  windowStart: number;
  /** Count in Redis as of the last flush (all router instances of the region). */
  synced: number;
  /** Local increments not yet flushed. */
  pending: number;
  /** Increments sent to Redis whose reply has not come yet (still counted meanwhile). */
  flushing: number;
  /** In the list of counts the next flush sends. */
  queued: boolean;
}

/** The counts of one window length, by key. */
interface Lane {
  length: number;
  /** Start of the latest window a hit fell in. */
  start: number;
  /** The start the last sweep ran for. */
  swept: number;
  counts: Map<string, KeyCount>;
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

/** The counts of one flush that go to one window's hash. */
interface FlushGroup {
  lane: Lane;
  windowStart: number;
  counts: KeyCount[];
  sent: number[];
}

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
 *
 * Each key keeps one count across windows, reset by its first hit in a new window: increments of
 * an ended window not yet sent are dropped with it (an ended window limits nothing any more), and
 * a reply about an ended window never counts in the next. A key seen in neither the current nor
 * the previous window is forgotten (one sweep per window, in the flush timer).
 */
export function batchedRedisStore(options: BatchedStoreOptions) {
  const flushMs = options.flushMs ?? 50;
  const now = options.now ?? Date.now;
  const redis = options.redis as FlushingRedis;
  if (!redis.rtRateLimitFlush)
    redis.defineCommand('rtRateLimitFlush', { numberOfKeys: 1, lua: FLUSH_SCRIPT });
  /** Counts by window length (one length in practice). */
  const lanes = new Map<number, Lane>();
  /** The lane of the last hit. */
  let last: Lane | undefined;
  /** Counts with increments not yet flushed: a flush touches only these. */
  let dirty: KeyCount[] = [];
  let timer: NodeJS.Timeout | undefined;

  /**
   * Forgets the keys seen in neither the current nor the previous window of each lane, once per
   * window (a lane's `swept` lags its `start` until then).
   */
  const sweep = () => {
    for (const lane of lanes.values()) {
      if (lane.swept === lane.start) continue;
      lane.swept = lane.start;
      const oldest = lane.start - lane.length;
      for (const [key, c] of lane.counts) if (c.windowStart < oldest) lane.counts.delete(key);
    }
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => void flush(), flushMs);
    timer.unref();
  };

  const queue = (c: KeyCount) => {
    if (c.queued) return;
    c.queued = true;
    dirty.push(c);
  };

  const send = async ({ lane, windowStart, counts, sent }: FlushGroup) => {
    const args: Array<string | number> = [lane.length * 2];
    for (let i = 0; i < counts.length; i++) args.push(counts[i]!.key, sent[i]!);
    let values: number[] | undefined;
    try {
      values = await redis.rtRateLimitFlush!(`${options.prefix}${windowStart}:${lane.length}`, ...args);
    } catch {}
    const ended = windowStart + lane.length <= now();
    counts.forEach((c, i) => {
      // Reset since (a new window): the reply is about an ended window. Windows only move on
      // (see `hit`), so the same start means the same window.
      if (c.windowStart !== windowStart) return;
      c.flushing -= sent[i]!;
      if (values) {
        c.synced = Math.max(c.synced, Number(values[i]));
      } else if (!ended) {
        // Sent again with the next flush; an ended window's are dropped (it limits nothing).
        c.pending += sent[i]!;
        queue(c);
      }
    });
  };

  const flush = async () => {
    timer = undefined;
    sweep();
    if (!dirty.length) return;
    const batch = dirty;
    dirty = [];
    const groups: FlushGroup[] = [];
    for (const c of batch) {
      c.queued = false;
      if (!c.pending) continue;
      const lane = c.lane;
      let group = groups.find((g) => g.windowStart === c.windowStart && g.lane === lane);
      if (!group) {
        group = { lane, windowStart: c.windowStart, counts: [], sent: [] };
        groups.push(group);
      }
      group.counts.push(c);
      group.sent.push(c.pending);
      c.flushing += c.pending;
      c.pending = 0;
    }
    await Promise.all(groups.map(send));
    if (dirty.length) schedule();
  };

  return {
    /** Counts one request of `key` in the current window of `timeWindow` ms; never waits. */
    hit(key: string, timeWindow: number): RateLimitCount {
      const t = now();
      let windowStart = t - (t % timeWindow);
      let lane = last;
      if (lane?.length !== timeWindow) {
        lane = lanes.get(timeWindow);
        if (!lane) {
          lane = { length: timeWindow, start: windowStart, swept: windowStart, counts: new Map() };
          lanes.set(timeWindow, lane);
        }
        last = lane;
      }
      if (windowStart > lane.start) {
        lane.start = windowStart;
      } else if (windowStart < lane.start) {
        // A clock that stepped back counts on in the latest window: a key's window never goes
        // back, so a late reply about a window is never taken for the current one.
        windowStart = lane.start;
      }
      let c = lane.counts.get(key);
      if (!c) {
        c = { key, lane, windowStart, synced: 0, pending: 0, flushing: 0, queued: false };
        lane.counts.set(key, c);
      } else if (c.windowStart !== windowStart) {
        c.windowStart = windowStart;
        c.synced = 0;
        c.pending = 0;
        c.flushing = 0;
      }
      c.pending++;
      queue(c);
      schedule();
      return { current: c.synced + c.flushing + c.pending, ttl: Math.max(0, windowStart + timeWindow - t) };
    },
    /** Keys counted in memory (seen in the current or the previous window, or not swept yet). */
    get size(): number {
      let n = 0;
      for (const lane of lanes.values()) n += lane.counts.size;
      return n;
    },
  };
}
