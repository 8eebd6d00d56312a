import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@rt/http';
import {
  MigrationDetail,
  type MigrationEventView,
  MigrationView,
  Nullable,
  TenantSize,
  TenantView,
} from '@rt/ops';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * A stand-in for the operator API (`packages/ops`, `/ops/v1`) with the same routes and shapes,
 * its state in memory, for the console's browser test and the client's unit tests. Every unfinished migration advances one phase each time the list is polled
 * (scheduled → pre_copying → frozen → copying → verifying → ready_to_commit → committed with
 * autoCommit), with growing rows/objects/bytes counters so the console can compute an ETA.
 *
 * Not for production: tokens are HS256 with a test secret, nothing is persisted.
 */

// The shapes the real operator API answers with (`@rt/ops`, `@rt/http`), so the console is tested against them.
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

const DeletionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String({ format: 'uuid' }),
  clientKey: Type.String(),
  reason: Type.String(),
  state: Type.String(),
  uninstalledAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  receipt: Type.Unknown(),
});
const AuditEntryView = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  subject: Type.String(),
  role: Type.String(),
  action: Type.String(),
  target: Nullable(Type.String()),
  outcome: Type.String(),
  detail: Type.Unknown(),
});

/** Operator roles, each including the ones before it (as in `packages/ops`). */
export const FAKE_OPERATOR_ROLES = ['viewer', 'migrator', 'admin'] as const;
/** A role of {@link FAKE_OPERATOR_ROLES}. */
export type FakeOperatorRole = (typeof FAKE_OPERATOR_ROLES)[number];

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * Mints an operator token shaped like `packages/ops`' local tokens (HS256, `roles: [role]`,
 * issuer `rt-ops-local`, audience `rt-ops`).
 */
export function mintFakeOperatorToken(
  secret: string,
  subject: string,
  role: FakeOperatorRole,
  ttlSeconds = 3600,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      sub: subject,
      roles: [role],
      iss: 'rt-ops-local',
      aud: 'rt-ops',
      iat: now,
      exp: now + ttlSeconds,
    }),
  );
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Options of {@link fakeOpsApi}. */
export interface FakeOpsApiOptions {
  /** HS256 secret of the operator tokens. */
  secret: string;
  /** Tenants to start with (default: two demo tenants and one pending deletion). */
  tenants?: { clientKey: string; homeRegion: string; state?: string; rows?: number; bytes?: number }[];
}

interface FakeMigration {
  view: Static<typeof MigrationView>;
  step: number;
  report: unknown;
  events: Static<typeof MigrationEventView>[];
}

const PHASES = ['scheduled', 'pre_copying', 'frozen', 'copying', 'verifying', 'ready_to_commit'] as const;
const TERMINAL = new Set(['committed', 'cancelled', 'rolled_back', 'failed']);

class FakeError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The fake ops API as a Fastify plugin; register with `{ prefix: '/ops/v1', secret }`, like the
 * real `opsPlugin`.
 */
export async function fakeOpsApi(fastify: FastifyInstance, options: FakeOpsApiOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const now = () => new Date().toISOString();
  const tenants = (
    options.tenants ?? [
      { clientKey: 'demo-eu', homeRegion: 'EU', rows: 1240, bytes: 52_428_800 },
      { clientKey: 'demo-us', homeRegion: 'US', rows: 310, bytes: 4_194_304 },
      { clientKey: 'gone-eu', homeRegion: 'EU', state: 'uninstalled', rows: 42, bytes: 1024 },
    ]
  ).map((t, i) => ({
    view: {
      id: randomUUID(),
      clientKey: t.clientKey,
      platform: 'connect',
      homeRegion: t.homeRegion,
      state: t.state ?? 'active',
      frozenByMigration: null as string | null,
      revision: 1,
      installedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    },
    size: { rows: t.rows ?? 0, objects: Math.ceil((t.rows ?? 0) / 10), bytes: t.bytes ?? 0 },
  }));
  const migrations: FakeMigration[] = [];
  const deletions = tenants
    .filter((t) => t.view.state === 'uninstalled')
    .map((t) => ({
      id: randomUUID(),
      tenantId: t.view.id,
      clientKey: t.view.clientKey,
      reason: 'uninstalled',
      state: 'pending',
      uninstalledAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
      dueAt: new Date(Date.now() + 25 * 86_400_000).toISOString(),
      attempts: 0,
      lastError: null as string | null,
      startedAt: null as string | null,
      completedAt: null as string | null,
      percent: 0,
      receipt: null as unknown,
    }));
  const audit: Static<typeof AuditEntryView>[] = [];
  let auditId = 0;

  const verify = (request: FastifyRequest): { subject: string; role: FakeOperatorRole } => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new FakeError(401, 'OPERATOR_TOKEN_MISSING', 'an operator token is required');
    const [header, payload, signature] = token.split('.');
    const expected = createHmac('sha256', options.secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature ?? '', 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new FakeError(401, 'OPERATOR_TOKEN_INVALID', 'operator token is invalid or expired');
    }
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as {
      sub?: string;
      roles?: string[];
      exp?: number;
    };
    if (!claims.exp || claims.exp * 1000 < Date.now()) {
      throw new FakeError(401, 'OPERATOR_TOKEN_INVALID', 'operator token is invalid or expired');
    }
    const role = [...FAKE_OPERATOR_ROLES].reverse().find((r) => claims.roles?.includes(r));
    if (!claims.sub || !role)
      throw new FakeError(403, 'OPERATOR_ROLE_MISSING', 'the token carries no operator role');
    return { subject: claims.sub, role };
  };

  app.decorateRequest('fakeOperator', null);
  app.addHook('onRequest', async (request) => {
    const operator = verify(request);
    (request as unknown as { fakeOperator: unknown }).fakeOperator = operator;
    const required = request.routeOptions.config?.opsRole ?? 'admin';
    if (FAKE_OPERATOR_ROLES.indexOf(operator.role) < FAKE_OPERATOR_ROLES.indexOf(required)) {
      throw new FakeError(403, 'OPERATOR_ROLE_REQUIRED', `this action needs the ${required} role`);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const operator = (request as unknown as { fakeOperator: { subject: string; role: string } | null })
      .fakeOperator;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const action = request.routeOptions.config?.opsAction;
    if (request.method !== 'GET') {
      audit.unshift({
        id: String(++auditId),
        at: now(),
        subject: operator?.subject ?? 'anonymous',
        role: operator?.role ?? 'none',
        action: action ?? `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
        target: params.id ?? params.clientKey ?? (typeof body.clientKey === 'string' ? body.clientKey : null),
        outcome:
          reply.statusCode < 400
            ? 'ok'
            : reply.statusCode === 401 || reply.statusCode === 403
              ? 'denied'
              : 'error',
        detail: { status: reply.statusCode },
      });
    }
    return payload;
  });
  app.setErrorHandler(
    (err: Error & { statusCode?: number; code?: string; validation?: unknown }, request, reply) => {
      const status =
        err instanceof FakeError ? err.statusCode : err.validation ? 400 : (err.statusCode ?? 500);
      const code =
        err instanceof FakeError ? err.code : err.validation ? 'VALIDATION_FAILED' : 'INTERNAL_ERROR';
      return reply.status(status).send({ code, message: err.message, requestId: String(request.id) });
    },
  );

  const tenantOf = (id: string) => tenants.find((t) => t.view.id === id);
  const detail = (m: FakeMigration) => ({ ...m.view, report: m.report, events: m.events });
  const move = (m: FakeMigration, to: string, detailOf: unknown = null) => {
    m.events.push({ fromState: m.view.state, toState: to, at: now(), detail: detailOf });
    m.view.state = to;
    m.view.updatedAt = now();
  };
  /** One phase further per read, like a worker that makes progress between two polls. */
  const advance = (m: FakeMigration) => {
    if (TERMINAL.has(m.view.state) || m.view.state === 'ready_to_commit') return;
    const tenant = tenantOf(m.view.tenantId)!;
    m.step += 1;
    const totals = tenant.size;
    const copyShare = Math.min(1, m.step / 6);
    const next = PHASES[Math.min(PHASES.length - 1, m.step)]!;
    if (next !== m.view.state) move(m, next);
    if (next === 'frozen') tenant.view.frozenByMigration = m.view.id;
    m.view.progress = {
      phase: next,
      rows: { done: Math.round(totals.rows * copyShare), total: totals.rows },
      objects: { done: Math.round(totals.objects * copyShare), total: totals.objects },
      bytes: { done: Math.round(totals.bytes * copyShare), total: totals.bytes },
      updatedAt: now(),
    };
    m.view.percent = next === 'ready_to_commit' ? 100 : Math.floor(copyShare * 99);
    if (next === 'ready_to_commit') {
      m.report = {
        sourceRegion: m.view.sourceRegion,
        targetRegion: m.view.targetRegion,
        rows: totals.rows,
        objects: totals.objects,
        bytes: totals.bytes,
        verified: { rowCounts: true, checksums: true },
      };
      if (m.view.autoCommit) commit(m);
    }
  };
  const commit = (m: FakeMigration) => {
    const tenant = tenantOf(m.view.tenantId)!;
    tenant.view.homeRegion = m.view.targetRegion as string;
    tenant.view.frozenByMigration = null;
    tenant.view.revision += 1;
    m.report = { ...(m.report as object), committedAt: now() };
    m.view.progress = { phase: 'committed' };
    move(m, 'committed');
  };
  const migrationOf = (id: string) => {
    const m = migrations.find((x) => x.view.id === id);
    if (!m) throw new FakeError(404, 'MIGRATION_NOT_FOUND', 'migration not found');
    return m;
  };
  const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get(
    '/tenants',
    {
      config: { opsRole: 'viewer', opsAction: 'tenants.list' },
      schema: {
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^[A-Z]{2,8}$' })),
          state: Type.Optional(Type.String()),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(TenantView), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request) => ({
      items: tenants
        .map((t) => t.view)
        .filter(
          (t) =>
            (!request.query.region || t.homeRegion === request.query.region) &&
            (!request.query.state || t.state === request.query.state),
        )
        .slice(0, request.query.limit),
      nextCursor: null,
    }),
  );

  app.get(
    '/tenants/:clientKey',
    {
      config: { opsRole: 'viewer', opsAction: 'tenants.show' },
      schema: {
        params: Type.Object({ clientKey: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: {
          200: Type.Intersect([
            TenantView,
            Type.Object({ size: Nullable(TenantSize), migrations: Type.Array(MigrationView) }),
          ]),
          ...errors,
        },
      },
    },
    async (request) => {
      const tenant = tenants.find((t) => t.view.clientKey === request.params.clientKey);
      if (!tenant) throw new FakeError(404, 'TENANT_NOT_FOUND', 'tenant not found');
      return {
        ...tenant.view,
        size: tenant.size,
        migrations: migrations.filter((m) => m.view.tenantId === tenant.view.id).map((m) => m.view),
      };
    },
  );

  app.post(
    '/migrations',
    {
      config: { opsRole: 'migrator', opsAction: 'migrations.start' },
      schema: {
        body: Type.Object({
          clientKey: Type.String({ minLength: 1, maxLength: 300 }),
          targetRegion: Type.String({ pattern: '^[A-Z]{2,8}$' }),
          autoCommit: Type.Boolean({ default: true, description: 'commit once verified' }),
        }),
        response: { 202: MigrationDetail, ...errors, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { clientKey, targetRegion, autoCommit } = request.body;
      const tenant = tenants.find((t) => t.view.clientKey === clientKey);
      if (!tenant) throw new FakeError(404, 'TENANT_NOT_FOUND', 'tenant not found');
      if (tenant.view.homeRegion === targetRegion) {
        throw new FakeError(409, 'MIGRATION_SAME_REGION', `the tenant already lives in ${targetRegion}`);
      }
      if (migrations.some((m) => m.view.tenantId === tenant.view.id && !TERMINAL.has(m.view.state))) {
        throw new FakeError(409, 'MIGRATION_CONFLICT', 'another migration of this tenant is in progress');
      }
      const operator = (request as unknown as { fakeOperator: { subject: string } }).fakeOperator;
      const at = now();
      const m: FakeMigration = {
        view: {
          id: randomUUID(),
          tenantId: tenant.view.id,
          externalId: null,
          origin: 'operator',
          sourceRegion: tenant.view.homeRegion,
          targetRegion,
          location: targetRegion,
          state: 'scheduled',
          autoCommit,
          percent: 0,
          progress: { phase: 'scheduled' },
          errorCode: null,
          errorMessage: null,
          requestedBy: operator.subject,
          deadlineAt: new Date(Date.now() + 6 * 3_600_000).toISOString(),
          cleanupDoneAt: null,
          createdAt: at,
          updatedAt: at,
        },
        step: 0,
        report: null,
        events: [{ fromState: null, toState: 'scheduled', at, detail: null }],
      };
      migrations.unshift(m);
      return reply.status(202).send(detail(m));
    },
  );

  app.get(
    '/migrations',
    {
      config: { opsRole: 'viewer', opsAction: 'migrations.list' },
      schema: {
        querystring: Type.Object({
          state: Type.Optional(Type.String()),
          clientKey: Type.Optional(Type.String({ maxLength: 300 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(MigrationView), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request) => {
      for (const m of migrations) advance(m);
      return {
        items: migrations
          .filter((m) => !request.query.state || m.view.state === request.query.state)
          .slice(0, request.query.limit)
          .map((m) => m.view),
        nextCursor: null,
      };
    },
  );

  app.get(
    '/migrations/:id',
    {
      config: { opsRole: 'viewer', opsAction: 'migrations.show' },
      schema: { params: IdParams, response: { 200: MigrationDetail, ...errors } },
    },
    async (request) => detail(migrationOf(request.params.id)),
  );

  app.post(
    '/migrations/:id/cancel',
    {
      config: { opsRole: 'migrator', opsAction: 'migrations.cancel' },
      schema: { params: IdParams, response: { 200: MigrationDetail, ...errors } },
    },
    async (request) => {
      const m = migrationOf(request.params.id);
      if (TERMINAL.has(m.view.state))
        throw new FakeError(409, 'MIGRATION_CONFLICT', `migration is ${m.view.state}`);
      const tenant = tenantOf(m.view.tenantId)!;
      tenant.view.frozenByMigration = null;
      move(m, 'cancelled');
      return detail(m);
    },
  );

  app.post(
    '/migrations/:id/commit',
    {
      config: { opsRole: 'migrator', opsAction: 'migrations.commit' },
      schema: { params: IdParams, response: { 200: MigrationDetail, ...errors } },
    },
    async (request) => {
      const m = migrationOf(request.params.id);
      if (m.view.state !== 'ready_to_commit') {
        throw new FakeError(409, 'MIGRATION_CONFLICT', `migration is ${m.view.state}, not ready_to_commit`);
      }
      commit(m);
      return detail(m);
    },
  );

  app.get(
    '/deletions',
    {
      config: { opsRole: 'viewer', opsAction: 'deletions.list' },
      schema: { response: { 200: Type.Object({ items: Type.Array(DeletionView) }), ...errors } },
    },
    async () => ({ items: deletions }),
  );

  app.post(
    '/tenants/:clientKey/purge',
    {
      config: { opsRole: 'admin', opsAction: 'deletion.purge' },
      schema: {
        params: Type.Object({ clientKey: Type.String({ minLength: 1, maxLength: 255 }) }),
        response: {
          202: Type.Object({ deletion: DeletionView, created: Type.Boolean(), enqueued: Type.Boolean() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const deletion = deletions.find((d) => d.clientKey === request.params.clientKey);
      if (!deletion) throw new FakeError(404, 'TENANT_NOT_FOUND', 'tenant not found');
      deletion.dueAt = now();
      deletion.state = 'running';
      return reply.status(202).send({ deletion, created: false, enqueued: true });
    },
  );

  app.get(
    '/audit',
    {
      config: { opsRole: 'viewer', opsAction: 'audit.list' },
      schema: {
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) }),
        response: {
          200: Type.Object({ items: Type.Array(AuditEntryView), nextCursor: Nullable(Type.String()) }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: audit.slice(0, request.query.limit), nextCursor: null }),
  );
}
