import { redisTestPrefix, testRedisUrl } from '@rt/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { publishTenantChanged, publishTenantChangedToRegions, tenantChangedChannel } from '../src/index.js';

describe('publishTenantChanged', () => {
  const publisher = new Redis(testRedisUrl());
  const subscriber = new Redis(testRedisUrl());
  afterAll(() => {
    publisher.disconnect();
    subscriber.disconnect();
  });

  it('delivers the tenant id on the prefixed channel only', async () => {
    const prefix = redisTestPrefix('dir');
    await subscriber.subscribe(tenantChangedChannel(prefix));
    const received = new Promise<[string, string]>((resolve) =>
      subscriber.once('message', (channel: string, message: string) => resolve([channel, message])),
    );
    expect(await publishTenantChanged(publisher, 'tenant-1', prefix)).toBe(1);
    expect(await received).toEqual([`${prefix}:rt:directory:tenant-changed`, 'tenant-1']);
  });

  it('publishes once per region Redis and counts an unreachable one instead of throwing', async () => {
    const prefix = redisTestPrefix('dir-regions');
    const channel = tenantChangedChannel(prefix);
    const other = new Redis(testRedisUrl());
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined); // refused on purpose
    await subscriber.subscribe(channel);
    const messages: string[] = [];
    const onMessage = (ch: string, message: string) => {
      if (ch === channel) messages.push(message);
    };
    subscriber.on('message', onMessage);
    try {
      // The same connection given twice is published on once.
      const result = await publishTenantChangedToRegions(
        [publisher, other, publisher, down],
        'tenant-2',
        prefix,
      );
      expect(result).toEqual({ published: 2, failed: 1 });
      const marker = new Promise<void>((resolve) =>
        subscriber.on('message', (ch: string, m: string) => ch === channel && m === 'end' && resolve()),
      );
      await publishTenantChanged(publisher, 'end', prefix);
      await marker;
      expect(messages.filter((m) => m === 'tenant-2')).toHaveLength(2);
    } finally {
      subscriber.off('message', onMessage);
      other.disconnect();
      down.disconnect();
    }
  });
});
