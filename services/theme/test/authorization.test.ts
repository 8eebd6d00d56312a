import { randomUUID } from 'node:crypto';
import {
  ConfluenceClient,
  type ConfluenceTenant,
  checkerOracle,
  createConfluenceAuthorize,
  PermissionChecker,
} from '@rt/confluence';
import { FakeConfluence } from '@rt/confluence/fake';
import { createPgPool, createRegionalClient, type PgPool, type RegionalDb } from '@rt/db';
import { exampleThemeTokens } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
import { createTestDatabase, internalToken, type TestDatabase } from '@rt/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { allowSpaceThemesOf } from '../src/routes/settings.js';
import { THEME_FILE_FORMAT } from '../src/routes/theme-transfer.js';

// Issue 10 acceptance, at the route level: 3 roles × every write route of the theme service
// (CRUD, restore, default, space assignment, settings, import, copy) × scopes, with the
// Confluence-backed authorize plugged into the real buildApp.

const secret = 's'.repeat(40);
const appKey = 'com.example.refined-toolkit';
const sharedSecret = 'shared-secret-of-the-tenant-0123456789';
const ROLES = { siteAdmin: 'acc-site', spaceAdmin: 'acc-space', plain: 'acc-plain' } as const;
type Role = keyof typeof ROLES;
const SCOPES = ['site', 'space:DOCS', 'space:OTHER'] as const;

let database: TestDatabase;
let db: RegionalDb;
let pool: PgPool;
let fake: FakeConfluence;
let app: ServiceApp;

beforeAll(async () => {
  database = await createTestDatabase('regional', 'themeauthz');
  db = createRegionalClient({ url: database.url, poolSize: 2 });
  pool = createPgPool({ url: database.url, poolSize: 4 });
  fake = await new FakeConfluence({
    appKey,
    sharedSecret,
    users: [
      { accountId: ROLES.siteAdmin, siteAdmin: true },
      { accountId: ROLES.spaceAdmin, spaceAdminOf: ['DOCS'] },
      { accountId: ROLES.plain },
    ],
    spaces: { OTHER: {} },
  }).start();
  const checker = new PermissionChecker({ client: new ConfluenceClient({ extraHosts: ['127.0.0.1'] }) });
  const tenantOf = (id: string): ConfluenceTenant => ({
    id,
    baseUrl: fake.baseUrl,
    credentials: { kind: 'connect', appKey, sharedSecret },
  });
  const authorize = createConfluenceAuthorize({
    oracleFor: (request) =>
      checkerOracle(checker, tenantOf(request.tenant.tenantId), request.tenant.accountId ?? ''),
    allowSpaceThemes: allowSpaceThemesOf(db),
  });
  // buildApp registers the settings and theme transfer routes itself.
  app = await buildApp({ internalTokenSecret: secret, db, pool, logLevel: 'silent', authorize });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await pool?.end();
  await fake?.close();
  await database?.drop();
});

const as = (tenantId: string, role: Role, options: InjectOptions) =>
  app.inject({
    ...options,
    headers: {
      authorization: `Bearer ${internalToken(secret, tenantId, 'EU', { sub: ROLES[role] })}`,
      ...options.headers,
    },
  });

/** Everything a write could change in a tenant's theme data. */
const snapshot = async (tenantId: string) => {
  const q = async (sql: string) => JSON.stringify((await pool.query(sql, [tenantId])).rows);
  return [
    await q('SELECT id, version, name, scope, is_default FROM themes WHERE tenant_id = $1 ORDER BY id'),
    await q('SELECT space_key, theme_id FROM space_themes WHERE tenant_id = $1 ORDER BY space_key'),
    await q('SELECT allow_space_themes FROM tenant_settings WHERE tenant_id = $1'),
  ].join('|');
};

/** A fresh theme at version 2 (so revision 1 can be restored), created by the site admin. */
const fixture = async (tenantId: string, scope: string) => {
  const created = await as(tenantId, 'siteAdmin', {
    method: 'POST',
    url: '/api/v1/themes',
    payload: { name: 'Fixture', scope, tokens: exampleThemeTokens() },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const updated = await as(tenantId, 'siteAdmin', {
    method: 'PUT',
    url: `/api/v1/themes/${id}`,
    headers: { 'if-match': '"1"' },
    payload: { name: 'Fixture v2', scope, tokens: exampleThemeTokens('#123456') },
  });
  expect(updated.statusCode, updated.body).toBe(200);
  return id;
};

interface WriteCase {
  label: string;
  resource: string;
  action: string;
  scope: string;
  request: (tenantId: string) => Promise<InjectOptions>;
}

const themeFile = (scope: string) => ({
  format: THEME_FILE_FORMAT,
  formatVersion: 1,
  theme: { name: 'Imported', scope, tokens: exampleThemeTokens(), images: {} },
  assets: [],
});

const CASES: WriteCase[] = [
  ...SCOPES.flatMap((scope): WriteCase[] => [
    {
      label: `create ${scope}`,
      resource: 'theme',
      action: 'create',
      scope,
      request: async () => ({
        method: 'POST',
        url: '/api/v1/themes',
        payload: { name: 'New', scope, tokens: exampleThemeTokens() },
      }),
    },
    {
      label: `update ${scope}`,
      resource: 'theme',
      action: 'update',
      scope,
      request: async (t) => ({
        method: 'PUT',
        url: `/api/v1/themes/${await fixture(t, scope)}`,
        headers: { 'if-match': '"2"' },
        payload: { name: 'Changed', scope, tokens: exampleThemeTokens('#654321') },
      }),
    },
    {
      label: `delete ${scope}`,
      resource: 'theme',
      action: 'delete',
      scope,
      request: async (t) => ({
        method: 'DELETE',
        url: `/api/v1/themes/${await fixture(t, scope)}`,
        headers: { 'if-match': '"2"' },
      }),
    },
    {
      label: `restore ${scope}`,
      resource: 'theme',
      action: 'restore',
      scope,
      request: async (t) => ({
        method: 'POST',
        url: `/api/v1/themes/${await fixture(t, scope)}/revisions/1/restore`,
        headers: { 'if-match': '"2"' },
      }),
    },
    {
      label: `import ${scope}`,
      resource: 'theme',
      action: 'import',
      scope,
      request: async () => ({ method: 'POST', url: '/api/v1/themes/import', payload: themeFile(scope) }),
    },
    {
      label: `copy to ${scope}`,
      resource: 'theme',
      action: 'copy',
      scope,
      request: async (t) => ({
        method: 'POST',
        url: `/api/v1/themes/${await fixture(t, 'site')}/copy`,
        payload: { scope },
      }),
    },
  ]),
  {
    label: 'set default',
    resource: 'theme',
    action: 'set-default-theme',
    scope: 'site',
    request: async (t) => ({ method: 'PUT', url: `/api/v1/themes/${await fixture(t, 'site')}/default` }),
  },
  ...['DOCS', 'OTHER'].flatMap((key): WriteCase[] => [
    {
      label: `assign space theme ${key}`,
      resource: 'space-theme',
      action: 'assign-space-theme',
      scope: `space:${key}`,
      request: async (t) => ({
        method: 'PUT',
        url: `/api/v1/spaces/${key}/theme`,
        payload: { themeId: await fixture(t, 'site') },
      }),
    },
    {
      label: `unassign space theme ${key}`,
      resource: 'space-theme',
      action: 'unassign-space-theme',
      scope: `space:${key}`,
      request: async (t) => {
        const themeId = await fixture(t, 'site');
        const assigned = await as(t, 'siteAdmin', {
          method: 'PUT',
          url: `/api/v1/spaces/${key}/theme`,
          payload: { themeId },
        });
        expect(assigned.statusCode).toBe(200);
        return { method: 'DELETE', url: `/api/v1/spaces/${key}/theme` };
      },
    },
  ]),
  {
    label: 'settings',
    resource: 'settings',
    action: 'update',
    scope: 'site',
    request: async (t) => ({
      method: 'PUT',
      url: '/api/v1/settings',
      payload: { allowSpaceThemes: !(await allowSpaceThemesOf(db)(t)) },
    }),
  },
];

const AUTHORING = new Set(['create', 'update', 'restore', 'import', 'copy']);
/** The rules of issue 10, written out independently of the implementation. */
const legitimate = (role: Role, c: WriteCase, allowSpaceThemes: boolean) => {
  if (role === 'siteAdmin') return true;
  if (role === 'plain' || c.scope !== 'space:DOCS') return false;
  return !(c.resource === 'theme' && AUTHORING.has(c.action)) || allowSpaceThemes;
};

describe('theme service: 3 roles × every write route', () => {
  it.each([true, false])(
    'allowSpaceThemes=%s: 0 writes by plain users, 0 refusals of legitimate admins',
    async (allow) => {
      const tenantId = randomUUID();
      await db.tenantSettings.create({ data: { tenantId, allowSpaceThemes: allow } });
      const outcome = {
        plainWrites: 0,
        refusedLegitimate: 0,
        wrongWrites: 0,
        unchangedOnRefusal: 0,
        refusals: 0,
      };
      for (const role of Object.keys(ROLES) as Role[]) {
        for (const c of CASES) {
          // Settings flip allowSpaceThemes: restore it so every case sees the setting under test.
          await db.tenantSettings.update({ where: { tenantId }, data: { allowSpaceThemes: allow } });
          const request = await c.request(tenantId);
          const before = await snapshot(tenantId);
          const res = await as(tenantId, role, request);
          const wrote = res.statusCode >= 200 && res.statusCode < 300;
          const want = legitimate(role, c, allow);
          if (wrote && role === 'plain') outcome.plainWrites++;
          if (wrote && !want) outcome.wrongWrites++;
          if (!wrote && want) {
            outcome.refusedLegitimate++;
            console.error(`${role} refused: ${c.label} → ${res.statusCode} ${res.body}`);
          }
          if (!wrote) {
            outcome.refusals++;
            expect(res.statusCode, `${role} ${c.label}`).toBe(403);
            expect(res.json().code).toBe('NOT_PERMITTED');
            if ((await snapshot(tenantId)) === before) outcome.unchangedOnRefusal++;
          }
        }
      }
      expect(outcome).toMatchObject({ plainWrites: 0, refusedLegitimate: 0, wrongWrites: 0 });
      expect(outcome.refusals).toBeGreaterThan(CASES.length); // every plain-user write at least
      expect(outcome.unchangedOnRefusal).toBe(outcome.refusals);
    },
  );
});
