import { randomUUID } from 'node:crypto';
import type { WriteRequest } from '@rt/auth';
import { createPgPool, createRegionalClient, type PgPool } from '@rt/db';
import { exampleLayoutContent, REVISIONS_KEPT } from '@rt/documents';
import { Forbidden, type ServiceApp } from '@rt/http';
import { createTestDatabase, internalToken, type TestDatabase } from '@rt/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

const secret = 's'.repeat(40);
const tenantA = randomUUID();
const tenantB = randomUUID();
let database: TestDatabase;
let app: ServiceApp;
let pool: PgPool;
let close: () => Promise<void>;
/** Permission checks the app asked for; a scope listed in `refused` is refused. */
const authorizations: WriteRequest[] = [];
const refused = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase('regional', 'layouts');
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  pool = createPgPool({ url: database.url, poolSize: 6 });
  app = await buildApp({
    internalTokenSecret: secret,
    db,
    pool,
    logLevel: 'silent',
    authorize: async (_request, what) => {
      authorizations.push(what);
      if (refused.has(what.scope)) throw new Forbidden('NOT_PERMITTED', 'not permitted');
    },
  });
  close = async () => {
    await app.close();
    await db.$disconnect();
    await pool.end();
  };
});

afterAll(async () => {
  await close?.();
  await database?.drop();
});

/** A request as the router sends it: with an internal token for `tenant`. */
function call(tenant: string, options: InjectOptions): Promise<LightMyRequestResponse> {
  return app.inject({
    ...options,
    headers: { authorization: `Bearer ${internalToken(secret, tenant)}`, ...options.headers },
  });
}

async function addAsset(tenant: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO assets (tenant_id, sha256, media_type, size) VALUES ($1, $2, 'image/png', 10) RETURNING id`,
    [tenant, randomUUID().replaceAll('-', '').repeat(2)],
  );
  return rows[0]?.id as string;
}

async function createLayout(tenant: string, overrides: Record<string, unknown> = {}) {
  const res = await call(tenant, {
    method: 'POST',
    url: '/api/v1/layouts',
    payload: { name: 'Home', scope: 'site', content: exampleLayoutContent(), ...overrides },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; name: string; scope: string };
}

const referencesOf = async (documentId: string) =>
  (
    await pool.query<{ asset_id: string; tenant_id: string }>(
      `SELECT asset_id, tenant_id FROM asset_references WHERE document_type = 'layout' AND document_id = $1 ORDER BY asset_id`,
      [documentId],
    )
  ).rows;

describe('layouts: create, read, list', () => {
  it('creates version 1 with an ETag and a Location, and reads it back', async () => {
    const content = exampleLayoutContent();
    const res = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'Intranet home', scope: 'space:ENG', content },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const created = res.json();
    expect(res.headers.location).toBe(`/api/v1/layouts/${created.id}`);
    expect(created).toMatchObject({
      name: 'Intranet home',
      scope: 'space:ENG',
      version: 1,
      schemaVersion: 1,
      content,
    });

    const got = await call(tenantA, { method: 'GET', url: `/api/v1/layouts/${created.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.json()).toEqual(created);
  });

  it('lists with cursor pagination and a scope filter, without duplicates or gaps', async () => {
    const tenant = randomUUID();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createLayout(tenant, { name: `L${i}` })).id);
    await createLayout(tenant, { scope: 'space:DOCS' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/layouts?scope=site&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await call(tenant, { method: 'GET', url });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: { id: string; scope: string }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) expect(item.scope).toBe('site');
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(pages).toBe(3);

    const all = await call(tenant, { method: 'GET', url: '/api/v1/layouts' });
    expect(all.json().items).toHaveLength(6);
    expect(all.json().items[0]).not.toHaveProperty('content');
    const withJwt = await call(tenant, { method: 'GET', url: '/api/v1/layouts?jwt=x.y.z&lic=none' });
    expect(withJwt.json().items).toHaveLength(6);
    for (const bad of ['limit=0', 'limit=101', 'limit=x', 'scope=global', 'cursor=abc']) {
      const res = await call(tenant, { method: 'GET', url: `/api/v1/layouts?${bad}` });
      expect(res.statusCode, bad).toBe(400);
    }
  });
});

describe('layouts: optimistic concurrency', () => {
  it('requires If-Match on PUT and DELETE (428), refuses a stale one (412), accepts the current one', async () => {
    const { id } = await createLayout(tenantA);
    const url = `/api/v1/layouts/${id}`;
    const payload = { name: 'Renamed', scope: 'site', content: exampleLayoutContent() };

    const missing = await call(tenantA, { method: 'PUT', url, payload });
    expect(missing.statusCode).toBe(428);
    expect(missing.json().code).toBe('IF_MATCH_REQUIRED');
    expect((await call(tenantA, { method: 'DELETE', url })).statusCode).toBe(428);

    const stale = await call(tenantA, { method: 'PUT', url, payload, headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'VERSION_MISMATCH', details: { currentVersion: 1 } });

    const garbage = await call(tenantA, {
      method: 'PUT',
      url,
      payload,
      headers: { 'if-match': 'version 1' },
    });
    expect(garbage.statusCode).toBe(400);

    const ok = await call(tenantA, { method: 'PUT', url, payload, headers: { 'if-match': '"1"' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ name: 'Renamed', version: 2 });

    expect((await call(tenantA, { method: 'DELETE', url, headers: { 'if-match': '"1"' } })).statusCode).toBe(
      412,
    );
    expect((await call(tenantA, { method: 'DELETE', url, headers: { 'if-match': '"2"' } })).statusCode).toBe(
      204,
    );
    expect((await call(tenantA, { method: 'GET', url })).statusCode).toBe(404);
    expect((await call(tenantA, { method: 'GET', url: `${url}/revisions` })).statusCode).toBe(404);
  });

  it('lets exactly one of several concurrent writers of the same version win', async () => {
    const { id } = await createLayout(tenantA);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(tenantA, {
          method: 'PUT',
          url: `/api/v1/layouts/${id}`,
          headers: { 'if-match': '"1"' },
          payload: { name: `writer ${i}`, scope: 'site', content: exampleLayoutContent() },
        }),
      ),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412]);
    const got = await call(tenantA, { method: 'GET', url: `/api/v1/layouts/${id}` });
    expect(got.json().version).toBe(2);
  });
});

describe('layouts: validation', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'unknown block type',
      { content: { ...exampleLayoutContent(), blocks: [{ id: 'x', column: 1, type: 'iframe' }] } },
      'body/content/blocks/0',
    ],
    [
      'grid with 7 columns',
      { content: { ...exampleLayoutContent(), grid: { columns: 7, maxWidth: 'full' } } },
      'body/content/grid/columns',
    ],
    [
      'javascript: link',
      {
        content: {
          ...exampleLayoutContent(),
          footer: { links: [{ label: 'x', target: { type: 'url', url: 'javascript:alert(1)' } }] },
        },
      },
      'body/content/footer/links/0/target',
    ],
    [
      'future schema version',
      { content: { ...exampleLayoutContent(), schemaVersion: 2 } },
      'body/content/schemaVersion',
    ],
    ['name too long', { name: 'x'.repeat(121) }, 'body/name'],
    ['empty name', { name: '' }, 'body/name'],
    ['bad scope', { scope: 'space:' }, 'body/scope'],
    ['unknown property', { owner: 'someone@example.com' }, 'body'],
    ['missing content', { content: undefined }, 'body'],
  ];
  it.each(cases)('refuses %s with 400 and the failing path', async (_label, overrides, path) => {
    const res = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'Home', scope: 'site', content: exampleLayoutContent(), ...overrides },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().details[0].path).toBe(path);
  });

  it('refuses text Postgres cannot store with 400 and its path (not a 500)', async () => {
    const content = exampleLayoutContent();
    content.header.title = 'bad\u0000title';
    const res = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'x', scope: 'site', content },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'INVALID_TEXT',
      details: [{ path: 'body/content/header/title' }],
    });
  });

  it('refuses content over 256 KiB with 413, and bodies over the body limit too', async () => {
    const content = exampleLayoutContent();
    content.blocks = Array.from({ length: 6 }, (_, i) => ({
      id: `t${i}`,
      column: 1,
      type: 'rich-text' as const,
      body: 'x'.repeat(45_000),
    }));
    const res = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'big', scope: 'site', content },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('DOCUMENT_TOO_LARGE');

    const huge = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', scope: 'site', content: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(huge.statusCode).toBe(413);

    content.blocks = content.blocks.slice(0, 5); // 225 000 bytes of text: under the limit
    const fits = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'big', scope: 'site', content },
    });
    expect(fits.statusCode).toBe(201);
  });
});

describe('layouts: asset references', () => {
  it('accepts only assets of the same tenant and records the usages in the same transaction', async () => {
    const logo = await addAsset(tenantA);
    const hero = await addAsset(tenantA);
    const foreign = await addAsset(tenantB);
    const unknown = randomUUID();

    for (const bad of [unknown, foreign]) {
      const res = await call(tenantA, {
        method: 'POST',
        url: '/api/v1/layouts',
        payload: { name: 'x', scope: 'site', content: exampleLayoutContent({ logo, hero: bad }) },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'UNKNOWN_ASSET',
        details: [{ path: '/content/blocks/0/image', assetId: bad }],
      });
    }
    const { rows } = await pool.query(
      'SELECT count(*)::int AS n FROM layouts WHERE tenant_id = $1 AND name = $2',
      [tenantA, 'x'],
    );
    expect(rows[0].n).toBe(0);

    const created = await createLayout(tenantA, { content: exampleLayoutContent({ logo, hero }) });
    expect((await referencesOf(created.id)).map((r) => r.asset_id).sort()).toEqual([logo, hero].sort());
    expect((await referencesOf(created.id)).every((r) => r.tenant_id === tenantA)).toBe(true);

    const replaced = await call(tenantA, {
      method: 'PUT',
      url: `/api/v1/layouts/${created.id}`,
      headers: { 'if-match': '"1"' },
      payload: { name: 'Home', scope: 'site', content: exampleLayoutContent({ logo }) },
    });
    expect(replaced.statusCode).toBe(200);
    expect((await referencesOf(created.id)).map((r) => r.asset_id)).toEqual([logo]);

    // A referenced asset cannot be deleted (the asset service relies on this foreign key).
    await expect(pool.query('DELETE FROM assets WHERE id = $1', [logo])).rejects.toThrow(/foreign key/);

    await call(tenantA, {
      method: 'DELETE',
      url: `/api/v1/layouts/${created.id}`,
      headers: { 'if-match': '"2"' },
    });
    expect(await referencesOf(created.id)).toEqual([]);
  });
});

describe('layouts: revisions', () => {
  it(`keeps the last ${REVISIONS_KEPT} versions and restores one as a new version`, async () => {
    const { id } = await createLayout(tenantA, { name: 'v1' });
    const url = `/api/v1/layouts/${id}`;
    for (let v = 2; v <= 25; v++) {
      const res = await call(tenantA, {
        method: 'PUT',
        url,
        headers: { 'if-match': `"${v - 1}"` },
        payload: { name: `v${v}`, scope: 'site', content: exampleLayoutContent() },
      });
      expect(res.statusCode).toBe(200);
    }
    const revisions = await call(tenantA, { method: 'GET', url: `${url}/revisions` });
    expect(revisions.statusCode).toBe(200);
    const versions = revisions.json().items.map((r: { version: number }) => r.version);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
    expect(revisions.json().items[5]).toMatchObject({
      version: 20,
      name: 'v20',
      scope: 'site',
      schemaVersion: 1,
    });

    expect((await call(tenantA, { method: 'POST', url: `${url}/revisions/10/restore` })).statusCode).toBe(
      428,
    );
    expect(
      (
        await call(tenantA, {
          method: 'POST',
          url: `${url}/revisions/10/restore`,
          headers: { 'if-match': '"24"' },
        })
      ).statusCode,
    ).toBe(412);
    const pruned = await call(tenantA, {
      method: 'POST',
      url: `${url}/revisions/5/restore`,
      headers: { 'if-match': '"25"' },
    });
    expect(pruned.statusCode).toBe(404);
    expect(pruned.json().code).toBe('REVISION_NOT_FOUND');

    const restored = await call(tenantA, {
      method: 'POST',
      url: `${url}/revisions/10/restore`,
      headers: { 'if-match': '"25"' },
    });
    expect(restored.statusCode).toBe(200);
    expect(restored.headers.etag).toBe('"26"');
    expect(restored.json()).toMatchObject({ name: 'v10', version: 26 });
    const after = await call(tenantA, { method: 'GET', url: `${url}/revisions` });
    expect(after.json().items).toHaveLength(20);
    expect(after.json().items[0]).toMatchObject({ version: 26, name: 'v10' });
  });
  it('refuses with 409 to restore a revision whose image has been deleted since', async () => {
    const hero = await addAsset(tenantA);
    const { id } = await createLayout(tenantA, { content: exampleLayoutContent({ hero }) });
    const url = `/api/v1/layouts/${id}`;
    await call(tenantA, {
      method: 'PUT',
      url,
      headers: { 'if-match': '"1"' },
      payload: { name: 'no image', scope: 'site', content: exampleLayoutContent() },
    });
    // Version 2 no longer uses the image, so the asset service may delete it.
    await pool.query('DELETE FROM assets WHERE id = $1', [hero]);
    const res = await call(tenantA, {
      method: 'POST',
      url: `${url}/revisions/1/restore`,
      headers: { 'if-match': '"2"' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ASSET_MISSING', details: [{ assetId: hero }] });
  });
});

describe('layouts: permission seam (issue 10)', () => {
  it('asks before every write with the scopes involved, and a refusal writes nothing', async () => {
    const { id } = await createLayout(tenantA, { scope: 'space:OPEN' });
    authorizations.length = 0;
    refused.add('space:LOCKED');
    const move = await call(tenantA, {
      method: 'PUT',
      url: `/api/v1/layouts/${id}`,
      headers: { 'if-match': '"1"' },
      payload: { name: 'x', scope: 'space:LOCKED', content: exampleLayoutContent() },
    });
    expect(move.statusCode).toBe(403);
    expect(authorizations).toEqual([
      { action: 'update', resource: 'layout', scope: 'space:OPEN' },
      { action: 'update', resource: 'layout', scope: 'space:LOCKED' },
    ]);
    const create = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'x', scope: 'space:LOCKED', content: exampleLayoutContent() },
    });
    expect(create.statusCode).toBe(403);
    expect((await call(tenantA, { method: 'GET', url: `/api/v1/layouts/${id}` })).json().version).toBe(1);
    refused.clear();
  });
});

describe('export', () => {
  it("returns the tenant's layouts, themes, space themes and asset manifest — and nothing of others", async () => {
    const tenant = randomUUID();
    const logo = await addAsset(tenant);
    const layout = await createLayout(tenant, { content: exampleLayoutContent({ logo }) });
    await createLayout(tenantB);
    const res = await call(tenant, { method: 'GET', url: '/api/v1/export' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      format: 'refined-toolkit-export',
      formatVersion: 1,
      themes: [],
      spaceThemes: [],
    });
    expect(body.layouts).toHaveLength(1);
    expect(body.layouts[0]).toMatchObject({ id: layout.id, content: exampleLayoutContent({ logo }) });
    expect(body.assets).toEqual([expect.objectContaining({ id: logo, mediaType: 'image/png', size: 10 })]);
    expect(res.body).not.toContain(tenantB);
  });
});

describe('tenant isolation', () => {
  it("answers every route for another tenant's layout exactly like for a missing one (0 leaks)", async () => {
    const own = await createLayout(tenantA, { name: 'secret of A' });
    const missing = randomUUID();
    const body = { name: 'hijack', scope: 'site', content: exampleLayoutContent() };
    const routes = (id: string): InjectOptions[] => [
      { method: 'GET', url: `/api/v1/layouts/${id}` },
      { method: 'PUT', url: `/api/v1/layouts/${id}`, headers: { 'if-match': '"1"' }, payload: body },
      { method: 'PUT', url: `/api/v1/layouts/${id}`, headers: { 'if-match': '*' }, payload: body },
      { method: 'DELETE', url: `/api/v1/layouts/${id}`, headers: { 'if-match': '"1"' } },
      { method: 'GET', url: `/api/v1/layouts/${id}/revisions` },
      { method: 'POST', url: `/api/v1/layouts/${id}/revisions/1/restore`, headers: { 'if-match': '"1"' } },
    ];
    let leaks = 0;
    for (const [foreign, absent] of routes(own.id).map((r, i) => [r, routes(missing)[i]] as const)) {
      const a = await call(tenantB, foreign);
      const b = await call(tenantB, absent as InjectOptions);
      if (a.statusCode !== 404 || a.statusCode !== b.statusCode || a.json().code !== b.json().code) leaks++;
      if (a.body.includes('secret of A')) leaks++;
    }
    const list = await call(tenantB, { method: 'GET', url: '/api/v1/layouts?limit=100' });
    if (list.body.includes(own.id)) leaks++;
    const exported = await call(tenantB, { method: 'GET', url: '/api/v1/export' });
    if (exported.body.includes(own.id)) leaks++;
    expect(leaks).toBe(0);
    const still = await call(tenantA, { method: 'GET', url: `/api/v1/layouts/${own.id}` });
    expect(still.json()).toMatchObject({ name: 'secret of A', version: 1 });
  });
});

describe('bad input is never a 5xx', () => {
  it('survives a fuzz of malformed ids, headers and bodies', async () => {
    const { id } = await createLayout(tenantA);
    const ids = [
      'abc',
      '1',
      "'; DROP TABLE layouts; --",
      'urn:uuid:3f0e8a4c-1d2b-4c5a-9e8f-0a1b2c3d4e5f',
      '%00',
      '%E0%A4%A',
      'x'.repeat(5000),
      `${id}x`,
    ];
    const bodies: unknown[] = [
      null,
      42,
      'string',
      [],
      [1, 2],
      {},
      { name: null },
      { name: 1, scope: 2, content: 3 },
      { name: 'x', scope: 'site', content: null },
      { name: 'x', scope: 'site', content: [] },
      { name: 'x', scope: 'site', content: { schemaVersion: '1' } },
      { name: 'x', scope: 'site', content: { ...exampleLayoutContent(), header: { $asset: 'x' } } },
      { name: 'x\uD800', scope: 'site', content: exampleLayoutContent() },
      { name: 'x', scope: 'site', content: exampleLayoutContent(), __proto__: { polluted: true } },
      {
        name: 'x',
        scope: 'site',
        content: {
          ...exampleLayoutContent(),
          blocks: [{ id: 'i', column: 1, type: 'image', image: { $asset: 'not-a-uuid' }, alt: '' }],
        },
      },
    ];
    // Deterministic pseudo-random mutations of a valid body.
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const junk = [null, -1, 1e308, '', 'x'.repeat(300), [], {}, true, '#zzz', { $asset: randomUUID() }];
    for (let i = 0; i < 40; i++) {
      const content = structuredClone(exampleLayoutContent()) as unknown as Record<
        string,
        Record<string, unknown>
      >;
      const keys = Object.keys(content);
      const key = keys[Math.floor(rand() * keys.length)] as string;
      const target = content[key];
      if (target && typeof target === 'object') {
        const inner = Object.keys(target);
        target[inner[Math.floor(rand() * inner.length)] as string] = junk[Math.floor(rand() * junk.length)];
      } else {
        (content as Record<string, unknown>)[key] = junk[Math.floor(rand() * junk.length)];
      }
      bodies.push({ name: 'fuzz', scope: 'site', content });
    }
    const nested = (depth: number) =>
      `{"name":"x","scope":"site","content":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const rawBodies = [
      '{',
      '{"name":',
      'null',
      '\u0000',
      '{"a":1}{"b":2}',
      '[]'.repeat(10000),
      nested(40),
      nested(200_000),
    ];
    const responses: LightMyRequestResponse[] = [];
    for (const bad of ids) {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        responses.push(
          await call(tenantA, {
            method,
            url: `/api/v1/layouts/${bad}`,
            headers: { 'if-match': '"1"' },
            payload: method === 'PUT' ? {} : undefined,
          }),
        );
      }
      responses.push(
        await call(tenantA, {
          method: 'POST',
          url: `/api/v1/layouts/${id}/revisions/${bad}/restore`,
          headers: { 'if-match': '"1"' },
        }),
      );
    }
    for (const payload of bodies) {
      responses.push(
        await call(tenantA, {
          method: 'POST',
          url: '/api/v1/layouts',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        }),
      );
      responses.push(
        await call(tenantA, {
          method: 'PUT',
          url: `/api/v1/layouts/${id}`,
          headers: { 'content-type': 'application/json', 'if-match': '"1"' },
          payload: JSON.stringify(payload),
        }),
      );
    }
    for (const payload of rawBodies) {
      responses.push(
        await call(tenantA, {
          method: 'POST',
          url: '/api/v1/layouts',
          headers: { 'content-type': 'application/json' },
          payload,
        }),
      );
    }
    responses.push(
      await call(tenantA, {
        method: 'POST',
        url: '/api/v1/layouts',
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      }),
    );
    for (const ifMatch of ['', ' ', 'W/', '"', '"-1"', `"${'9'.repeat(30)}"`, '*, "1"', '"1", garbage']) {
      responses.push(
        await call(tenantA, {
          method: 'DELETE',
          url: `/api/v1/layouts/${randomUUID()}`,
          headers: { 'if-match': ifMatch },
        }),
      );
    }
    // Some mutations are still valid documents (2xx); everything else must be a 4xx with a code.
    const failures = responses.filter(
      (r) => r.statusCode >= 500 || (r.statusCode >= 400 && typeof r.json().code !== 'string'),
    );
    expect(failures.map((r) => `${r.statusCode} ${r.body.slice(0, 200)}`)).toEqual([]);
    expect(responses.filter((r) => r.statusCode >= 400).length).toBeGreaterThan(responses.length * 0.7);
  });
});
