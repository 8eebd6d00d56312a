import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFound } from '@rt/http';
import type { Migration } from '@rt/residency';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { OpsContext } from '../plugin.js';
import { errorResponses, MigrationDetail, MigrationView, Nullable } from '../schemas.js';
import { migrationDetail, migrationView } from '../views.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const STATES = [
  'scheduled',
  'pre_copying',
  'frozen',
  'copying',
  'verifying',
  'ready_to_commit',
  'committed',
  'failed',
  'rolled_back',
  'cancelled',
] as const;

/** Migration routes: start (migrator), list/show (viewer), cancel/commit (migrator). */
export async function migrationRoutes(fastify: FastifyInstance, opts: OpsContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { directory, coordinator } = opts;
  const load = async (id: string): Promise<Migration> => {
    const m = await coordinator.get(id);
    if (!m) throw new NotFound('migration', 'MIGRATION_NOT_FOUND');
    return m;
  };
  const detail = async (id: string) => {
    const m = await load(id);
    const events = await directory.migrationEvent.findMany({
      where: { migrationId: id },
      orderBy: { id: 'asc' },
    });
    return migrationDetail(m, events);
  };

  app.post(
    '/migrations',
    {
      config: { public: true, opsRole: 'migrator', opsAction: 'migrations.start' },
      schema: {
        body: Type.Object({
          clientKey: Type.String({ minLength: 1, maxLength: 300 }),
          targetRegion: Type.String({ pattern: '^[A-Z]{2,8}$' }),
          autoCommit: Type.Boolean({ default: true, description: 'commit once verified' }),
        }),
        response: { 202: MigrationDetail, ...errorResponses, 429: errorResponses[409] },
      },
    },
    async (request, reply) => {
      const { clientKey, targetRegion, autoCommit } = request.body;
      const tenant = await directory.tenant.findUnique({ where: { clientKey } });
      if (!tenant) throw new NotFound('tenant', 'TENANT_NOT_FOUND');
      // The same pipeline as Atlassian's hooks: schedule (pre-copy) then start at once. A
      // refusal (MigrationRefused) is answered by the error handler: MIGRATION_REFUSED_E000x.
      const scheduled = await coordinator.schedule({
        tenantId: tenant.id,
        externalId: null,
        location: targetRegion,
        origin: 'operator',
        autoCommit,
        requestedBy: request.operator?.subject,
      });
      const started = await coordinator.start(scheduled);
      return reply.status(202).send(await detail(started.id));
    },
  );

  app.get(
    '/migrations',
    {
      config: { public: true, opsRole: 'viewer', opsAction: 'migrations.list' },
      schema: {
        querystring: Type.Object({
          state: Type.Optional(Type.Union(STATES.map((s) => Type.Literal(s)))),
          clientKey: Type.Optional(Type.String({ maxLength: 300 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(MigrationView), nextCursor: Nullable(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { state, clientKey, limit } = request.query;
      const items = await directory.migration.findMany({
        where: { ...(state ? { state } : {}), ...(clientKey ? { tenant: { clientKey } } : {}) },
        orderBy: { createdAt: 'desc' },
        take: limit,
      });
      return { items: items.map(migrationView), nextCursor: null };
    },
  );

  app.get(
    '/migrations/:id',
    {
      config: { public: true, opsRole: 'viewer', opsAction: 'migrations.show' },
      schema: { params: IdParams, response: { 200: MigrationDetail, ...errorResponses } },
    },
    async (request) => detail(request.params.id),
  );

  app.post(
    '/migrations/:id/cancel',
    {
      config: { public: true, opsRole: 'migrator', opsAction: 'migrations.cancel' },
      schema: { params: IdParams, response: { 200: MigrationDetail, ...errorResponses } },
    },
    async (request) => {
      const m = await load(request.params.id);
      await coordinator.rollback(m, 'cancelled', `cancelled by operator ${request.operator?.subject}`);
      return detail(m.id);
    },
  );

  app.post(
    '/migrations/:id/commit',
    {
      config: { public: true, opsRole: 'migrator', opsAction: 'migrations.commit' },
      schema: { params: IdParams, response: { 200: MigrationDetail, ...errorResponses } },
    },
    async (request) => {
      const m = await load(request.params.id);
      await coordinator.commit(m);
      return detail(m.id);
    },
  );
}
