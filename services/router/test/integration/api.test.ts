import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { isApiError } from '@rt/contracts';
import { exampleLayoutContent, exampleThemeTokens } from '@rt/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPng, SPACE, type Stack, startStack, type Tenant, USERS } from './stack.js';

/**
 * The public API end to end through the EU router: real services, real databases, real S3,
 * writes authorized by the tenant's (fake) Confluence through the router's permission endpoint.
 */

let stack: Stack;
let acme: Tenant;
let globex: Tenant;

beforeAll(async () => {
  stack = await startStack('e2eapi');
  acme = await stack.tenant('acme');
  globex = await stack.tenant('globex');
});
afterAll(async () => {
  await stack?.close();
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const codeOf = async (res: Response) => ((await res.json()) as { code?: string }).code;
const layoutBody = (name: string, scope = 'site', logo?: string) => ({
  name,
  scope,
  content: exampleLayoutContent(logo ? { logo } : {}),
});
const themeBody = (name: string, scope = 'site', primary = '#0052CC') => ({
  name,
  scope,
  tokens: exampleThemeTokens(primary),
});

async function upload(t: Tenant, png: Buffer, account: string = USERS.siteAdmin) {
  return t.fetch(account, '/api/v1/assets?scope=site', {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: png,
  });
}

describe('every public endpoint through the EU router, tenant installed by the lifecycle hook', () => {
  it('layouts: CRUD with If-Match (428/412), revisions and restore', async () => {
    const api = acme.client(USERS.siteAdmin);
    const created = await api.POST('/api/v1/layouts', { body: layoutBody('Home') as never });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.response.headers.get('etag')).toBe('"1"');
    const read = await api.GET('/api/v1/layouts/{id}', { params: { path: { id } } });
    expect(read.data).toMatchObject({ id, name: 'Home', scope: 'site', version: 1 });
    const list = await api.GET('/api/v1/layouts', { params: { query: { limit: 10 } } });
    expect(list.data!.items.map((l) => l.id)).toEqual([id]);

    const url = `/api/v1/layouts/${id}`;
    const put = (ifMatch?: string) =>
      acme.fetch(USERS.siteAdmin, url, {
        method: 'PUT',
        ...json(layoutBody('Renamed'), ifMatch ? { 'if-match': ifMatch } : {}),
      });
    const missing = await put();
    expect(missing.status).toBe(428);
    expect(await codeOf(missing)).toBe('IF_MATCH_REQUIRED');
    const stale = await put('"7"');
    expect(stale.status).toBe(412);
    expect(await codeOf(stale)).toBe('VERSION_MISMATCH');
    const ok = await put('"1"');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: 'Renamed', version: 2 });

    const revisions = await api.GET('/api/v1/layouts/{id}/revisions', { params: { path: { id } } });
    expect(JSON.stringify(revisions.data)).toContain('Home');
    const restored = await acme.fetch(USERS.siteAdmin, `${url}/revisions/1/restore`, {
      method: 'POST',
      headers: { 'if-match': '"2"' },
    });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ name: 'Home', version: 3 });

    const noIfMatch = await acme.fetch(USERS.siteAdmin, url, { method: 'DELETE' });
    expect(noIfMatch.status).toBe(428);
    const del = await acme.fetch(USERS.siteAdmin, url, { method: 'DELETE', headers: { 'if-match': '"3"' } });
    expect(del.status).toBe(204);
    const gone = await api.GET('/api/v1/layouts/{id}', { params: { path: { id } } }).catch((e) => e);
    expect(isApiError(gone) && gone.status).toBe(404);
  });

  it('themes: CRUD, default theme, space theme resolution, settings', async () => {
    const api = acme.client(USERS.siteAdmin);
    const a = (await api.POST('/api/v1/themes', { body: themeBody('Blue') as never })).data!;
    const b = (await api.POST('/api/v1/themes', { body: themeBody('Red', 'site', '#FF0000') as never }))
      .data!;
    const put = await acme.fetch(USERS.siteAdmin, `/api/v1/themes/${a.id}`, {
      method: 'PUT',
      ...json(themeBody('Blue 2'), { 'if-match': '"1"' }),
    });
    expect(put.status).toBe(200);
    const read = await api.GET('/api/v1/themes/{id}', { params: { path: { id: a.id } } });
    expect(read.data).toMatchObject({ name: 'Blue 2', version: 2 });

    // Default theme → a space without its own resolves to the default.
    const def = await acme.fetch(USERS.siteAdmin, `/api/v1/themes/${a.id}/default`, { method: 'PUT' });
    expect(def.status).toBe(200);
    const viaDefault = await acme.fetch(USERS.plain, `/api/v1/spaces/${SPACE}/theme`);
    expect(await viaDefault.json()).toMatchObject({
      spaceKey: SPACE,
      source: 'default',
      theme: { id: a.id },
    });
    // Space theme by the space's admin → resolved from the space.
    const assign = await acme.fetch(USERS.spaceAdmin, `/api/v1/spaces/${SPACE}/theme`, {
      method: 'PUT',
      ...json({ themeId: b.id }),
    });
    expect(assign.status).toBe(200);
    const viaSpace = await acme.fetch(USERS.plain, `/api/v1/spaces/${SPACE}/theme`);
    expect(await viaSpace.json()).toMatchObject({ source: 'space', theme: { id: b.id, name: 'Red' } });
    const unassign = await acme.fetch(USERS.spaceAdmin, `/api/v1/spaces/${SPACE}/theme`, {
      method: 'DELETE',
    });
    expect(unassign.status).toBe(204);
    const back = await acme.fetch(USERS.plain, `/api/v1/spaces/${SPACE}/theme`);
    expect(await back.json()).toMatchObject({ source: 'default', theme: { id: a.id } });

    const settings = await acme.fetch(USERS.siteAdmin, '/api/v1/settings', {
      method: 'PUT',
      ...json({ allowSpaceThemes: true }),
    });
    expect(settings.status).toBe(200);
    const got = await api.GET('/api/v1/settings');
    expect(got.data).toMatchObject({ allowSpaceThemes: true });

    const del = await acme.fetch(USERS.siteAdmin, `/api/v1/themes/${b.id}`, {
      method: 'DELETE',
      headers: { 'if-match': '"1"' },
    });
    expect(del.status).toBe(204);
  });

  it('assets: an upload sent with Expect: 100-continue (as curl does past 1 MiB) reaches the service', async () => {
    const png = buildPng(20, 12, 2);
    for (const region of ['EU', 'US'] as const) {
      const url = new URL('/api/v1/assets?scope=site', stack.regions[region].routerUrl);
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(url, {
          method: 'POST',
          headers: {
            authorization: `JWT ${acme.token(USERS.siteAdmin)}`,
            'content-type': 'image/png',
            'content-length': String(png.length),
            expect: '100-continue',
          },
        });
        req.on('continue', () => req.end(png));
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
      });
      expect(answer.status, `${region}: ${answer.body}`).toBeLessThan(300);
    }
  });

  it('assets: upload, byte-exact download, presigned URL, 409 while a layout uses it, export', async () => {
    const png = buildPng(24, 16, 1);
    const up = await upload(acme, png);
    expect(up.status).toBe(201);
    const asset = (await up.json()) as { id: string; sha256: string; size: number };
    expect(asset).toMatchObject({ size: png.length, sha256: createHash('sha256').update(png).digest('hex') });

    const down = await acme.fetch(USERS.plain, `/api/v1/assets/${asset.id}`);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await down.arrayBuffer()).equals(png)).toBe(true);

    const presigned = (await (await acme.fetch(USERS.plain, `/api/v1/assets/${asset.id}/url`)).json()) as {
      url: string;
    };
    const direct = await fetch(presigned.url);
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(png)).toBe(true);

    const layout = await acme.fetch(USERS.siteAdmin, '/api/v1/layouts', {
      method: 'POST',
      ...json(layoutBody('With logo', 'site', asset.id)),
    });
    expect(layout.status).toBe(201);
    const layoutId = ((await layout.json()) as { id: string }).id;
    const inUse = await acme.fetch(USERS.siteAdmin, `/api/v1/assets/${asset.id}`, { method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect(JSON.stringify(await inUse.json())).toContain(layoutId);

    const exported = await acme.fetch(USERS.siteAdmin, '/api/v1/export');
    expect(exported.status).toBe(200);
    const text = await exported.text();
    expect(text).toContain(layoutId);
    expect(text).toContain(asset.sha256);
    expect(text).not.toContain(acme.sharedSecret);

    await acme.fetch(USERS.siteAdmin, `/api/v1/layouts/${layoutId}`, {
      method: 'DELETE',
      headers: { 'if-match': '"1"' },
    });
    const freed = await acme.fetch(USERS.siteAdmin, `/api/v1/assets/${asset.id}`, { method: 'DELETE' });
    expect(freed.status).toBe(204);
    expect((await acme.fetch(USERS.plain, `/api/v1/assets/${asset.id}`)).status).toBe(404);
  });
});

describe('tenant isolation through the router', () => {
  it('no route serves, changes or deletes another tenant’s layout, theme or asset', async () => {
    // Globex owns one of everything.
    const g = globex;
    const layout = (await (
      await g.fetch(USERS.siteAdmin, '/api/v1/layouts', {
        method: 'POST',
        ...json(layoutBody('Globex secret')),
      })
    ).json()) as { id: string };
    const theme = (await (
      await g.fetch(USERS.siteAdmin, '/api/v1/themes', { method: 'POST', ...json(themeBody('Globex theme')) })
    ).json()) as { id: string };
    const asset = (await (await upload(g, buildPng(8, 8, 99))).json()) as { id: string };
    const space = await g.fetch(USERS.siteAdmin, '/api/v1/spaces/OPS/theme', {
      method: 'PUT',
      ...json({ themeId: theme.id }),
    });
    expect(space.status).toBe(200);

    const ifMatch = { 'if-match': '"1"' };
    const probes: Array<[string, string, RequestInit?]> = [
      ['GET', `/api/v1/layouts/${layout.id}`],
      ['PUT', `/api/v1/layouts/${layout.id}`, { method: 'PUT', ...json(layoutBody('pwned'), ifMatch) }],
      ['GET', `/api/v1/layouts/${layout.id}/revisions`],
      ['POST', `/api/v1/layouts/${layout.id}/revisions/1/restore`, { method: 'POST', headers: ifMatch }],
      ['DELETE', `/api/v1/layouts/${layout.id}`, { method: 'DELETE', headers: ifMatch }],
      ['GET', `/api/v1/themes/${theme.id}`],
      ['PUT', `/api/v1/themes/${theme.id}`, { method: 'PUT', ...json(themeBody('pwned'), ifMatch) }],
      ['GET', `/api/v1/themes/${theme.id}/revisions`],
      ['GET', `/api/v1/themes/${theme.id}/export`],
      ['POST', `/api/v1/themes/${theme.id}/copy`, { method: 'POST', ...json({ name: 'stolen' }) }],
      ['POST', `/api/v1/themes/${theme.id}/revisions/1/restore`, { method: 'POST', headers: ifMatch }],
      ['PUT', `/api/v1/themes/${theme.id}/default`, { method: 'PUT' }],
      ['PUT', '/api/v1/spaces/OPS/theme', { method: 'PUT', ...json({ themeId: theme.id }) }],
      ['DELETE', `/api/v1/themes/${theme.id}`, { method: 'DELETE', headers: ifMatch }],
      ['GET', `/api/v1/assets/${asset.id}`],
      ['GET', `/api/v1/assets/${asset.id}/url`],
      ['DELETE', `/api/v1/assets/${asset.id}`, { method: 'DELETE' }],
    ];
    const leaks: string[] = [];
    for (const [method, path, init] of probes) {
      const res = await acme.fetch(USERS.siteAdmin, path, init);
      const body = await res.text();
      if (![403, 404].includes(res.status) || body.includes('Globex') || body.includes(g.id))
        leaks.push(`${method} ${path} → ${res.status} ${body.slice(0, 120)}`);
    }
    // Lists, the space theme, settings and the export of Acme never show Globex's data.
    for (const path of [
      '/api/v1/layouts?limit=100',
      '/api/v1/themes?limit=100',
      '/api/v1/assets?limit=100',
      '/api/v1/spaces/OPS/theme',
      '/api/v1/export',
    ]) {
      const body = await (await acme.fetch(USERS.siteAdmin, path)).text();
      if (body.includes('Globex') || body.includes(layout.id) || body.includes(asset.id))
        leaks.push(`${path} lists Globex data`);
    }
    expect(leaks).toEqual([]);
    // Globex's documents are untouched.
    const still = await g.fetch(USERS.siteAdmin, `/api/v1/layouts/${layout.id}`);
    expect(await still.json()).toMatchObject({ name: 'Globex secret', version: 1 });
    const spaceTheme = await g.fetch(USERS.plain, '/api/v1/spaces/OPS/theme');
    expect(await spaceTheme.json()).toMatchObject({ source: 'space', theme: { id: theme.id } });
    expect((await g.fetch(USERS.plain, `/api/v1/assets/${asset.id}`)).status).toBe(200);
  });
});

describe('roles through the router, decided by the tenant’s Confluence', () => {
  /** Every write route; `space` ones are for the space admin of SPACE. */
  async function writes(t: Tenant, account: string) {
    const admin = USERS.siteAdmin;
    const mk = async (path: string, body: unknown) =>
      ((await (await t.fetch(admin, path, { method: 'POST', ...json(body) })).json()) as { id: string }).id;
    const siteLayout = await mk('/api/v1/layouts', layoutBody('site L'));
    const spaceLayout = await mk('/api/v1/layouts', layoutBody('space L', `space:${SPACE}`));
    const siteTheme = await mk('/api/v1/themes', themeBody('site T'));
    const asset = (
      (await (await upload(t, buildPng(4, 4, Math.floor(Math.random() * 200)))).json()) as {
        id: string;
      }
    ).id;
    const ifMatch = { 'if-match': '"1"' };
    const seed = Math.floor(Math.random() * 1000);
    return {
      site: [
        ['create site layout', '/api/v1/layouts', { method: 'POST', ...json(layoutBody('x')) }],
        [
          'update site layout',
          `/api/v1/layouts/${siteLayout}`,
          { method: 'PUT', ...json(layoutBody('x'), ifMatch) },
        ],
        ['create theme', '/api/v1/themes', { method: 'POST', ...json(themeBody('x')) }],
        ['update theme', `/api/v1/themes/${siteTheme}`, { method: 'PUT', ...json(themeBody('x'), ifMatch) }],
        ['default theme', `/api/v1/themes/${siteTheme}/default`, { method: 'PUT' }],
        ['settings', '/api/v1/settings', { method: 'PUT', ...json({ allowSpaceThemes: false }) }],
        [
          'upload asset',
          '/api/v1/assets?scope=site',
          { method: 'POST', headers: { 'content-type': 'image/png' }, body: buildPng(5, 5, seed) },
        ],
        ['delete asset', `/api/v1/assets/${asset}`, { method: 'DELETE' }],
        [
          'delete site layout',
          `/api/v1/layouts/${siteLayout}`,
          { method: 'DELETE', headers: { 'if-match': '*' } },
        ],
      ],
      space: [
        [
          'create space layout',
          '/api/v1/layouts',
          { method: 'POST', ...json(layoutBody('x', `space:${SPACE}`)) },
        ],
        [
          'update space layout',
          `/api/v1/layouts/${spaceLayout}`,
          { method: 'PUT', ...json(layoutBody('x', `space:${SPACE}`), ifMatch) },
        ],
        ['space theme', `/api/v1/spaces/${SPACE}/theme`, { method: 'PUT', ...json({ themeId: siteTheme }) }],
        ['unassign space theme', `/api/v1/spaces/${SPACE}/theme`, { method: 'DELETE' }],
      ],
      account,
    } as {
      site: Array<[string, string, RequestInit]>;
      space: Array<[string, string, RequestInit]>;
      account: string;
    };
  }

  it('plain users write nothing; site and space admins are never refused', async () => {
    const wrongs: string[] = [];
    for (const account of [USERS.siteAdmin, USERS.spaceAdmin, USERS.plain]) {
      const routes = await writes(acme, account);
      for (const [scope, list] of [
        ['site', routes.site],
        ['space', routes.space],
      ] as const) {
        for (const [name, path, init] of list) {
          const res = await acme.fetch(account, path, init);
          const allowed = account === USERS.siteAdmin || (account === USERS.spaceAdmin && scope === 'space');
          const ok = res.status < 300;
          if (allowed !== ok)
            wrongs.push(`${account} ${name} → ${res.status} ${(await res.text()).slice(0, 100)}`);
          else if (!ok && res.status !== 403) wrongs.push(`${account} ${name} → ${res.status} (want 403)`);
        }
      }
    }
    expect(wrongs).toEqual([]);
  });

  it('Confluence down → 503 PERMISSION_CHECK_UNAVAILABLE and nothing written', async () => {
    const before = await stack.regions.EU.pool.query(
      'SELECT count(*)::int AS n FROM layouts WHERE tenant_id = $1',
      [acme.id],
    );
    acme.confluence.mode = { kind: 'fail', status: 500 };
    try {
      const api = acme.client(USERS.fresh);
      const err = await api
        .POST('/api/v1/layouts', { body: layoutBody('while down') as never })
        .catch((e) => e);
      expect(isApiError(err) && [err.status, err.code]).toEqual([503, 'PERMISSION_CHECK_UNAVAILABLE']);
    } finally {
      acme.confluence.mode = { kind: 'ok' };
    }
    const after = await stack.regions.EU.pool.query(
      'SELECT count(*)::int AS n FROM layouts WHERE tenant_id = $1',
      [acme.id],
    );
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('installs', () => {
  it.each([
    'http://169.254.169.254',
    'https://evil.com',
    'https://acme.atlassian.net.evil.com/wiki',
    'http://acme.atlassian.net/wiki',
  ])('an install with base URL %s is refused and stores no tenant', async (baseUrl) => {
    const clientKey = `evil-${createHash('sha1').update(baseUrl).digest('hex').slice(0, 8)}`;
    const res = await stack.install(clientKey, { baseUrl });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await codeOf(res)).toEqual(expect.any(String));
    expect(await stack.directory.tenant.findUnique({ where: { clientKey } })).toBeNull();
  });
});
