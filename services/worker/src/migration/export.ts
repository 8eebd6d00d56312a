import { Readable } from 'node:stream';
import { createRegionExportVerifier, verifyRegionBearer } from '@rt/auth';
import { BadRequest, Conflict, NotFound, type ServiceApp, Unauthorized } from '@rt/http';
import type { MigrationState } from '@rt/residency';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { WorkerDeps } from '../deps.js';
import { expectedSha256, listObjects, tenantAssetObjects } from './objects.js';
import {
  exportTenantRowDelta,
  invalidDigests,
  localDigestAlgorithm,
  MAX_BUCKETS,
  type RowDigests,
} from './rows.js';
import { fenceFrozenSource } from './write-fence.js';

/** Path prefix of the export endpoint (the public load balancer routes it to the worker). */
export const REGION_EXPORT_PREFIX = '/region-export/v1';

/**
 * Rows are pre-copied while the tenant still works (one consistent snapshot, refreshed by the
 * delta of the freeze); objects are immutable, so any time the migration needs them.
 */
const EXPORT_STATES: readonly MigrationState[] = ['pre_copying', 'frozen', 'copying', 'verifying'];

const Params = Type.Object({ migrationId: Type.String({ format: 'uuid' }) });
const ObjectList = Type.Object({
  objects: Type.Array(
    Type.Object({
      key: Type.String(),
      size: Type.Integer(),
      etag: Type.String(),
      md5: Type.Optional(Type.String()),
      mediaType: Type.Optional(Type.String()),
    }),
  ),
});

/**
 * The source region's side of a cross-region migration: the target region's worker pulls the
 * tenant's rows (NDJSON, one snapshot, only what differs from the target's copy) and object list
 * from here over HTTPS, so no region ever
 * needs another region's database credentials. A caller proves with a region-export token
 * (`@rt/auth`, own key and audience) that it is the migration's target region pulling this
 * migration; the tenant comes from the migration in the directory, never from the request, and
 * only this region's data of that tenant is served, only while the migration is in a state that
 * needs it.
 */
export async function regionExportRoutes(
  app: ServiceApp,
  opts: { deps: WorkerDeps; secret: string },
): Promise<void> {
  const { deps } = opts;
  const verify = createRegionExportVerifier(opts.secret);
  const own = deps.regions.get(deps.region);
  if (!own) throw new Error(`region-export: this worker has no database for its own region ${deps.region}`);

  const authorize = async (
    request: FastifyRequest,
    migrationId: string,
    states: readonly MigrationState[],
  ) => {
    const claims = verifyRegionBearer(request.headers.authorization, verify, 'region-export');
    if (claims.mid !== migrationId || claims.src !== deps.region || claims.iss === deps.region)
      throw new Unauthorized('REGION_TOKEN_INVALID', 'the token is for another migration or region');
    const migration = await deps.directory.migration.findUnique({ where: { id: migrationId } });
    // Another region's migration, or a direction the directory does not record, looks missing.
    if (!migration || migration.sourceRegion !== deps.region || migration.targetRegion !== claims.iss)
      throw new NotFound('migration', 'MIGRATION_NOT_FOUND');
    if (!states.includes(migration.state))
      throw new Conflict('MIGRATION_NOT_EXPORTABLE', `migration is ${migration.state}`);
    // During the freeze nothing is served before the tenant's writes are fenced here.
    await fenceFrozenSource(own.pool, migration);
    return migration;
  };

  app.get(
    `${REGION_EXPORT_PREFIX}/migrations/:migrationId/objects`,
    { config: { public: true }, schema: { params: Params, response: { 200: ObjectList } } },
    async (request) => {
      const migration = await authorize(request, request.params.migrationId, EXPORT_STATES);
      // With each object, what its asset row recorded at upload (MD5, media type): the target
      // proves its copies by them and keeps the media type.
      const [listed, { rows }] = await Promise.all([
        listObjects({ s3: own.s3, bucket: own.bucket }, migration.tenantId),
        own.pool.query<{ sha256: string; md5: string | null; media_type: string }>(
          'SELECT sha256, md5, media_type FROM assets WHERE tenant_id = $1',
          [migration.tenantId],
        ),
      ]);
      const assets = new Map(rows.map((r) => [r.sha256, r]));
      return {
        objects: [...listed].map(([key, o]) => {
          const a = assets.get(expectedSha256(key) ?? '');
          return {
            key,
            size: o.size,
            etag: o.etag,
            ...(a?.md5 ? { md5: a.md5 } : {}),
            ...(a ? { mediaType: a.media_type } : {}),
          };
        }),
      };
    },
  );

  // The objects the tenant's asset rows need (from the database, no bucket listing): during the
  // freeze the target starts copying them while the rows still move.
  app.get(
    `${REGION_EXPORT_PREFIX}/migrations/:migrationId/asset-objects`,
    { config: { public: true }, schema: { params: Params, response: { 200: ObjectList } } },
    async (request) => {
      const migration = await authorize(request, request.params.migrationId, EXPORT_STATES);
      const wanted = await tenantAssetObjects(own.pool, migration.tenantId);
      return { objects: [...wanted].map(([key, o]) => ({ key, ...o })) };
    },
  );

  // The body is what the target holds (bucket digests per table); the answer is the delta.
  app.post(
    `${REGION_EXPORT_PREFIX}/migrations/:migrationId/rows`,
    {
      config: { public: true },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        params: Params,
        body: Type.Object({
          /** How the target hashed its rows (`record-mix@<major>` or `text`); absent: `text`. */
          algorithm: Type.Optional(Type.String({ maxLength: 16 })),
          tables: Type.Record(
            Type.String({ maxLength: 64 }),
            Type.Object({
              buckets: Type.Integer({ minimum: 1, maximum: MAX_BUCKETS }),
              digests: Type.Record(Type.String({ maxLength: 8 }), Type.String({ maxLength: 96 })),
            }),
          ),
        }),
      },
    },
    async (request, reply) => {
      const migration = await authorize(request, request.params.migrationId, EXPORT_STATES);
      const held: RowDigests = request.body.tables;
      const invalid = invalidDigests(held);
      if (invalid) throw new BadRequest('ROW_DIGESTS_INVALID', invalid);
      const algorithm = request.body.algorithm ?? 'text';
      // Row hashes of another Postgres major version, or of another release's algorithm (a
      // region deployed before or after this one), are not comparable: the target retries with
      // `text`, which every release computes alike.
      if (algorithm !== 'text' && algorithm !== (await localDigestAlgorithm(own.pool)))
        throw new Conflict(
          'ROW_DIGEST_ALGORITHM',
          `this region hashes rows as ${await localDigestAlgorithm(own.pool)}`,
        );
      reply.header('content-type', 'application/x-ndjson');
      reply.header('cache-control', 'no-store');
      return reply.send(Readable.from(exportTenantRowDelta(own.pool, migration.tenantId, held, algorithm)));
    },
  );
}
