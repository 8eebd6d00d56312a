import { redisTestPrefix, testRedisUrl } from '@rt/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DocumentChangedNotice,
  parseDocumentChanged,
  publishDocumentChanged,
  publishTenantChanged,
  subscribeTenantBus,
} from '../src/index.js';

/** Resolves once `check` holds, polling the event loop (bounded; no timing is asserted). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('tenant bus', () => {
  const publisher = new Redis(testRedisUrl());
  const subscriber = new Redis(testRedisUrl());
  afterAll(() => {
    publisher.disconnect();
    subscriber.disconnect();
  });

  it('delivers tenant-changed and document-changed notices of its prefix only', async () => {
    const prefix = redisTestPrefix('bus');
    const tenants: string[] = [];
    const documents: DocumentChangedNotice[] = [];
    const subscription = await subscribeTenantBus(
      subscriber,
      { tenantChanged: (id) => tenants.push(id), documentChanged: (n) => documents.push(n) },
      prefix,
    );
    expect(subscription.live).toBe(true);
    await publishTenantChanged(publisher, 'other-prefix-tenant', redisTestPrefix('elsewhere'));
    expect(await publishTenantChanged(publisher, 'tenant-1', prefix)).toBe(1);
    expect(await publishDocumentChanged(publisher, { tenantId: 'tenant-2', kind: 'layout' }, prefix)).toBe(1);
    await until(() => documents.length === 1);
    expect(tenants).toEqual(['tenant-1']);
    expect(documents).toEqual([{ tenantId: 'tenant-2', kind: 'layout' }]);
    // A notice of one document carries its id.
    await publishDocumentChanged(publisher, { tenantId: 'tenant-2', kind: 'layout', id: 'doc-1' }, prefix);
    await until(() => documents.length === 2);
    expect(documents[1]).toEqual({ tenantId: 'tenant-2', kind: 'layout', id: 'doc-1' });
    await subscription.close();
    expect(subscription.live).toBe(false);
  });

  it('reports a lost connection at once and comes back live after re-subscribing', async () => {
    const prefix = redisTestPrefix('bus');
    const own = new Redis(testRedisUrl());
    const clientId = String(await own.call('CLIENT', 'ID'));
    const changes: boolean[] = [];
    const tenants: string[] = [];
    const subscription = await subscribeTenantBus(
      own,
      { liveness: (live) => changes.push(live), tenantChanged: (id) => tenants.push(id) },
      prefix,
    );
    // Drop the connection from the server side, as a failover or a network cut would.
    expect(await publisher.call('CLIENT', 'KILL', 'ID', clientId)).toBe(1);
    await until(() => changes.includes(false));
    await until(() => changes.at(-1) === true);
    expect(changes).toEqual([true, false, true]);
    await publishTenantChanged(publisher, 'after-reconnect', prefix);
    await until(() => tenants.length === 1);
    await subscription.close();
    own.disconnect();
  });

  it('ignores malformed document-changed messages', () => {
    expect(parseDocumentChanged('not json')).toBeNull();
    expect(parseDocumentChanged('{"t":1,"k":"layout"}')).toBeNull();
    expect(parseDocumentChanged('{"t":"a","k":"theme"}')).toEqual({ tenantId: 'a', kind: 'theme' });
    expect(parseDocumentChanged('{"t":"a","k":"layout","d":"x1"}')).toEqual({
      tenantId: 'a',
      kind: 'layout',
      id: 'x1',
    });
    // An id that is not one makes the notice kind-wide, never dropped.
    for (const d of ['1', '""', '{}', JSON.stringify('x'.repeat(65))])
      expect(parseDocumentChanged(`{"t":"a","k":"layout","d":${d}}`)).toEqual({
        tenantId: 'a',
        kind: 'layout',
      });
  });
});
