import { createHash, randomUUID } from 'node:crypto';
import { internalAuthPlugin } from '@rt/auth';
import {
  ConfluenceClient,
  type ConfluenceTenant,
  checkerOracle,
  createConfluenceAuthorize,
  PermissionChecker,
} from '@rt/confluence';
import { FAKE_CONFLUENCE_MARKER, FakeConfluence } from '@rt/confluence/fake';
import { createRegionalClient, pgPoolOf, type RegionalDb } from '@rt/db';
import {
  DocumentRepository,
  documentBodyGuard,
  exampleThemeTokens,
  ThemeImages,
  ThemeTokens,
  themeKind,
} from '@rt/documents';
import { createServiceApp, type ServiceApp } from '@rt/http';
import { createTestDatabase, internalToken, type TestDatabase } from '@rt/testing';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowSpaceThemesOf, settingsRoutes } from '../src/routes/settings.js';
import { THEME_FILE_FORMAT, themeTransferRoutes } from '../src/routes/theme-transfer.js';

const secret = 's'.repeat(40);
const appKey = 'com.example.refined-toolkit';
const sharedSecret = 'shared-secret-of-the-tenant-0123456789';
const tenantA = randomUUID();
const tenantB = randomUUID();
const ROLES = { siteAdmin: 'acc-site', spaceAdmin: 'acc-space', plain: 'acc-plain' } as const;
type Role = keyof typeof ROLES;

let database: TestDatabase;
let db: RegionalDb;
let fake: FakeConfluence;
let app: ServiceApp;
/** Image bytes by tenant + sha256: the asset service's storage seam in this test. */
const stored = new Map<string, Buffer>();
const logoBytes = Buffer.from('89504e470d0a1a0a-fake-png-bytes-of-a-logo', 'utf8');
const logoSha = createHash('sha256').update(logoBytes).digest('hex');
let logoA: string;
let themeA: string;

const headers = (tenantId: string, role: Role) => ({
  authorization: `Bearer ${internalToken(secret, tenantId, 'EU', { sub: ROLES[role] })}`,
});

beforeAll(async () => {
  database = await createTestDatabase('regional', 'themetransfer');
  db = createRegionalClient({ url: database.url, poolSize: 2 });
  fake = await new FakeConfluence({
    appKey,
    sharedSecret,
    users: [
      { accountId: ROLES.siteAdmin, siteAdmin: true },
      { accountId: ROLES.spaceAdmin, spaceAdminOf: ['DOCS'] },
      { accountId: ROLES.plain },
    ],
  }).start();
  const checker = new PermissionChecker({ client: new ConfluenceClient({ extraHosts: ['127.0.0.1'] }) });
  const tenantOf = (id: string): ConfluenceTenant => ({
    id,
    baseUrl: fake.baseUrl,
    credentials: { kind: 'connect', appKey, sharedSecret },
  });
  const authorize = createConfluenceAuthorize({
    // In the service this is routerPermissionOracle; here the checker answers directly.
    oracleFor: (request) =>
      checkerOracle(checker, tenantOf(request.tenant.tenantId), request.tenant.accountId ?? ''),
    allowSpaceThemes: allowSpaceThemesOf(db),
  });
  app = createServiceApp({ name: 'theme', logLevel: 'silent' });
  await app.register(internalAuthPlugin, { secret, kinds: ['api'] });
  await app.register(settingsRoutes, { db, pool: pgPoolOf(db), authorize });
  await app.register(themeTransferRoutes, {
    db,
    themes: new DocumentRepository(pgPoolOf(db), themeKind),
    authorize,
    // The create route's schemas and guard: an import is validated like a create.
    schemas: { tokens: ThemeTokens, images: ThemeImages },
    guardTheme: (theme) => documentBodyGuard(themeKind)({ body: theme } as FastifyRequest),
    // No read cache in this app: nothing to invalidate.
    readAsset: async (tenantId, sha256) => {
      const bytes = stored.get(`${tenantId}/${sha256}`);
      if (!bytes) throw new Error('missing object');
      return bytes;
    },
    storeAsset: async (tenantId, image) => {
      stored.set(`${tenantId}/${image.sha256}`, image.bytes);
      const asset = await db.asset.create({
        data: { tenantId, sha256: image.sha256, mediaType: image.mediaType, size: image.bytes.length },
      });
      return asset.id;
    },
  });
  await app.ready();

  stored.set(`${tenantA}/${logoSha}`, logoBytes);
  logoA = (
    await db.asset.create({
      data: { tenantId: tenantA, sha256: logoSha, mediaType: 'image/png', size: logoBytes.length },
    })
  ).id;
  themeA = (
    await db.theme.create({
      data: {
        tenantId: tenantA,
        name: 'Brand',
        scope: 'site',
        tokens: exampleThemeTokens('#112233'),
        images: { logo: { $asset: logoA } },
      },
    })
  ).id;
});

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await fake?.close();
  await database?.drop();
});

const themeCount = (tenantId: string) => db.theme.count({ where: { tenantId } });

describe('site settings', () => {
  it('reads defaults, and only Confluence administrators change them', async () => {
    const get = await app.inject({
      method: 'GET',
      url: '/api/v1/settings',
      headers: headers(tenantA, 'plain'),
    });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual({ allowSpaceThemes: false });
    for (const role of ['plain', 'spaceAdmin'] as const) {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/v1/settings',
        headers: headers(tenantA, role),
        payload: { allowSpaceThemes: true },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('NOT_PERMITTED');
    }
    expect(await db.tenantSettings.count()).toBe(0);
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: headers(tenantA, 'siteAdmin'),
      payload: { allowSpaceThemes: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: headers(tenantA, 'siteAdmin'),
      payload: { allowSpaceThemes: true },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ allowSpaceThemes: true });
    const other = await app.inject({
      method: 'GET',
      url: '/api/v1/settings',
      headers: headers(tenantB, 'plain'),
    });
    expect(other.json()).toEqual({ allowSpaceThemes: false });
  });
});

describe('theme export, import and copy', () => {
  it('exports by reference, or inline with the bytes', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/themes/${themeA}/export`,
      headers: headers(tenantA, 'plain'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="Brand.theme.json"');
    const file = res.json();
    expect(file).toMatchObject({
      format: THEME_FILE_FORMAT,
      formatVersion: 1,
      theme: { name: 'Brand', scope: 'site' },
    });
    expect(file.assets).toEqual([
      {
        id: logoA,
        sha256: logoSha,
        mediaType: 'image/png',
        size: logoBytes.length,
        width: null,
        height: null,
      },
    ]);
    const inline = await app.inject({
      method: 'GET',
      url: `/api/v1/themes/${themeA}/export?images=inline`,
      headers: headers(tenantA, 'plain'),
    });
    expect(Buffer.from(inline.json().assets[0].data, 'base64')).toEqual(logoBytes);
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/v1/themes/${themeA}/export`,
      headers: headers(tenantB, 'siteAdmin'),
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('imports into another site: by sha256 when the image is there, from inline bytes otherwise', async () => {
    const file = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/themes/${themeA}/export?images=inline`,
        headers: headers(tenantA, 'plain'),
      })
    ).json();
    const imported = await app.inject({
      method: 'POST',
      url: '/api/v1/themes/import',
      headers: headers(tenantB, 'siteAdmin'),
      payload: file,
    });
    expect(imported.statusCode).toBe(201);
    const theme = imported.json();
    const logoB = theme.images.logo.$asset;
    expect(logoB).not.toBe(logoA);
    expect(await db.asset.findFirst({ where: { tenantId: tenantB, id: logoB } })).toMatchObject({
      sha256: logoSha,
    });
    expect(await db.assetReference.count({ where: { tenantId: tenantB, documentId: theme.id } })).toBe(1);
    expect(await db.themeRevision.count({ where: { tenantId: tenantB, themeId: theme.id } })).toBe(1);
    expect(theme).toMatchObject({ name: 'Brand', scope: 'site', isDefault: false, version: 1 });

    // Same file by reference only: tenant B now has the image, found by its sha256.
    const byRef = { ...file, assets: file.assets.map(({ data: _data, ...a }: { data?: string }) => a) };
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/themes/import',
      headers: headers(tenantB, 'siteAdmin'),
      payload: byRef,
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().images.logo.$asset).toBe(logoB);
  });

  it('validates imports like a create and refuses unknown images', async () => {
    const base = {
      format: THEME_FILE_FORMAT,
      formatVersion: 1,
      theme: {
        name: 'X',
        scope: 'site',
        tokens: exampleThemeTokens('#000000'),
        images: {},
      },
      assets: [],
    };
    const before = await themeCount(tenantB);
    const cases = [
      {
        ...base,
        theme: {
          ...base.theme,
          tokens: { ...base.theme.tokens, colors: { ...base.theme.tokens.colors, primary: 'red' } },
        },
      },
      {
        ...base,
        theme: { ...base.theme, tokens: { ...base.theme.tokens, typography: { bodyFont: 'Comic Sans' } } },
      },
      { ...base, theme: { ...base.theme, name: '' } },
      { ...base, theme: { ...base.theme, scope: 'galaxy' } },
      { ...base, format: 'something-else' },
      { ...base, theme: { ...base.theme, images: { logo: { $asset: randomUUID() } } } },
      { ...base, theme: { ...base.theme, images: { logo: { $asset: logoA } } } }, // tenant A's asset
    ];
    for (const payload of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/themes/import',
        headers: headers(tenantB, 'siteAdmin'),
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(['VALIDATION_FAILED', 'UNKNOWN_ASSET']).toContain(res.json().code);
    }
    for (const name of ['nul\u0000name', 'lone\ud800surrogate']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/themes/import',
        headers: headers(tenantB, 'siteAdmin'),
        payload: { ...base, theme: { ...base.theme, name } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('INVALID_TEXT');
    }
    // The create route's guard runs too: a document over 256 KiB is 413 before validation.
    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/themes/import',
      headers: headers(tenantB, 'siteAdmin'),
      payload: {
        ...base,
        theme: { ...base.theme, tokens: { ...base.theme.tokens, pad: 'x'.repeat(300 * 1024) } },
      },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('DOCUMENT_TOO_LARGE');
    const tampered = {
      ...base,
      theme: { ...base.theme, images: { logo: { $asset: '00000000-0000-4000-8000-000000000001' } } },
      assets: [
        {
          id: '00000000-0000-4000-8000-000000000001',
          sha256: 'a'.repeat(64),
          mediaType: 'image/png',
          size: 3,
          data: Buffer.from('abc').toString('base64'),
        },
      ],
    };
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/themes/import',
      headers: headers(tenantB, 'siteAdmin'),
      payload: tampered,
    });
    expect(res.json().code).toBe('ASSET_CHECKSUM_MISMATCH');
    expect(await themeCount(tenantB)).toBe(before);
  });

  it('copies a theme within the site', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/themes/${themeA}/copy`,
      headers: headers(tenantA, 'siteAdmin'),
      payload: {},
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Brand (copy)',
      scope: 'site',
      images: { logo: { $asset: logoA } },
    });
    expect(await db.assetReference.count({ where: { tenantId: tenantA, documentId: res.json().id } })).toBe(
      1,
    );
    const foreign = await app.inject({
      method: 'POST',
      url: `/api/v1/themes/${themeA}/copy`,
      headers: headers(tenantB, 'siteAdmin'),
      payload: {},
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('role matrix over import and copy: plain users write nothing, admins are never refused', async () => {
    const file = (
      await app.inject({
        method: 'GET',
        url: `/api/v1/themes/${themeA}/export`,
        headers: headers(tenantA, 'plain'),
      })
    ).json();
    let plainWrites = 0;
    let refusedAdmins = 0;
    // allowSpaceThemes is on for tenant A (set above); the space admin administers DOCS only.
    for (const role of Object.keys(ROLES) as Role[]) {
      for (const scope of ['site', 'space:DOCS', 'space:OTHER']) {
        const before = await themeCount(tenantA);
        const requests = [
          app.inject({
            method: 'POST',
            url: `/api/v1/themes/import?scope=${scope}`,
            headers: headers(tenantA, role),
            payload: file,
          }),
          app.inject({
            method: 'POST',
            url: `/api/v1/themes/${themeA}/copy`,
            headers: headers(tenantA, role),
            payload: { scope },
          }),
        ];
        for (const res of await Promise.all(requests)) {
          const legitimate = role === 'siteAdmin' || (role === 'spaceAdmin' && scope === 'space:DOCS');
          if (legitimate && res.statusCode !== 201) refusedAdmins++;
          if (!legitimate) expect(res.json().code).toBe('NOT_PERMITTED');
        }
        if (role === 'plain') plainWrites += (await themeCount(tenantA)) - before;
      }
    }
    expect({ plainWrites, refusedAdmins }).toEqual({ plainWrites: 0, refusedAdmins: 0 });

    // With space themes switched off, the space admin can no longer author one.
    await db.tenantSettings.update({ where: { tenantId: tenantA }, data: { allowSpaceThemes: false } });
    const off = await app.inject({
      method: 'POST',
      url: `/api/v1/themes/${themeA}/copy`,
      headers: headers(tenantA, 'spaceAdmin'),
      payload: { scope: 'space:DOCS' },
    });
    expect(off.statusCode).toBe(403);
  });
});

describe('nothing of Confluence is stored', () => {
  it('keeps no Confluence answer and no account id in any table', async () => {
    const tables = ['themes', 'theme_revisions', 'assets', 'asset_references', 'tenant_settings'];
    for (const table of tables) {
      const rows = await db.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM ${table} t`);
      const text = rows.map((r) => r.row).join('\n');
      expect(text).not.toContain(FAKE_CONFLUENCE_MARKER);
      for (const accountId of Object.values(ROLES)) expect(text).not.toContain(accountId);
    }
    expect(await db.theme.count()).toBeGreaterThan(3);
  });
});
