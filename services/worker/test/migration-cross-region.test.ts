import { createInternalTokenSigner, createRegionExportSigner } from '@rt/auth';
import { publishTenantChangedToRegions } from '@rt/directory';
import { createRedis, type Redis } from '@rt/queue';
import { MigrationCoordinator, MigrationJobs } from '@rt/residency';
import { testRedisUrl } from '@rt/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerDeps } from '../src/deps.js';
import { type RunningWorkers, startWorkers } from '../src/workers.js';
import { closeDeps, depsFromConfig, MigrationEnv, type WorkerTestConfig } from './support/migration-env.js';

/**
 * Two regions as they run on AWS: each worker holds only its own region's database, consumes
 * only its own Redis, and the regions meet only over HTTP (the export endpoint) and S3.
 */
let env: MigrationEnv;
let eu: { config: WorkerTestConfig; deps: WorkerDeps; workers: RunningWorkers };
let us: { config: WorkerTestConfig; deps: WorkerDeps; workers: RunningWorkers };
let usRedis: Redis;
let jobs: MigrationJobs;
let coordinator: MigrationCoordinator;

/** A region's worker config: the environment's, minus every other region's database URL. */
const onlyOwnDatabase = (config: WorkerTestConfig, own: 'EU' | 'US'): WorkerTestConfig => ({
  ...config,
  regions: config.regions.map((r) => (r.id === own ? r : { ...r, databaseUrl: undefined })),
  exportUrls: { ...config.exportUrls },
});

beforeAll(async () => {
  // The US region's own Redis (another database number): each region's queue is its own.
  env = await MigrationEnv.create('mxreg', { usRedisUrl: `${testRedisUrl()}/3` });
  const euConfig = onlyOwnDatabase(env.config, 'EU');
  const usConfig = onlyOwnDatabase(env.config, 'US');
  const euDeps = depsFromConfig(euConfig, 'EU');
  const usDeps = depsFromConfig(usConfig, 'US');
  // Each region's export endpoint is served by that region's own worker.
  euConfig.exportUrls.US = usConfig.exportUrls.US = await env.serveExport(usDeps);
  usConfig.exportUrls.EU = euConfig.exportUrls.EU = await env.serveExport(euDeps);
  eu = { config: euConfig, deps: euDeps, workers: await startWorkers(euDeps) };
  us = { config: usConfig, deps: usDeps, workers: await startWorkers(usDeps) };
  usRedis = createRedis(`${testRedisUrl()}/3`);
  // The hooks of the tenant's home region (US) queue each step on the region that runs it.
  jobs = new MigrationJobs(
    { connection: usRedis, prefix: env.config.prefix },
    {
      EU: { connection: env.deps.redis, prefix: env.config.prefix },
      US: { connection: usRedis, prefix: env.config.prefix },
    },
  );
  coordinator = new MigrationCoordinator({
    directory: env.directory,
    resolveLocation: (l) => env.config.regions.find((r) => r.id === l),
    jobs,
    publishTenantChanged: (tenantId) => publishTenantChangedToRegions([env.deps.redis, usRedis], tenantId),
    limits: { enabled: true, maxConcurrent: 5, maxDurationHours: 1.5 },
  });
});

afterAll(async () => {
  for (const side of [eu, us]) await side?.workers.close();
  await jobs
    ?.producerFor('US')
    .queue.obliterate({ force: true })
    .catch(() => undefined);
  await jobs
    ?.producerFor('EU')
    .queue.obliterate({ force: true })
    .catch(() => undefined);
  await jobs?.close();
  for (const side of [eu, us]) if (side) await closeDeps(side.deps);
  usRedis?.disconnect();
  await env?.close();
});

describe('cross-region migration over HTTP and S3 only', () => {
  it('the EU worker holds no US database URL, and a US → EU migration still completes', async () => {
    const usDatabaseUrl = env.config.regions.find((r) => r.id === 'US')?.databaseUrl as string;
    expect(JSON.stringify(eu.config)).not.toContain(usDatabaseUrl);
    expect(JSON.stringify(eu.config)).not.toContain(new URL(usDatabaseUrl).pathname);
    expect([...eu.deps.regions.keys()]).toEqual(['EU']);
    expect([...us.deps.regions.keys()]).toEqual(['US']);

    const t = await env.seedTenant('US', { layouts: 120, themes: 3, assets: 12 });
    const before = await env.snapshot('US', t.tenantId);
    const m = await coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'xreg-1',
      location: 'EU',
      origin: 'atlassian',
      autoCommit: false,
    });
    // Pre-copy by the EU worker: objects copied inside S3 from the US bucket.
    await env.waitFor(async () => {
      const p = (await coordinator.get(m.id))?.progress as { phase?: string } | undefined;
      return p?.phase === 'pre-copied';
    });
    expect((await env.snapshot('EU', t.tenantId)).objects).toEqual(before.objects);

    await coordinator.start((await coordinator.get(m.id))!);
    await env.waitFor(async () => {
      const s = await coordinator.status(await coordinator.get(m.id));
      expect(s.status).not.toBe('failed');
      return s.status === 'ready-to-commit';
    });
    const ready = await coordinator.get(m.id);
    expect(ready?.report).toMatchObject({ rowsTotal: t.rows, objects: t.objects, bytes: t.bytes });
    expect(await env.snapshot('EU', t.tenantId)).toEqual(before);

    await coordinator.commit(ready!);
    // The source copy is deleted by the US worker (the only one holding the US database).
    await env.waitFor(async () => (await coordinator.get(m.id))?.cleanupDoneAt);
    const usAfter = await env.snapshot('US', t.tenantId);
    expect(usAfter.rowCount).toBe(0);
    expect(usAfter.objects).toEqual([]);
    expect(await env.snapshot('EU', t.tenantId)).toEqual(before);
    expect((await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).homeRegion).toBe(
      'EU',
    );
  });

  it('the export endpoint serves only the target of a running migration, with a region-export token', async () => {
    const t = await env.seedTenant('US', { layouts: 3, themes: 1, assets: 1 });
    const m = await coordinator.schedule({
      tenantId: t.tenantId,
      externalId: 'xreg-2',
      location: 'EU',
      origin: 'atlassian',
      autoCommit: false,
    });
    const url = (path: string, id = m.id) =>
      `${us.config.exportUrls.US}/region-export/v1/migrations/${id}/${path}`;
    const sign = createRegionExportSigner(env.config.exportSecret);
    const get = (path: string, token?: string, id?: string) =>
      fetch(url(path, id), token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const good = sign({ iss: 'EU', src: 'US', mid: m.id });

    const rows = (token?: string, id?: string) =>
      fetch(url('rows', id), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ tables: {} }),
      });

    expect((await rows()).status).toBe(401);
    // The router → service token is another purpose: refused even with the right shape.
    const internal = createInternalTokenSigner(
      env.config.exportSecret,
      'service',
    )({
      tid: t.tenantId,
      reg: 'US',
      rid: 'r',
      kind: 'api',
    });
    expect((await rows(internal)).status).toBe(401);
    expect(
      (await rows(createRegionExportSigner('x'.repeat(40))({ iss: 'EU', src: 'US', mid: m.id }))).status,
    ).toBe(401);
    // Bound to one migration and one direction.
    const other = '00000000-0000-4000-8000-000000000000';
    expect((await rows(sign({ iss: 'EU', src: 'US', mid: other }), other)).status).toBe(404);
    expect((await rows(sign({ iss: 'EU', src: 'US', mid: other }))).status).toBe(401);
    expect((await rows(sign({ iss: 'US', src: 'US', mid: m.id }))).status).toBe(401);
    expect((await rows(sign({ iss: 'EU', src: 'EU', mid: m.id }))).status).toBe(401);
    await env.waitFor(async () => (await coordinator.get(m.id))?.state === 'pre_copying' || undefined);
    const objects = await get('objects', good);
    expect(objects.status).toBe(200);
    expect(((await objects.json()) as { objects: unknown[] }).objects).toHaveLength(1);
    // Bucket counts are inlined into SQL: anything but a power of two is refused.
    const odd = await fetch(url('rows'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${good}` },
      body: JSON.stringify({ tables: { layouts: { buckets: 3, digests: {} } } }),
    });
    expect(odd.status).toBe(400);
    expect(((await odd.json()) as { code: string }).code).toBe('ROW_DIGESTS_INVALID');
    // Row hashes of another Postgres major version, or of another release's algorithm, are
    // refused (the target falls back to `text`).
    for (const algorithm of ['record-mix@9', 'record@15', 'something-else']) {
      const other = await fetch(url('rows'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${good}` },
        body: JSON.stringify({ algorithm, tables: {} }),
      });
      expect(other.status).toBe(409);
      expect(((await other.json()) as { code: string }).code).toBe('ROW_DIGEST_ALGORITHM');
    }
    const delta = await rows(good);
    expect(delta.status).toBe(200);
    const lines = (await delta.text()).trim().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toHaveProperty('@checksums');
    // Once the migration is over, nothing is served.
    await coordinator.rollback((await coordinator.get(m.id))!);
    expect((await get('objects', good)).status).toBe(409);
    const after = await rows(good);
    expect(after.status).toBe(409);
    expect(((await after.json()) as { code: string }).code).toBe('MIGRATION_NOT_EXPORTABLE');
  });
});
