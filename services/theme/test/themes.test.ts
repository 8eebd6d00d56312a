import { randomUUID } from 'node:crypto';
import { allowAllWritesForTests } from '@rt/auth';
import { createPgPool, createRegionalClient, liftWriteFence, type PgPool, raiseWriteFence } from '@rt/db';
import { exampleThemeTokens } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
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

beforeAll(async () => {
  database = await createTestDatabase('regional', 'themes');
  const db = createRegionalClient({ url: database.url, poolSize: 2 });
  pool = createPgPool({ url: database.url, poolSize: 8 });
  app = await buildApp({
    internalTokenSecret: secret,
    db,
    pool,
    authorize: allowAllWritesForTests,
    logLevel: 'silent',
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

async function createTheme(tenant: string, overrides: Record<string, unknown> = {}) {
  const res = await call(tenant, {
    method: 'POST',
    url: '/api/v1/themes',
    payload: { name: 'Corporate', tokens: exampleThemeTokens(), ...overrides },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; isDefault: boolean; scope: string };
}

const defaults = async (tenant: string) =>
  (
    await pool.query<{ id: string }>('SELECT id FROM themes WHERE tenant_id = $1 AND is_default', [tenant])
  ).rows.map((r) => r.id);

describe('themes: CRUD and revisions', () => {
  it('creates (scope defaults to site, images to {}), reads, lists, replaces, restores and deletes', async () => {
    const created = await createTheme(tenantA);
    expect(created).toMatchObject({
      scope: 'site',
      version: 1,
      isDefault: false,
      images: {},
      tokens: exampleThemeTokens(),
    });
    const url = `/api/v1/themes/${created.id}`;
    const got = await call(tenantA, { method: 'GET', url });
    expect(got.headers.etag).toBe('"1"');
    expect(got.json()).toEqual(created);

    const list = await call(tenantA, { method: 'GET', url: '/api/v1/themes?scope=site' });
    expect(list.json().items.map((t: { id: string }) => t.id)).toContain(created.id);

    expect(
      (await call(tenantA, { method: 'PUT', url, payload: { name: 'x', tokens: exampleThemeTokens() } }))
        .statusCode,
    ).toBe(428);
    const replaced = await call(tenantA, {
      method: 'PUT',
      url,
      headers: { 'if-match': '"1"' },
      payload: { name: 'Dark', tokens: exampleThemeTokens('#FF5630') },
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({
      name: 'Dark',
      version: 2,
      tokens: { colors: { primary: '#FF5630' } },
    });

    const revisions = await call(tenantA, { method: 'GET', url: `${url}/revisions` });
    expect(revisions.json().items.map((r: { version: number }) => r.version)).toEqual([2, 1]);
    const restored = await call(tenantA, {
      method: 'POST',
      url: `${url}/revisions/1/restore`,
      headers: { 'if-match': '"2"' },
    });
    expect(restored.json()).toMatchObject({
      name: 'Corporate',
      version: 3,
      tokens: { colors: { primary: '#0052CC' } },
    });

    expect((await call(tenantA, { method: 'DELETE', url, headers: { 'if-match': '"2"' } })).statusCode).toBe(
      412,
    );
    expect((await call(tenantA, { method: 'DELETE', url, headers: { 'if-match': '"3"' } })).statusCode).toBe(
      204,
    );
    expect((await call(tenantA, { method: 'GET', url })).statusCode).toBe(404);
  });

  it('validates tokens: hex colours, allow-listed fonts, spacing ranges — 400 with the path', async () => {
    const tokens = exampleThemeTokens();
    const cases: [unknown, string][] = [
      [{ ...tokens, colors: { ...tokens.colors, primary: 'red' } }, 'body/tokens/colors/primary'],
      [{ ...tokens, colors: { ...tokens.colors, text: '#12345' } }, 'body/tokens/colors/text'],
      [
        { ...tokens, typography: { ...tokens.typography, bodyFont: 'Comic Sans MS' } },
        'body/tokens/typography/bodyFont',
      ],
      [{ ...tokens, spacing: { ...tokens.spacing, unitPx: 100 } }, 'body/tokens/spacing/unitPx'],
      [{ ...tokens, colors: { ...tokens.colors, css: 'url(javascript:x)' } }, 'body/tokens/colors'],
    ];
    for (const [bad, path] of cases) {
      const res = await call(tenantA, {
        method: 'POST',
        url: '/api/v1/themes',
        payload: { name: 'x', tokens: bad },
      });
      expect(res.statusCode, path).toBe(400);
      expect(res.json().details[0].path).toBe(path);
    }
    const badImage = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/themes',
      payload: { name: 'x', tokens, images: { logo: 'https://evil.example/logo.png' } },
    });
    expect(badImage.json().details[0].path).toBe('body/images/logo');
    const unknownRole = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/themes',
      payload: { name: 'x', tokens, images: { banner: { $asset: randomUUID() } } },
    });
    expect(unknownRole.statusCode).toBe(400);
  });

  it('takes logo, favicon and background as asset references of the same tenant and records them', async () => {
    const [logo, favicon] = [await addAsset(tenantA), await addAsset(tenantA)];
    const foreign = await addAsset(tenantB);
    const refused = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/themes',
      payload: { name: 'x', tokens: exampleThemeTokens(), images: { logo: { $asset: foreign } } },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'UNKNOWN_ASSET', details: [{ path: '/images/logo' }] });

    const theme = await createTheme(tenantA, {
      images: { logo: { $asset: logo }, favicon: { $asset: favicon } },
    });
    const { rows } = await pool.query(
      `SELECT asset_id FROM asset_references WHERE tenant_id = $1 AND document_type = 'theme' AND document_id = $2`,
      [tenantA, theme.id],
    );
    expect(rows.map((r) => r.asset_id).sort()).toEqual([logo, favicon].sort());
  });

  it('refuses tokens over 256 KiB with 413', async () => {
    const res = await call(tenantA, {
      method: 'POST',
      url: '/api/v1/themes',
      payload: { name: 'x', tokens: { ...exampleThemeTokens(), pad: 'x'.repeat(300 * 1024) } },
    });
    expect(res.statusCode).toBe(413);
  });
});

describe('default theme', () => {
  it('keeps exactly one default per tenant, also under concurrent requests', async () => {
    const tenant = randomUUID();
    const themes = [];
    for (let i = 0; i < 6; i++) themes.push(await createTheme(tenant, { name: `T${i}` }));
    const first = await call(tenant, { method: 'PUT', url: `/api/v1/themes/${themes[0]?.id}/default` });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: themes[0]?.id, isDefault: true, version: 1 });

    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        themes.map((t) => call(tenant, { method: 'PUT', url: `/api/v1/themes/${t.id}/default` })),
      );
      expect(results.map((r) => r.statusCode)).toEqual(themes.map(() => 200));
      expect(await defaults(tenant)).toHaveLength(1);
    }
    const list = await call(tenant, { method: 'GET', url: '/api/v1/themes' });
    expect(list.json().items.filter((t: { isDefault: boolean }) => t.isDefault)).toHaveLength(1);

    // The database itself refuses a second default (the partial unique index).
    const [winner] = await defaults(tenant);
    const other = themes.find((t) => t.id !== winner);
    await expect(
      pool.query('UPDATE themes SET is_default = true WHERE id = $1', [other?.id]),
    ).rejects.toThrow(/themes_one_default_per_tenant/);
  });

  it('only makes a site-wide theme the default; unknown or foreign themes are 404', async () => {
    const spaceTheme = await createTheme(tenantA, { scope: 'space:DOCS' });
    const res = await call(tenantA, { method: 'PUT', url: `/api/v1/themes/${spaceTheme.id}/default` });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('THEME_NOT_SITE_WIDE');
    expect(
      (await call(tenantA, { method: 'PUT', url: `/api/v1/themes/${randomUUID()}/default` })).statusCode,
    ).toBe(404);

    const site = await createTheme(tenantA, { name: 'Site default' });
    await call(tenantA, { method: 'PUT', url: `/api/v1/themes/${site.id}/default` });
    const move = await call(tenantA, {
      method: 'PUT',
      url: `/api/v1/themes/${site.id}`,
      headers: { 'if-match': '"1"' },
      payload: { name: 'moved', scope: 'space:DOCS', tokens: exampleThemeTokens() },
    });
    expect(move.statusCode).toBe(409);
    expect(move.json().code).toBe('THEME_NOT_SITE_WIDE');
  });
});

describe('space theme', () => {
  it('resolves space → default, assigns, unassigns', async () => {
    const tenant = randomUUID();
    const url = '/api/v1/spaces/ENG/theme';
    const none = await call(tenant, { method: 'GET', url });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('THEME_NOT_RESOLVED');

    const site = await createTheme(tenant, { name: 'Site' });
    await call(tenant, { method: 'PUT', url: `/api/v1/themes/${site.id}/default` });
    const viaDefault = await call(tenant, { method: 'GET', url });
    expect(viaDefault.json()).toMatchObject({
      spaceKey: 'ENG',
      source: 'default',
      theme: { id: site.id, isDefault: true },
    });

    const eng = await createTheme(tenant, { name: 'Eng', scope: 'space:ENG' });
    const assigned = await call(tenant, { method: 'PUT', url, payload: { themeId: eng.id } });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toEqual({ spaceKey: 'ENG', themeId: eng.id });
    expect((await call(tenant, { method: 'GET', url })).json()).toMatchObject({
      source: 'space',
      theme: { id: eng.id, name: 'Eng' },
    });
    expect((await call(tenant, { method: 'GET', url: '/api/v1/spaces/HR/theme' })).json().source).toBe(
      'default',
    );

    const wrongSpace = await call(tenant, {
      method: 'PUT',
      url: '/api/v1/spaces/HR/theme',
      payload: { themeId: eng.id },
    });
    expect(wrongSpace.statusCode).toBe(409);
    expect(wrongSpace.json().code).toBe('THEME_SCOPE_MISMATCH');
    const unknown = await call(tenant, { method: 'PUT', url, payload: { themeId: randomUUID() } });
    expect(unknown.statusCode).toBe(404);

    expect((await call(tenant, { method: 'DELETE', url })).statusCode).toBe(204);
    expect((await call(tenant, { method: 'GET', url })).json().source).toBe('default');

    // Deleting an assigned theme removes the assignment with it.
    await call(tenant, { method: 'PUT', url, payload: { themeId: eng.id } });
    await call(tenant, { method: 'DELETE', url: `/api/v1/themes/${eng.id}`, headers: { 'if-match': '"1"' } });
    expect((await call(tenant, { method: 'GET', url })).json()).toMatchObject({
      source: 'default',
      theme: { id: site.id },
    });

    for (const bad of ['', 'a b', 'x'.repeat(300), '%00', 'ENG%2F..']) {
      const res = await call(tenant, { method: 'GET', url: `/api/v1/spaces/${bad}/theme` });
      expect(res.statusCode, bad).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, bad).toBeLessThan(500);
    }
  });
});

describe('tenant isolation', () => {
  it("answers every route for another tenant's theme exactly like for a missing one (0 leaks)", async () => {
    const own = await createTheme(tenantA, { name: 'secret of A' });
    await call(tenantA, { method: 'PUT', url: `/api/v1/themes/${own.id}/default` });
    await call(tenantA, { method: 'PUT', url: '/api/v1/spaces/SECRET/theme', payload: { themeId: own.id } });
    const missing = randomUUID();
    const body = { name: 'hijack', tokens: exampleThemeTokens('#000000') };
    const routes = (id: string): InjectOptions[] => [
      { method: 'GET', url: `/api/v1/themes/${id}` },
      { method: 'PUT', url: `/api/v1/themes/${id}`, headers: { 'if-match': '"1"' }, payload: body },
      { method: 'PUT', url: `/api/v1/themes/${id}`, headers: { 'if-match': '*' }, payload: body },
      { method: 'DELETE', url: `/api/v1/themes/${id}`, headers: { 'if-match': '"1"' } },
      { method: 'GET', url: `/api/v1/themes/${id}/revisions` },
      { method: 'POST', url: `/api/v1/themes/${id}/revisions/1/restore`, headers: { 'if-match': '"1"' } },
      { method: 'PUT', url: `/api/v1/themes/${id}/default` },
      { method: 'PUT', url: '/api/v1/spaces/MINE/theme', payload: { themeId: id } },
    ];
    let leaks = 0;
    const missingRoutes = routes(missing);
    for (const [i, foreign] of routes(own.id).entries()) {
      const a = await call(tenantB, foreign);
      const b = await call(tenantB, missingRoutes[i] as InjectOptions);
      if (a.statusCode !== 404 || a.statusCode !== b.statusCode || a.json().code !== b.json().code) leaks++;
      if (a.body.includes('secret of A')) leaks++;
    }
    // B's view of the space A assigned, and B's unassignment, do not touch A's data.
    const space = await call(tenantB, { method: 'GET', url: '/api/v1/spaces/SECRET/theme' });
    if (space.statusCode !== 404 || space.body.includes(own.id)) leaks++;
    await call(tenantB, { method: 'DELETE', url: '/api/v1/spaces/SECRET/theme' });
    const list = await call(tenantB, { method: 'GET', url: '/api/v1/themes?limit=100' });
    if (list.body.includes(own.id)) leaks++;
    expect(leaks).toBe(0);

    const still = await call(tenantA, { method: 'GET', url: '/api/v1/spaces/SECRET/theme' });
    expect(still.json()).toMatchObject({
      source: 'space',
      theme: { id: own.id, name: 'secret of A', version: 1, isDefault: true },
    });
    expect(await defaults(tenantB)).toEqual([]);
  });
});

describe('bad input is never a 5xx', () => {
  it('survives malformed ids and bodies on every theme route', async () => {
    const { id } = await createTheme(tenantA);
    const ids = ['abc', "1' OR '1'='1", 'urn:uuid:3f0e8a4c-1d2b-4c5a-9e8f-0a1b2c3d4e5f', 'x'.repeat(3000)];
    const bodies = [
      null,
      [],
      'x',
      {},
      { themeId: 'nope' },
      { name: 'x', tokens: null },
      { name: 'x', tokens: exampleThemeTokens(), images: [] },
    ];
    const responses: LightMyRequestResponse[] = [];
    for (const bad of ids) {
      responses.push(await call(tenantA, { method: 'GET', url: `/api/v1/themes/${bad}` }));
      responses.push(await call(tenantA, { method: 'PUT', url: `/api/v1/themes/${bad}/default` }));
      responses.push(
        await call(tenantA, { method: 'PUT', url: '/api/v1/spaces/ENG/theme', payload: { themeId: bad } }),
      );
    }
    for (const payload of bodies) {
      const json = { 'content-type': 'application/json' };
      responses.push(
        await call(tenantA, {
          method: 'POST',
          url: '/api/v1/themes',
          headers: json,
          payload: JSON.stringify(payload),
        }),
      );
      responses.push(
        await call(tenantA, {
          method: 'PUT',
          url: `/api/v1/themes/${id}`,
          headers: { ...json, 'if-match': '"1"' },
          payload: JSON.stringify(payload),
        }),
      );
      responses.push(
        await call(tenantA, {
          method: 'PUT',
          url: '/api/v1/spaces/ENG/theme',
          headers: json,
          payload: JSON.stringify(payload),
        }),
      );
    }
    const failures = responses.filter(
      (r) => r.statusCode >= 500 || r.statusCode < 400 || typeof r.json().code !== 'string',
    );
    expect(failures.map((r) => `${r.statusCode} ${r.body.slice(0, 200)}`)).toEqual([]);
  });
});

describe('themes: the regional write fence of a migration', () => {
  it('refuses every write of a fenced tenant with 503 TENANT_MIGRATING + Retry-After, changing nothing; reads go on; lifting re-enables writes', async () => {
    const tenant = randomUUID();
    const site = await createTheme(tenant, { name: 'Site' });
    const other = await createTheme(tenant, { name: 'Other' });
    await call(tenant, { method: 'PUT', url: `/api/v1/themes/${site.id}/default` });
    await call(tenant, { method: 'PUT', url: '/api/v1/spaces/ENG/theme', payload: { themeId: site.id } });
    const rows = async () =>
      (
        await pool.query(
          `SELECT (SELECT json_agg(t ORDER BY id) FROM themes t WHERE tenant_id = $1) AS themes,
                  (SELECT json_agg(r ORDER BY theme_id, version) FROM theme_revisions r WHERE tenant_id = $1) AS revisions,
                  (SELECT json_agg(s ORDER BY space_key) FROM space_themes s WHERE tenant_id = $1) AS spaces,
                  (SELECT json_agg(x) FROM tenant_settings x WHERE tenant_id = $1) AS settings`,
          [tenant],
        )
      ).rows[0];
    const before = await rows();

    const migration = randomUUID();
    await raiseWriteFence(pool, tenant, migration);
    const url = `/api/v1/themes/${site.id}`;
    const tokens = exampleThemeTokens('#FF5630');
    const writes: [string, InjectOptions][] = [
      ['create', { method: 'POST', url: '/api/v1/themes', payload: { name: 'New', tokens } }],
      ['replace', { method: 'PUT', url, headers: { 'if-match': '"1"' }, payload: { name: 'X', tokens } }],
      ['restore', { method: 'POST', url: `${url}/revisions/1/restore`, headers: { 'if-match': '"1"' } }],
      ['delete', { method: 'DELETE', url: `/api/v1/themes/${other.id}`, headers: { 'if-match': '"1"' } }],
      ['default', { method: 'PUT', url: `/api/v1/themes/${other.id}/default` }],
      ['assign', { method: 'PUT', url: '/api/v1/spaces/HR/theme', payload: { themeId: other.id } }],
      ['unassign', { method: 'DELETE', url: '/api/v1/spaces/ENG/theme' }],
      ['settings', { method: 'PUT', url: '/api/v1/settings', payload: { allowSpaceThemes: true } }],
      ['copy', { method: 'POST', url: `${url}/copy`, payload: {} }],
      [
        'import',
        {
          method: 'POST',
          url: '/api/v1/themes/import',
          payload: {
            format: 'refined-toolkit/theme',
            formatVersion: 1,
            theme: { name: 'Imported', scope: 'site', tokens, images: {} },
            assets: [],
          },
        },
      ],
    ];
    for (const [what, options] of writes) {
      const res = await call(tenant, options);
      expect([res.statusCode, res.json().code], what).toEqual([503, 'TENANT_MIGRATING']);
      expect(res.headers['retry-after'], what).toBe('60');
    }
    expect(await rows()).toEqual(before);
    expect((await call(tenant, { method: 'GET', url })).statusCode).toBe(200);
    expect((await call(tenant, { method: 'GET', url: '/api/v1/spaces/ENG/theme' })).json().source).toBe(
      'space',
    );

    await liftWriteFence(pool, tenant, migration);
    for (const [what, options] of writes.slice(0, 1))
      expect((await call(tenant, options)).statusCode, what).toBe(201);
    expect((await call(tenant, writes[7]![1])).statusCode).toBe(200);
  });
});
