import { ErrorBody, type ServiceApp } from '@rt/http';
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

/**
 * Atlassian's migrationId: its documented example is a number (`"migrationId": 12345` in JSON
 * bodies, `?migrationId=12345` in the status query), so a JSON number and a string are both
 * accepted and normalised to the string we store.
 */
const MigrationId = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
]);
const idOf = (id: string | number): string => String(id);
const Timestamp = Type.String({ minLength: 1, maxLength: 64, description: 'ISO 8601 time' });

const WindowBody = Type.Object({
  startTime: Timestamp,
  endTime: Timestamp,
  location: Type.String({ minLength: 1, maxLength: 16 }),
  migrationId: MigrationId,
});
const IdBody = Type.Object({ migrationId: MigrationId });
/** `migrationId` is optional on `/status`: without it we answer for the tenant's current migration. */
const StatusQuery = Type.Object({ migrationId: Type.Optional(Type.String({ maxLength: 200 })) });

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
const Counter = Type.Object({ done: Type.Integer(), total: Type.Integer() });
const StatusAnswer = Type.Union([
  Type.Object({ status: Type.Literal('ready-to-commit') }),
  Type.Object({ status: Type.Literal('failed'), errorResponseCode: Type.String() }),
  Type.Object({
    status: Type.Literal('in-progress'),
    progress: Type.Integer({ minimum: 0, maximum: 100 }),
    /** For people watching the migration: phase, rows, objects, bytes done and the ETA. */
    detail: Type.Optional(
      Type.Object({
        state: Type.String(),
        phase: Type.Optional(Type.String()),
        rows: Type.Optional(Counter),
        objects: Type.Optional(Counter),
        bytes: Type.Optional(Counter),
        etaSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
    ),
  }),
]);
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

/**
 * Answers a refusal in Atlassian's shape: `errorResponseCode` (and our stable `code`) beside
 * `status: "failed"`. This is the hooks' contract with Atlassian, not our error body, so it is
 * the one place a {@link MigrationRefused} is not answered by `@rt/http`'s error handler.
 */
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
          externalId: idOf(migrationId),
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
        const m = await coordinator.findByExternalId(request.tenant.tenantId, idOf(request.body.migrationId));
        if (!m) throw notScheduled();
        return accepted(await coordinator.start(m));
      }),
  );

  // Any non-2xx answer to a status poll makes Atlassian roll the migration back, so a
  // well-formed call is always answered 200 — an unknown id is `failed`/E0001, not a 404.
  app.get(
    '/dare-migration/status',
    { schema: { querystring: StatusQuery, response: { 200: StatusAnswer } } },
    async (request) => {
      const { tenantId } = request.tenant;
      const id = request.query.migrationId;
      return coordinator.status(
        id ? await coordinator.findByExternalId(tenantId, id) : await coordinator.currentFor(tenantId),
      );
    },
  );

  app.post(
    '/dare-migration/commit',
    { schema: { body: IdBody, response: responses } },
    async (request, reply) =>
      answer(reply, async () => {
        const m = await coordinator.findByExternalId(request.tenant.tenantId, idOf(request.body.migrationId));
        if (!m) throw notScheduled();
        return accepted(await coordinator.commit(m));
      }),
  );

  app.post(
    '/dare-migration/rollback',
    { schema: { body: IdBody, response: responses } },
    async (request, reply) =>
      answer(reply, async () => {
        const m = await coordinator.findByExternalId(request.tenant.tenantId, idOf(request.body.migrationId));
        // Nothing was scheduled, so nothing to roll back: harmless, and Atlassian stops retrying.
        if (!m) return { migrationId: idOf(request.body.migrationId), state: 'rolled_back' };
        return accepted(await coordinator.rollback(m, 'rolled_back', 'atlassian rollback'));
      }),
  );
}
