import { randomUUID } from 'node:crypto';
import {
  ConfluenceClient,
  type ConfluenceTenant,
  checkerOracle,
  createConfluenceAuthorize,
  PermissionChecker,
} from '@rt/confluence';
import { createPgPool, createRegionalClient, type PgPool, type RegionalDb } from '@rt/db';
import { exampleLayoutContent } from '@rt/documents';
import type { ServiceApp } from '@rt/http';
import { createTestDatabase, FakeConfluence, internalToken, type TestDatabase } from '@rt/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';

// Issue 10 acceptance, at the route level: 3 roles × every write route of the layout service
// × scopes, with the Confluence-backed authorize plugged into the real buildApp.

const secret = 's'.repeat(40);
const appKey = 'com.example.refined-toolkit';
const sharedSecret = 'shared-secret-of-the-tenant-0123456789';
const ROLES = { siteAdmin: 'acc-site', spaceAdmin: 'acc-space', plain: 'acc-plain' } as const;
type Role = keyof typeof ROLES;
const SCOPES = ['site', 'space:DOCS', 'space:OTHER'];

let database: TestDatabase;
let db: RegionalDb;
let pool: PgPool;
let fake: FakeConfluence;
let app: ServiceApp;

beforeAll(async () => {
  database = await createTestDatabase('regional', 'layoutauthz');
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
    allowSpaceThemes: async () => false,
  });
  app = await buildApp({ internalTokenSecret: secret, db, pool, logLevel: 'silent', authorize });
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

const snapshot = async (tenantId: string) =>
  JSON.stringify(
    (
      await pool.query('SELECT id, version, name, scope FROM layouts WHERE tenant_id = $1 ORDER BY id', [
        tenantId,
      ])
    ).rows,
  );

/** A fresh layout at version 2 (so revision 1 can be restored), created by the site admin. */
const fixture = async (tenantId: string, scope: string) => {
  const created = await as(tenantId, 'siteAdmin', {
    method: 'POST',
    url: '/api/v1/layouts',
    payload: { name: 'Fixture', scope, content: exampleLayoutContent() },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const updated = await as(tenantId, 'siteAdmin', {
    method: 'PUT',
    url: `/api/v1/layouts/${id}`,
    headers: { 'if-match': '"1"' },
    payload: { name: 'Fixture v2', scope, content: exampleLayoutContent() },
  });
  expect(updated.statusCode, updated.body).toBe(200);
  return id;
};

const CASES = SCOPES.flatMap((scope) => [
  {
    label: `create ${scope}`,
    scope,
    request: async (): Promise<InjectOptions> => ({
      method: 'POST',
      url: '/api/v1/layouts',
      payload: { name: 'New', scope, content: exampleLayoutContent() },
    }),
  },
  {
    label: `update ${scope}`,
    scope,
    request: async (t: string): Promise<InjectOptions> => ({
      method: 'PUT',
      url: `/api/v1/layouts/${await fixture(t, scope)}`,
      headers: { 'if-match': '"2"' },
      payload: { name: 'Changed', scope, content: exampleLayoutContent() },
    }),
  },
  {
    label: `move ${scope} → site`,
    scope: 'site', // moving to site needs site rights whatever the origin
    request: async (t: string): Promise<InjectOptions> => ({
      method: 'PUT',
      url: `/api/v1/layouts/${await fixture(t, scope)}`,
      headers: { 'if-match': '"2"' },
      payload: { name: 'Moved', scope: 'site', content: exampleLayoutContent() },
    }),
  },
  {
    label: `delete ${scope}`,
    scope,
    request: async (t: string): Promise<InjectOptions> => ({
      method: 'DELETE',
      url: `/api/v1/layouts/${await fixture(t, scope)}`,
      headers: { 'if-match': '"2"' },
    }),
  },
  {
    label: `restore ${scope}`,
    scope,
    request: async (t: string): Promise<InjectOptions> => ({
      method: 'POST',
      url: `/api/v1/layouts/${await fixture(t, scope)}/revisions/1/restore`,
      headers: { 'if-match': '"2"' },
    }),
  },
]);

describe('layout service: 3 roles × every write route', () => {
  it('0 writes by plain users, 0 refusals of legitimate admins, refusals change nothing', async () => {
    const tenantId = randomUUID();
    const outcome = {
      plainWrites: 0,
      refusedLegitimate: 0,
      wrongWrites: 0,
      changedOnRefusal: 0,
      refusals: 0,
    };
    for (const role of Object.keys(ROLES) as Role[]) {
      for (const c of CASES) {
        const request = await c.request(tenantId);
        const before = await snapshot(tenantId);
        const res = await as(tenantId, role, request);
        const wrote = res.statusCode >= 200 && res.statusCode < 300;
        const want = role === 'siteAdmin' || (role === 'spaceAdmin' && c.scope === 'space:DOCS');
        if (wrote && role === 'plain') outcome.plainWrites++;
        if (wrote && !want) outcome.wrongWrites++;
        if (!wrote && want) outcome.refusedLegitimate++;
        if (!wrote) {
          outcome.refusals++;
          expect(res.statusCode, `${role} ${c.label}`).toBe(403);
          expect(res.json().code).toBe('NOT_PERMITTED');
          if ((await snapshot(tenantId)) !== before) outcome.changedOnRefusal++;
        }
      }
    }
    expect(outcome).toMatchObject({
      plainWrites: 0,
      refusedLegitimate: 0,
      wrongWrites: 0,
      changedOnRefusal: 0,
    });
    expect(outcome.refusals).toBeGreaterThan(CASES.length);
  });
});
