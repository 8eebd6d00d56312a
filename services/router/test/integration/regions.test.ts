import { randomUUID } from 'node:crypto';
import { isApiError } from '@rt/contracts';
import { exampleLayoutContent } from '@rt/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack, type Tenant, USERS } from './stack.js';

/**
 * Regions end to end: one tenant read through either router, a home-region flip announced on
 * the tenant-changed channel, and the typed client's behaviour while the tenant is frozen or moving.
 */

let stack: Stack;
let acme: Tenant;
let layoutId: string;

const layout = (name: string) => ({ name, scope: 'site', content: exampleLayoutContent() });

beforeAll(async () => {
  stack = await startStack('e2ereg');
  acme = await stack.tenant('acme-regions');
  const created = await acme
    .client(USERS.siteAdmin)
    .POST('/api/v1/layouts', { body: layout('EU home') as never });
  layoutId = created.data!.id;
});
afterAll(async () => {
  await stack?.close();
});

/** Changes the tenant row, publishes tenant-changed and waits until both routers dropped their copy. */
async function setTenant(data: { homeRegion?: 'EU' | 'US'; frozenByMigration?: string | null }) {
  const routers = [stack.regions.EU.router, stack.regions.US.router];
  const before = routers.map((r) => r.tenantDirectory.stats.invalidations);
  await stack.directory.tenant.update({ where: { id: acme.id }, data });
  await stack.tenantChanged(acme.id);
  // Pub/sub is asynchronous: no request may be made before every router has heard of it.
  await eventually(async () => {
    routers.forEach((r, i) => {
      expect(r.tenantDirectory.stats.invalidations).toBeGreaterThan(before[i]!);
    });
  });
}

describe('one tenant, two routers', () => {
  it('the US router serves an EU tenant exactly as the EU router does', async () => {
    const paths = [
      `/api/v1/layouts/${layoutId}`,
      '/api/v1/layouts?limit=10',
      '/api/v1/settings',
      '/api/v1/export',
    ];
    for (const path of paths) {
      const eu = await acme.fetch(USERS.plain, path, {}, 'EU');
      const us = await acme.fetch(USERS.plain, path, {}, 'US');
      // The export is stamped with its own time; everything else must be identical.
      const stable = async (res: Response) => (await res.text()).replace(/"exportedAt":"[^"]+"/, '');
      expect([us.status, await stable(us)]).toEqual([eu.status, await stable(eu)]);
      expect(eu.status).toBe(200);
    }
    // The US router forwarded to the EU router; no US service saw the tenant.
    expect(stack.regions.US.router.accessLog.entries.length).toBeGreaterThan(0);
    const usRows = await stack.regions.US.pool.query('SELECT count(*)::int AS n FROM layouts');
    expect(usRows.rows[0].n).toBe(0);
  });

  it('after homeRegion flips and tenant-changed is published, the next request is served by the new home', async () => {
    // The US copy of the data (what a migration would have copied), with a telling name.
    await stack.regions.US.pool.query(
      `INSERT INTO layouts (id, tenant_id, name, scope, content) VALUES ($1, $2, 'US copy', 'site', $3)`,
      [layoutId, acme.id, JSON.stringify(exampleLayoutContent())],
    );
    const path = `/api/v1/layouts/${layoutId}`;
    // Both routers have the tenant cached with home EU.
    for (const r of ['EU', 'US'] as const)
      expect(await (await acme.fetch(USERS.plain, path, {}, r)).json()).toMatchObject({ name: 'EU home' });
    try {
      await setTenant({ homeRegion: 'US' });
      for (const r of ['EU', 'US'] as const) {
        const body = await (await acme.fetch(USERS.plain, path, {}, r)).json();
        expect(body).toMatchObject({ name: 'US copy' });
      }
    } finally {
      await setTenant({ homeRegion: 'EU' });
      await stack.regions.US.pool.query('DELETE FROM layouts WHERE tenant_id = $1', [acme.id]);
    }
  });
});

describe('the typed client while the tenant is frozen or moving', () => {
  it('reads go on while frozen; a write fails once with ApiError TENANT_MIGRATING (no retry)', async () => {
    const calls: string[] = [];
    const sleeps: number[] = [];
    const api = acme.client(USERS.siteAdmin, 'EU', {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await setTenant({ frozenByMigration: randomUUID() });
    try {
      await eventually(async () => {
        const err = await api
          .PUT('/api/v1/layouts/{id}', {
            params: { path: { id: layoutId }, header: { 'if-match': '*' } },
            body: layout('during freeze') as never,
          })
          .catch((e) => e);
        expect(isApiError(err) && [err.status, err.code]).toEqual([503, 'TENANT_MIGRATING']);
      });
      calls.push('frozen');
      const read = await api.GET('/api/v1/layouts/{id}', { params: { path: { id: layoutId } } });
      expect(read.data).toMatchObject({ name: 'EU home' });
      expect(sleeps).toEqual([]);
    } finally {
      await setTenant({ frozenByMigration: null });
    }
    expect(calls).toEqual(['frozen']);
    const rows = await stack.regions.EU.pool.query('SELECT name FROM layouts WHERE id = $1', [layoutId]);
    expect(rows.rows[0].name).toBe('EU home');
  });

  it('a read that reaches the region the tenant has just left goes on to its home, with no retry', async () => {
    const path = `/api/v1/layouts/${layoutId}`;
    // The EU router holds the tenant as homed in US while the directory says EU (it missed the
    // tenant-changed message; the US router did not): the US router passes the forwarded read
    // back to EU as a second hop, and EU, re-reading the directory, serves it.
    await setTenant({ homeRegion: 'US' });
    expect((await acme.fetch(USERS.plain, path, {}, 'EU')).status).toBe(404); // no US copy
    await stack.directory.tenant.update({ where: { id: acme.id }, data: { homeRegion: 'EU' } });
    stack.regions.US.router.tenantDirectory.invalidate(acme.id);
    const usSeen = stack.regions.US.router.accessLog.entries.length;
    const sleeps: number[] = [];
    const api = acme.client(USERS.plain, 'EU', { attempts: 4, sleep: async (ms) => void sleeps.push(ms) });
    const read = await api.GET('/api/v1/layouts/{id}', { params: { path: { id: layoutId } } });
    expect(read.data).toMatchObject({ name: 'EU home' });
    expect(sleeps).toEqual([]);
    // It did travel: EU → US (first hop) → EU (second hop).
    expect(stack.regions.US.router.accessLog.entries.length).toBe(usSeen + 1);
    await setTenant({});
  });
});
