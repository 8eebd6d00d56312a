import { createDirectoryClient, type DirectoryDb } from '@rt/db';
import { createLogger, createServiceApp, Forbidden, type ServiceApp, Unauthorized } from '@rt/http';
import { createRedis, JobProducer, type Redis } from '@rt/queue';
import { createTestDatabase, redisTestPrefix, type TestDatabase, testRedisUrl } from '@rt/testing';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeletionCliClient,
  deletionCommands,
  registerDeletionRoutes,
  scheduleDeletion,
} from '../src/index.js';

let db: TestDatabase;
let directory: DirectoryDb;
let redis: Redis;
let producer: JobProducer<'deletion'>;
let app: ServiceApp;
const now = new Date('2026-07-01T09:00:00.000Z');
const clock = { now: () => now };

// Stand-in for the ops plugin's operator auth: `x-test-operator: <subject>:<role>`.
const operatorOf = (headers: Record<string, unknown>) => {
  const raw = headers['x-test-operator'];
  if (typeof raw !== 'string') return undefined;
  const [subject, role] = raw.split(':');
  return { subject: subject ?? '', role: role ?? '' };
};

beforeAll(async () => {
  db = await createTestDatabase('directory', 'delops');
  directory = createDirectoryClient({ url: db.url, poolSize: 3 });
  redis = createRedis(testRedisUrl());
  producer = new JobProducer('deletion', { connection: redis, prefix: redisTestPrefix('delops') });
  app = createServiceApp({ name: 'ops-test', logger: createLogger('ops-test', 'silent') });
  await app.register(registerDeletionRoutes, {
    directory,
    producer,
    now: clock.now,
    requireRole: (role) => async (request) => {
      const op = operatorOf(request.headers);
      if (!op) throw new Unauthorized('OPERATOR_TOKEN_MISSING', 'operator token required');
      if (op.role !== role && op.role !== 'admin')
        throw new Forbidden('ROLE_REQUIRED', `role ${role} required`);
    },
    audit: async (request, entry) => {
      const op = operatorOf(request.headers);
      await directory.operatorAudit.create({
        data: {
          subject: op?.subject ?? '?',
          role: op?.role ?? '?',
          action: entry.action,
          target: entry.target,
          outcome: entry.outcome,
          detail: entry.detail as never,
        },
      });
    },
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await producer?.close();
  redis?.disconnect();
  await directory?.$disconnect();
  await db?.drop();
});

async function tenant(clientKey: string, state: 'active' | 'uninstalled') {
  return directory.tenant.create({
    data: {
      clientKey,
      baseUrl: `https://${clientKey}.example.test`,
      homeRegion: 'EU',
      state,
      sharedSecretEnc: Buffer.from('x'),
    },
  });
}

const admin = { 'x-test-operator': 'alice:admin' };
const viewer = { 'x-test-operator': 'bob:viewer' };

describe('operator deletion routes', () => {
  it('lists the schedule (pending with due dates) for a viewer, not for anonymous callers', async () => {
    const t = await tenant('client-list', 'uninstalled');
    const uninstalledAt = new Date('2026-06-20T00:00:00Z');
    await scheduleDeletion(
      directory,
      producer,
      { tenantId: t.id, clientKey: t.clientKey, uninstalledAt },
      clock,
    );

    expect((await app.inject({ method: 'GET', url: '/ops/v1/deletions' })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/ops/v1/deletions?state=pending', headers: viewer });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        clientKey: 'client-list',
        state: 'pending',
        dueAt: '2026-07-20T00:00:00.000Z',
        percent: 0,
        receipt: null,
      }),
    ]);
    const bad = await app.inject({ method: 'GET', url: '/ops/v1/deletions?state=gone', headers: viewer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('purge needs role admin, is audited, and makes a pending deletion due now', async () => {
    const t = await tenant('client-purge', 'uninstalled');
    const scheduled = await scheduleDeletion(
      directory,
      producer,
      { tenantId: t.id, clientKey: t.clientKey, uninstalledAt: new Date('2026-06-25T00:00:00Z') },
      clock,
    );
    expect(await (await producer.queue.getJob(scheduled.deletion.id))?.getState()).toBe('delayed');

    const denied = await app.inject({
      method: 'POST',
      url: '/ops/v1/tenants/client-purge/purge',
      headers: viewer,
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('ROLE_REQUIRED');

    const res = await app.inject({
      method: 'POST',
      url: '/ops/v1/tenants/client-purge/purge',
      headers: admin,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      created: false,
      enqueued: true,
      deletion: { id: scheduled.deletion.id, reason: 'purge', dueAt: now.toISOString(), state: 'pending' },
    });
    // The delayed job (30 days out) now waits to run at once.
    expect(await (await producer.queue.getJob(scheduled.deletion.id))?.getState()).toBe('waiting');

    const audit = await directory.operatorAudit.findMany({ where: { action: 'deletion.purge' } });
    expect(audit).toEqual([
      expect.objectContaining({ subject: 'alice', role: 'admin', target: 'client-purge', outcome: 'ok' }),
    ]);

    const one = await app.inject({
      method: 'GET',
      url: `/ops/v1/deletions/${scheduled.deletion.id}`,
      headers: viewer,
    });
    expect(one.json()).toMatchObject({ id: scheduled.deletion.id, state: 'pending' });
  });

  it('purge of an active tenant disables it and creates a deletion due now', async () => {
    const t = await tenant('client-active', 'active');
    const res = await app.inject({
      method: 'POST',
      url: '/ops/v1/tenants/client-active/purge',
      headers: admin,
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      created: true,
      deletion: { reason: 'purge', dueAt: now.toISOString() },
    });
    expect((await directory.tenant.findUniqueOrThrow({ where: { id: t.id } })).state).toBe('disabled');
  });

  it('unknown tenant → 404 TENANT_NOT_FOUND, audited as not_found', async () => {
    const res = await app.inject({ method: 'POST', url: '/ops/v1/tenants/nobody/purge', headers: admin });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('TENANT_NOT_FOUND');
    const audit = await directory.operatorAudit.findMany({ where: { target: 'nobody' } });
    expect(audit.map((a) => a.outcome)).toEqual(['not_found']);
    const missing = await app.inject({
      method: 'GET',
      url: '/ops/v1/deletions/00000000-0000-4000-8000-000000000000',
      headers: viewer,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('CLI commands against the routes', () => {
  // The CLI's client, backed by the real routes (in-process) instead of HTTP.
  const client: DeletionCliClient = {
    async get<T>(path: string) {
      const res = await app.inject({ method: 'GET', url: path, headers: admin });
      if (res.statusCode >= 400) throw new Error(res.body);
      return res.json() as T;
    },
    async post<T>(path: string) {
      const res = await app.inject({ method: 'POST', url: path, headers: admin });
      if (res.statusCode >= 400) throw new Error(res.body);
      return res.json() as T;
    },
  };

  it('`deletions list` prints the schedule; `purge` follows progress until done', async () => {
    const t = await tenant('client-cli', 'uninstalled');
    const lines: string[] = [];
    const bars: string[] = [];
    const program = new Command().exitOverride();
    deletionCommands(
      program,
      {
        ...client,
        // Simulate the worker finishing between two polls.
        async get<T>(path: string) {
          if (path.startsWith('/ops/v1/deletions/')) {
            const id = path.split('/').pop() as string;
            await directory.deletion.update({
              where: { id },
              data: {
                state: 'done',
                completedAt: now,
                receipt: {
                  clientKey: 'client-cli',
                  reason: 'purge',
                  uninstalledAt: now.toISOString(),
                  dueAt: now.toISOString(),
                  startedAt: now.toISOString(),
                  completedAt: now.toISOString(),
                  attempts: 1,
                  regions: { EU: { rows: 12, objects: 3, tables: { layouts: 12 }, done: true } },
                },
              },
            });
          }
          return client.get<T>(path);
        },
      },
      { out: (l) => lines.push(l), progress: (l) => bars.push(l), pollMs: 1 },
    );
    await program.parseAsync(['node', 'ops', 'purge', 'client-cli']);
    expect(lines[0]).toMatch(/^deletion [0-9a-f-]{36} pending \(queued\)$/);
    expect(bars[0]).toContain('  0% pending');
    expect(bars.at(-1)).toContain('100% done EU✓ rows 12 objects 3');
    expect(lines.at(-1)).toBe('purged client-cli');

    lines.length = 0;
    await program.parseAsync(['node', 'ops', 'deletions', 'list', '--client-key', 'client-cli']);
    expect(lines[0]).toMatch(/^STATE\s+DUE/);
    expect(lines[1]).toMatch(/^done\s+2026-07-01T09:00:00.000Z\s+client-cli\s+purge\s+EU:12r\/3o$/);
    expect(t.clientKey).toBe('client-cli');
  });
});
