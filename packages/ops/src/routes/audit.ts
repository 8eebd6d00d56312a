import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { DirectoryDb } from '@rt/db';
import { ErrorBody } from '@rt/http';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/** One operator action as the console shows it (the audit row; ids are bigints, sent as strings). */
export const AuditEntryView = Type.Object({
  id: Type.String({ pattern: '^[0-9]+$' }),
  at: Type.String({ format: 'date-time' }),
  subject: Type.String(),
  role: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  detail: Type.Unknown(),
});

/** Options of {@link opsAuditRoutes}: what the ops plugin hands every extra route file. */
export interface OpsAuditRoutesOptions {
  directory: DirectoryDb;
}

/**
 * `GET /ops/v1/audit` (role `viewer`): the operator audit log, newest first, paged with an id
 * cursor (`before`), filterable by subject, action prefix and outcome. Register inside the ops API
 * plugin, which supplies operator auth through the route's `config.opsRole`:
 * `opsPlugin` option `routes: [opsAuditRoutes]`. The path is relative when the plugin is mounted
 * under the `/ops/v1` prefix, absolute otherwise.
 */
export async function opsAuditRoutes(fastify: FastifyInstance, opts: OpsAuditRoutesOptions): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const path = fastify.prefix.endsWith('/ops/v1') ? '/audit' : '/ops/v1/audit';
  app.get(
    path,
    {
      config: { public: true, opsRole: 'viewer', opsAction: 'audit.list' },
      schema: {
        querystring: Type.Object({
          before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'id cursor' })),
          subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'action prefix' })),
          outcome: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(AuditEntryView),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request) => {
      const { before, subject, action, outcome, limit } = request.query;
      const rows = await opts.directory.operatorAudit.findMany({
        where: {
          ...(before ? { id: { lt: BigInt(before) } } : {}),
          ...(subject ? { subject } : {}),
          ...(action ? { action: { startsWith: action } } : {}),
          ...(outcome ? { outcome } : {}),
        },
        orderBy: { id: 'desc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          id: r.id.toString(),
          at: r.at.toISOString(),
          subject: r.subject,
          role: r.role,
          action: r.action,
          target: r.target,
          outcome: r.outcome,
          detail: r.detail ?? null,
        })),
        nextCursor: rows.length > limit ? (page[page.length - 1]?.id.toString() ?? null) : null,
      };
    },
  );
}
