import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { NotFound } from '@rt/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { OpsContext } from '../plugin.js';
import { errorResponses, MigrationView, Nullable, TenantSize, TenantView } from '../schemas.js';
import { migrationView, tenantView } from '../views.js';

/** `GET /tenants`, `GET /tenants/:clientKey` (viewer). */
export async function tenantRoutes(fastify: FastifyInstance, opts: OpsContext): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/tenants',
    {
      config: { public: true, opsRole: 'viewer', opsAction: 'tenants.list' },
      schema: {
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^[A-Z]{2,8}$' })),
          state: Type.Optional(
            Type.Union(['active', 'disabled', 'uninstalled', 'deleted'].map((s) => Type.Literal(s))),
          ),
          after: Type.Optional(Type.String({ maxLength: 300, description: 'clientKey cursor' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(TenantView), nextCursor: Nullable(Type.String()) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { region, state, after, limit } = request.query;
      const rows = await opts.directory.tenant.findMany({
        where: {
          ...(region ? { homeRegion: region } : {}),
          ...(state ? { state: state as 'active' } : {}),
          ...(after ? { clientKey: { gt: after } } : {}),
        },
        orderBy: { clientKey: 'asc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map(tenantView),
        nextCursor: rows.length > limit ? (page[page.length - 1]?.clientKey ?? null) : null,
      };
    },
  );

  app.get(
    '/tenants/:clientKey',
    {
      config: { public: true, opsRole: 'viewer', opsAction: 'tenants.show' },
      schema: {
        params: Type.Object({ clientKey: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: {
          200: Type.Intersect([
            TenantView,
            Type.Object({ size: Nullable(TenantSize), migrations: Type.Array(MigrationView) }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const tenant = await opts.directory.tenant.findUnique({
        where: { clientKey: request.params.clientKey },
      });
      if (!tenant) throw new NotFound('tenant', 'TENANT_NOT_FOUND');
      const migrations = await opts.directory.migration.findMany({
        where: { tenantId: tenant.id },
        orderBy: { createdAt: 'desc' },
        take: 10,
      });
      const size = opts.tenantSize
        ? await opts.tenantSize(tenant.id, tenant.homeRegion).catch(() => null)
        : null;
      return { ...tenantView(tenant), size, migrations: migrations.map(migrationView) };
    },
  );
}
