import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DirectoryDb } from '@rt/db';
import { NotFound } from '@rt/http';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { getDeletion, listDeletions, purgeTenant } from './ops.js';
import { type DeletionProducer, TenantNotFound } from './schedule.js';

/** One operator action to record in the audit log. */
export interface DeletionAuditEntry {
  action: 'deletion.purge';
  target: string;
  outcome: 'ok' | 'not_found' | 'error';
  detail?: Record<string, unknown>;
}

/**
 * What the ops API plugin hands to these routes: the directory, the `deletion` producer, the
 * clock, its operator-auth guard and its audit writer.
 */
export interface DeletionRoutesDeps {
  directory: DirectoryDb;
  producer: DeletionProducer;
  now?: () => Date;
  /** A preHandler that lets only operators holding `role` through (401/403 otherwise). */
  requireRole: (role: string) => preHandlerAsyncHookHandler;
  /** Records an operator action (who is taken from the request by the ops plugin). */
  audit: (request: FastifyRequest, entry: DeletionAuditEntry) => Promise<void>;
  /** Role needed to read the schedule (default `viewer`); purging always needs `admin`. */
  readRole?: string;
}

const DeletionState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  Type.Literal('done'),
  Type.Literal('cancelled'),
]);

const ReceiptRegion = Type.Object({
  rows: Type.Integer(),
  objects: Type.Integer(),
  tables: Type.Record(Type.String(), Type.Integer()),
  done: Type.Boolean(),
});

const Receipt = Type.Object({
  clientKey: Type.String(),
  reason: Type.String(),
  uninstalledAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  startedAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Optional(Type.String({ format: 'date-time' })),
  attempts: Type.Integer(),
  regions: Type.Record(Type.String(), ReceiptRegion),
});

/** The operator view of a deletion. */
export const DeletionSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String({ format: 'uuid' }),
  clientKey: Type.String(),
  reason: Type.String(),
  state: DeletionState,
  uninstalledAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  completedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  percent: Type.Integer({ minimum: 0, maximum: 100 }),
  receipt: Type.Union([Receipt, Type.Null()]),
});

const ErrorSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
  requestId: Type.String(),
});

const ClientKey = Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' });

/**
 * `GET /ops/v1/deletions` (schedule: pending and done, with due dates), `GET
 * /ops/v1/deletions/:id` (progress) and `POST /ops/v1/tenants/:clientKey/purge` (role `admin`,
 * audited: delete now). Register inside the ops API plugin, which supplies auth and audit.
 */
export const registerDeletionRoutes: FastifyPluginAsyncTypebox<DeletionRoutesDeps> = async (app, deps) => {
  const clock = { now: deps.now ?? (() => new Date()) };
  const readGuard = deps.requireRole(deps.readRole ?? 'viewer');

  app.get(
    '/ops/v1/deletions',
    {
      preHandler: readGuard,
      schema: {
        querystring: Type.Object({
          state: Type.Optional(DeletionState),
          clientKey: Type.Optional(ClientKey),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({ items: Type.Array(DeletionSchema) }),
          401: ErrorSchema,
          403: ErrorSchema,
        },
      },
    },
    async (request) => ({ items: await listDeletions(deps.directory, request.query) }),
  );

  app.get(
    '/ops/v1/deletions/:id',
    {
      preHandler: readGuard,
      schema: {
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: DeletionSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const view = await getDeletion(deps.directory, request.params.id);
      if (!view) throw new NotFound('deletion', 'DELETION_NOT_FOUND');
      return view;
    },
  );

  app.post(
    '/ops/v1/tenants/:clientKey/purge',
    {
      preHandler: deps.requireRole('admin'),
      schema: {
        params: Type.Object({ clientKey: ClientKey }),
        response: {
          202: Type.Object({ deletion: DeletionSchema, created: Type.Boolean(), enqueued: Type.Boolean() }),
          401: ErrorSchema,
          403: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { clientKey } = request.params;
      try {
        const result = await purgeTenant(deps.directory, deps.producer, clientKey, clock);
        await deps.audit(request, {
          action: 'deletion.purge',
          target: clientKey,
          outcome: 'ok',
          detail: { deletionId: result.deletion.id, created: result.created, enqueued: result.enqueued },
        });
        return reply.status(202).send(result);
      } catch (err) {
        if (err instanceof TenantNotFound) {
          // Answered 404 TENANT_NOT_FOUND by the error handler; only the audit outcome differs.
          await deps.audit(request, { action: 'deletion.purge', target: clientKey, outcome: 'not_found' });
          throw err;
        }
        await deps.audit(request, {
          action: 'deletion.purge',
          target: clientKey,
          outcome: 'error',
          detail: { error: (err as Error).message.slice(0, 200) },
        });
        throw err;
      }
    },
  );
};
