import { createRedis, type Redis } from '@rt/queue';
import { redisTestPrefix, testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedRedisStore } from '../src/plugins/rate-limit-store.js';

const MINUTE = 60_000;
const settle = () => new Promise((r) => setTimeout(r, 150)); // > a few flush intervals (20 ms)

describe('batched rate-limit counts in Redis', () => {
  let redis: Redis;
  let other: Redis;
  const prefix = `${redisTestPrefix('rl')}rl:`;
  // A fixed clock in the middle of a window, so no test straddles a window boundary.
  const now = () => 1_800_000_030_000;

  beforeAll(() => {
    redis = createRedis(testRedisUrl());
    other = createRedis(testRedisUrl());
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await other.quit();
  });

  it('shares every key’s count between instances, thousands of keys in one call per flush', async () => {
    const a = batchedRedisStore({ redis, prefix, flushMs: 20, now });
    const b = batchedRedisStore({ redis: other, prefix, flushMs: 20, now });
    const keys = Array.from({ length: 5000 }, (_, i) => `tenant-${i}`);
    const commands = countCommands(redis);
    for (const key of keys) expect(a.hit(key, MINUTE).current).toBe(1);
    await settle();
    // Instance b learns the region-wide count with its own first flush.
    for (const key of keys) b.hit(key, MINUTE);
    await settle();
    for (const key of keys) expect(b.hit(key, MINUTE).current).toBe(3);
    // b's flush of 5 000 keys reaches Redis before a's next one (on a busy machine a's single
    // key could otherwise overtake it, and a would learn the count without b's increments).
    await settle();
    expect(a.hit('tenant-0', MINUTE).current).toBe(2); // a has not flushed since b counted
    await settle();
    expect(a.hit('tenant-0', MINUTE).current).toBe(5);
    // 5 000 keys flushed a few times: a handful of commands on a's connection, not one per key.
    expect(commands()).toBeLessThan(20);
    const window = `${prefix}${now() - (now() % MINUTE)}:${MINUTE}`;
    expect(Number(await redis.hget(window, 'tenant-42'))).toBe(3);
    const ttl = await redis.pttl(window);
    expect(ttl).toBeGreaterThan(MINUTE);
    expect(ttl).toBeLessThanOrEqual(2 * MINUTE);
  });

  it('counts each window and each window length apart, as time moves on', async () => {
    let t = 1_800_000_030_000;
    const store = batchedRedisStore({ redis, prefix, flushMs: 20, now: () => t });
    expect(store.hit('moving', MINUTE)).toEqual({ current: 1, ttl: 30_000 });
    expect(store.hit('moving', MINUTE).current).toBe(2);
    expect(store.hit('moving', 1000)).toEqual({ current: 1, ttl: 1000 }); // another length
    expect(store.hit('moving', MINUTE).current).toBe(3);
    await settle();
    t += MINUTE; // the next window: counted from zero, into its own hash
    expect(store.hit('moving', MINUTE)).toEqual({ current: 1, ttl: 30_000 });
    expect(store.hit('moving', 1000).current).toBe(1);
    await settle();
    const start = (at: number) => at - (at % MINUTE);
    expect(Number(await redis.hget(`${prefix}${start(t - MINUTE)}:${MINUTE}`, 'moving'))).toBe(3);
    expect(Number(await redis.hget(`${prefix}${start(t)}:${MINUTE}`, 'moving'))).toBe(1);
  });

  it('keeps one count per key across windows: a reply about an ended window never counts in the next', async () => {
    let t = 1_800_000_030_000;
    const slow = createRedis(testRedisUrl());
    const store = batchedRedisStore({ redis: slow, prefix, flushMs: 20, now: () => t });
    // The flush's reply is held back until the next window has begun.
    type Flush = (key: string, ...args: Array<string | number>) => Promise<number[]>;
    const target = slow as unknown as { rtRateLimitFlush: Flush };
    const real = target.rtRateLimitFlush.bind(slow);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let sent = 0;
    target.rtRateLimitFlush = async (...args) => {
      sent++;
      const reply = real(...args);
      await gate;
      return reply;
    };
    for (let i = 1; i <= 5; i++) expect(store.hit('late', MINUTE).current).toBe(i);
    await settle(); // the flush of the 5 is in flight
    expect(sent).toBe(1);
    t += MINUTE;
    expect(store.hit('late', MINUTE)).toEqual({ current: 1, ttl: 30_000 });
    release();
    await settle();
    expect(store.hit('late', MINUTE).current).toBe(2); // not 5 + 2
    await settle();
    const start = (at: number) => at - (at % MINUTE);
    expect(Number(await redis.hget(`${prefix}${start(t - MINUTE)}:${MINUTE}`, 'late'))).toBe(5);
    expect(Number(await redis.hget(`${prefix}${start(t)}:${MINUTE}`, 'late'))).toBe(2);
    // Counted but not yet sent when the window ends: dropped with it, never added to the next.
    store.hit('late', MINUTE);
    t += MINUTE;
    expect(store.hit('late', MINUTE).current).toBe(1);
    // A clock that steps back counts on in the latest window, never in an ended one.
    t -= MINUTE;
    expect(store.hit('late', MINUTE).current).toBe(2);
    t += MINUTE;
    await settle();
    expect(Number(await redis.hget(`${prefix}${start(t - MINUTE)}:${MINUTE}`, 'late'))).toBe(2);
    expect(Number(await redis.hget(`${prefix}${start(t)}:${MINUTE}`, 'late'))).toBe(2);
    await slow.quit();
  });

  it('forgets a key seen in neither the current nor the previous window', async () => {
    let t = 1_800_000_030_000;
    const store = batchedRedisStore({ redis, prefix, flushMs: 20, now: () => t });
    for (let i = 0; i < 1000; i++) store.hit(`idle-${i}`, MINUTE);
    store.hit('busy', MINUTE);
    expect(store.size).toBe(1001);
    await settle();
    t += MINUTE;
    store.hit('busy', MINUTE);
    await settle();
    expect(store.size).toBe(1001); // the previous window's keys are still counted
    t += MINUTE;
    store.hit('busy', MINUTE);
    await settle();
    expect(store.size).toBe(1);
    expect(store.hit('idle-7', MINUTE).current).toBe(1);
    expect(store.hit('busy', MINUTE).current).toBe(2); // this window's second
  });

  it('keeps counting locally while Redis is unreachable and catches up after', async () => {
    const broken = createRedis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    broken.on('error', () => undefined);
    const store = batchedRedisStore({ redis: broken, prefix, flushMs: 20, now });
    for (let i = 1; i <= 3; i++) expect(store.hit('offline', MINUTE).current).toBe(i);
    await settle();
    expect(store.hit('offline', MINUTE).current).toBe(4);
    broken.disconnect();
  });
});

/** Counts the commands sent on a real connection from now on. */
function countCommands(redis: Redis): () => number {
  let count = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<Redis['sendCommand']>) => {
    count++;
    return send(...args);
  }) as Redis['sendCommand'];
  return () => count;
}
