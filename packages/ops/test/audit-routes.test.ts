import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import { createLogger, createServiceApp, Forbidden, type ServiceApp, Unauthorized } from '@rt/http';
import { createTestDatabase, type TestDatabase } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsAuditRoutes } from '../src/index.js';

let db: TestDatabase;
let directory: DirectoryDb;
let app: ServiceApp;

// Stand-in for the ops plugin's guard, which reads `config.opsRole` of each route.
const ROLES = ['viewer', 'migrator', 'admin'];

beforeAll(async () => {
  db = await createTestDatabase('directory', 'opsaudit');
  directory = createDirectoryClient({ url: db.url, poolSize: 2 });
  app = createServiceApp({ name: 'audit-test', logger: createLogger('audit-test', 'silent') });
  await app.register(
    async (ops) => {
      ops.addHook('onRequest', async (request) => {
        const role = request.headers['x-test-role'];
        if (typeof role !== 'string')
          throw new Unauthorized('OPERATOR_TOKEN_MISSING', 'operator token required');
        const required = request.routeOptions.config?.opsRole ?? 'admin';
        if (ROLES.indexOf(role) < ROLES.indexOf(required)) {
          throw new Forbidden('OPERATOR_ROLE_REQUIRED', `role ${required} required`);
        }
      });
      await ops.register(opsAuditRoutes, { directory });
    },
    { prefix: '/ops/v1' },
  );
  await app.ready();
  for (let i = 0; i < 5; i++) {
    await directory.operatorAudit.create({
      data: {
        subject: i % 2 ? 'ann@ops' : 'bob@ops',
        role: 'migrator',
        action: i === 4 ? 'deletion.purge' : 'migrations.start',
        target: `tenant-${i}`,
        outcome: i === 3 ? 'denied' : 'ok',
        detail: { status: i === 3 ? 403 : 202 },
      },
    });
  }
});

afterAll(async () => {
  await app?.close();
  await directory?.$disconnect();
  await db?.drop();
});

const get = (url: string, role: string | null = 'viewer') =>
  app.inject({ method: 'GET', url, headers: role ? { 'x-test-role': role } : {} });

describe('GET /ops/v1/audit', () => {
  it('lists operator actions newest first for a viewer, not for anonymous callers', async () => {
    expect((await get('/ops/v1/audit', null)).statusCode).toBe(401);
    const res = await get('/ops/v1/audit');
    expect(res.statusCode).toBe(200);
    const { items, nextCursor } = res.json();
    expect(items.map((i: { target: string }) => i.target)).toEqual([
      'tenant-4',
      'tenant-3',
      'tenant-2',
      'tenant-1',
      'tenant-0',
    ]);
    expect(items[0]).toMatchObject({
      action: 'deletion.purge',
      subject: 'bob@ops',
      outcome: 'ok',
      detail: { status: 202 },
    });
    expect(items[0].id).toMatch(/^\d+$/);
    expect(nextCursor).toBeNull();
  });

  it('pages with the id cursor and filters by subject, action prefix and outcome', async () => {
    const first = (await get('/ops/v1/audit?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(`/ops/v1/audit?limit=2&before=${first.nextCursor}`)).json();
    expect(second.items.map((i: { target: string }) => i.target)).toEqual(['tenant-2', 'tenant-1']);
    const ann = (await get('/ops/v1/audit?subject=ann@ops')).json();
    expect(ann.items.every((i: { subject: string }) => i.subject === 'ann@ops')).toBe(true);
    expect(ann.items).toHaveLength(2);
    expect((await get('/ops/v1/audit?action=deletion.')).json().items).toHaveLength(1);
    expect((await get('/ops/v1/audit?outcome=denied')).json().items[0].target).toBe('tenant-3');
  });

  it('answers malformed input with 400 VALIDATION_FAILED', async () => {
    for (const q of ['before=abc', 'limit=0', 'limit=9999', 'before=99999999999999999999']) {
      const res = await get(`/ops/v1/audit?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code, q).toBe('VALIDATION_FAILED');
    }
  });
});
