import { redisTestPrefix, testRedisUrl } from '@rt/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { publishTenantChanged, tenantChangedChannel } from '../src/index.js';

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
});
