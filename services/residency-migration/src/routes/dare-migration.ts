import type { ServiceApp } from '@rt/http';
import { type Migration, type MigrationCoordinator, MigrationRefused } from '@rt/residency';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';

/**
 * Atlassian's Connect data-residency migration hooks (`lifecycle.dare-migration`):
 * https://developer.atlassian.com/cloud/confluence/data-residency/ — schedule, start, status,
 * commit, rollback. The router verified the tenant's Connect JWT (computed qsh) and forwards
 * with the internal token, so the tenant is `request.tenant.tenantId`. Atlassian retries every
 * non-2xx answer, so each hook is idempotent per migrationId.
 */

const MigrationId = Type.String({ minLength: 1, maxLength: 200 });
const Timestamp = Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601 time' });

const WindowBody = Type.Object({
  startTime: Timestamp,
  endTime: Timestamp,
  location: Type.String({ minLength: 1, maxLength: 16 }),
  migrationId: MigrationId,
});
const IdBody = Type.Object({ migrationId: MigrationId });
const StatusQuery = Type.Object({ migrationId: MigrationId });

const Accepted = Type.Object({
  migrationId: Type.String(),
  state: Type.String(),
});
const Refused = Type.Object({
  status: Type.Literal('failed'),
  errorResponseCode: Type.String(),
  code: Type.String(),
  message: Type.String(),
});
const StatusAnswer = Type.Union([
  Type.Object({ status: Type.Literal('ready-to-commit') }),
  Type.Object({ status: Type.Literal('failed'), errorResponseCode: Type.String() }),
  Type.Object({ status: Type.Literal('in-progress'), progress: Type.Integer() }),
]);
const ErrorBody = Type.Object({ code: Type.String(), message: Type.String(), requestId: Type.String() });
const responses = {
  200: Accepted,
  400: Type.Union([Refused, ErrorBody]),
  404: Refused,
  409: Refused,
  429: Refused,
};

const accepted = (m: Migration) => ({ migrationId: m.externalId ?? m.id, state: m.state });

const parseTime = (value: string): Date | undefined => {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

/** Answers a refusal with Atlassian's `errorResponseCode` (and our stable `code`). */
async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof MigrationRefused) {
      return reply.status(err.statusCode).send({
        status: 'failed',
        errorResponseCode: err.errorResponseCode,
        code: err.errorResponseCode,
        message: err.message,
      } satisfies Static<typeof Refused>);
    }
    throw err;
  }
}

const notScheduled = () => new MigrationRefused('E0001', 'no such migration was scheduled', 404);

/** Registers `/dare-migration/{schedule,start,status,commit,rollback}`. */
export async function dareMigrationRoutes(
  app: ServiceApp,
  opts: { coordinator: MigrationCoordinator },
): Promise<void> {
  const { coordinator } = opts;

  app.post(
    '/dare-migration/schedule',
    { schema: { body: WindowBody, response: responses } },
    async (request, reply) =>
      answer(reply, async () => {
        const { startTime, endTime, location, migrationId } = request.body;
        const windowStart = parseTime(startTime);
        const windowEnd = parseTime(endTime);
        if (!windowStart || !windowEnd || windowEnd <= windowStart) {
          throw new MigrationRefused(
            'E9999',
            'startTime/endTime must be ISO times with end after start',
            400,
          );
        }
        const m = await coordinator.schedule({
          tenantId: request.tenant.tenantId,
          externalId: migrationId,
          location,
          windowStart,
          windowEnd,
          origin: 'atlassian',
          autoCommit: false,
        });
        return accepted(m);
      }),
  );

  app.post(
    '/dare-migration/start',
    { schema: { body: WindowBody, response: responses } },
    async (request, reply) =>
      answer(reply, async () => {
        const m = await coordinator.findByExternalId(request.tenant.tenantId, request.body.migrationId);
        if (!m) throw notScheduled();
        return accepted(await coordinator.start(m));
      }),
  );

  app.get(
    '/dare-migration/status',
    { schema: { querystring: StatusQuery, response: { 200: StatusAnswer } } },
    async (request) =>
      coordinator.status(
        await coordinator.findByExternalId(request.tenant.tenantId, request.query.migrationId),
      ),
  );

  app.post(
    '/dare-migration/commit',
    { schema: { body: IdBody, response: responses } },
    async (request, reply) =>
      answer(reply, async () => {
        const m = await coordinator.findByExternalId(request.tenant.tenantId, request.body.migrationId);
        if (!m) throw notScheduled();
        return accepted(await coordinator.commit(m));
      }),
  );

  app.post(
    '/dare-migration/rollback',
    { schema: { body: IdBody, response: responses } },
    async (request, reply) =>
      answer(reply, async () => {
        const m = await coordinator.findByExternalId(request.tenant.tenantId, request.body.migrationId);
        // Nothing was scheduled, so nothing to roll back: harmless, and Atlassian stops retrying.
        if (!m) return { migrationId: request.body.migrationId, state: 'rolled_back' };
        return accepted(await coordinator.rollback(m, 'rolled_back', 'atlassian rollback'));
      }),
  );
}
