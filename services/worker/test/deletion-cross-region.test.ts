import { createRegionDeletionSigner, createRegionExportSigner } from '@rt/auth';
import type { DeletionReceipt } from '@rt/deletion';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerDeps } from '../src/deps.js';
import { deletionJob } from '../src/jobs/deletion.js';
import { closeDeps, depsFromConfig, MigrationEnv, type WorkerTestConfig } from './support/migration-env.js';
import { countObjects, countRows, type SeedShape, seedTenant } from './support/world.js';

/**
 * Deletion in every region as it runs on AWS: each worker holds only its own region's database
 * and bucket; the tenant's home-region worker deletes there and asks the other region's worker
 * (over its region-deletion endpoint) to delete the leftover copy.
 */
let env: MigrationEnv;
let eu: { config: WorkerTestConfig; deps: WorkerDeps; url: string };
let us: { config: WorkerTestConfig; deps: WorkerDeps };
const noJob = {} as Job;
const LEFTOVER: SeedShape = {
  layouts: 3,
  revisionsPerLayout: 1,
  themes: 1,
  spaceThemes: 1,
  assets: 4,
  references: 2,
};

const onlyOwnDatabase = (config: WorkerTestConfig, own: 'EU' | 'US'): WorkerTestConfig => ({
  ...config,
  regions: config.regions.map((r) => (r.id === own ? r : { ...r, databaseUrl: undefined })),
  exportUrls: { ...config.exportUrls },
});

beforeAll(async () => {
  env = await MigrationEnv.create('delx');
  const euConfig = onlyOwnDatabase(env.config, 'EU');
  const usConfig = onlyOwnDatabase(env.config, 'US');
  const euDeps = depsFromConfig(euConfig, 'EU');
  const usDeps = depsFromConfig(usConfig, 'US');
  const euUrl = await env.serveExport(euDeps);
  usConfig.exportUrls.EU = euUrl;
  eu = { config: euConfig, deps: euDeps, url: euUrl };
  us = { config: usConfig, deps: usDeps };
});

afterAll(async () => {
  for (const side of [eu, us]) if (side) await closeDeps(side.deps);
  await env?.close();
});

/** A US tenant (home data) with leftover rows and objects in EU, uninstalled 31 days ago. */
async function uninstalledTenant() {
  const t = await env.seedTenant('US', { layouts: 5, themes: 2, assets: 3 });
  const leftover = await seedTenant(env.region('EU'), t.tenantId, LEFTOVER);
  const uninstalledAt = new Date(Date.now() - 31 * 24 * 3600 * 1000);
  await env.directory.tenant.update({
    where: { id: t.tenantId },
    data: { state: 'uninstalled', uninstalledAt },
  });
  const deletion = await env.directory.deletion.create({
    data: {
      tenantId: t.tenantId,
      clientKey: t.clientKey,
      reason: 'uninstalled',
      uninstalledAt,
      dueAt: new Date(uninstalledAt.getTime() + 30 * 24 * 3600 * 1000),
    },
  });
  return { ...t, leftover, deletion };
}

async function left(tenantId: string) {
  const out: Record<string, { rows: number; objects: number }> = {};
  for (const id of ['EU', 'US'] as const) {
    const r = env.region(id);
    out[id] = {
      rows: await countRows(r.pool, tenantId),
      objects: await countObjects(r.s3, r.bucket, tenantId),
    };
  }
  return out;
}

const deleteRequest = (deletionId: string, token?: string) =>
  fetch(`${eu.url}/region-export/v1/deletions/${deletionId}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('deletion in every region, each region deleting its own copy', () => {
  it('the US worker deletes in US and has EU delete its leftovers; retried while EU is down', async () => {
    expect([...us.deps.regions.keys()]).toEqual(['US']);
    const t = await uninstalledTenant();

    // EU unreachable: US is deleted, the deletion stays running (never done) with the error.
    us.config.exportUrls.EU = 'http://127.0.0.1:9';
    await expect(deletionJob(us.deps, { deletionId: t.deletion.id }, noJob)).rejects.toThrow(/EU/);
    const stuck = await env.directory.deletion.findUniqueOrThrow({ where: { id: t.deletion.id } });
    expect(stuck).toMatchObject({ state: 'running', attempts: 1 });
    expect(stuck.lastError).toContain('EU');
    expect((stuck.receipt as unknown as DeletionReceipt).regions.EU?.done).toBe(false);
    expect(await left(t.tenantId)).toEqual({ US: { rows: 0, objects: 0 }, EU: t.leftover });
    expect((await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).state).toBe(
      'uninstalled',
    );

    // EU back: the retry (BullMQ or the sweeper) finishes it, with both regions' counts.
    us.config.exportUrls.EU = eu.url;
    expect(await deletionJob(us.deps, { deletionId: t.deletion.id }, noJob)).toMatchObject({
      status: 'done',
    });
    expect(await left(t.tenantId)).toEqual({ US: { rows: 0, objects: 0 }, EU: { rows: 0, objects: 0 } });
    const row = await env.directory.deletion.findUniqueOrThrow({ where: { id: t.deletion.id } });
    expect(row).toMatchObject({ state: 'done', attempts: 2, lastError: null });
    expect((row.receipt as unknown as DeletionReceipt).regions).toMatchObject({
      US: { rows: t.rows, objects: t.objects, done: true },
      EU: { rows: t.leftover.rows, objects: t.leftover.objects, done: true },
    });
    expect(JSON.stringify(row.receipt)).not.toContain('atlassian.net');
    expect(await env.directory.tenant.findUniqueOrThrow({ where: { id: t.tenantId } })).toMatchObject({
      state: 'deleted',
      sharedSecretEnc: null,
    });
  });

  it('the deletion endpoint takes only a deletion token for this deletion, direction and a live deletion', async () => {
    const t = await uninstalledTenant();
    await env.directory.deletion.update({ where: { id: t.deletion.id }, data: { state: 'running' } });
    const sign = createRegionDeletionSigner(env.config.exportSecret);
    const other = (await uninstalledTenant()).deletion.id;

    expect((await deleteRequest(t.deletion.id)).status).toBe(401);
    // A migration token of the same key is another purpose.
    const migration = createRegionExportSigner(env.config.exportSecret)({
      iss: 'US',
      src: 'EU',
      mid: t.deletion.id,
    });
    expect((await deleteRequest(t.deletion.id, migration)).status).toBe(401);
    // Bound to one deletion and one direction.
    expect((await deleteRequest(t.deletion.id, sign({ iss: 'US', dst: 'EU', did: other }))).status).toBe(401);
    expect(
      (await deleteRequest(t.deletion.id, sign({ iss: 'US', dst: 'US', did: t.deletion.id }))).status,
    ).toBe(401);
    expect(
      (await deleteRequest(t.deletion.id, sign({ iss: 'EU', dst: 'EU', did: t.deletion.id }))).status,
    ).toBe(401);
    // EU is not the tenant's home: a request claiming so finds no such deletion.
    const fromWrongHome = createRegionDeletionSigner(env.config.exportSecret)({
      iss: 'DE',
      dst: 'EU',
      did: t.deletion.id,
    });
    expect((await deleteRequest(t.deletion.id, fromWrongHome)).status).toBe(404);
    // Not yet claimed by the home region (pending): refused.
    const pending = await deleteRequest(other, sign({ iss: 'US', dst: 'EU', did: other }));
    expect(pending.status).toBe(409);
    expect(((await pending.json()) as { code: string }).code).toBe('DELETION_NOT_RUNNING');

    // A reinstall cancelled it: refused, nothing deleted.
    await env.directory.tenant.update({ where: { id: t.tenantId }, data: { state: 'active' } });
    await env.directory.deletion.update({ where: { id: t.deletion.id }, data: { state: 'cancelled' } });
    const good = sign({ iss: 'US', dst: 'EU', did: t.deletion.id });
    const cancelled = await deleteRequest(t.deletion.id, good);
    expect(cancelled.status).toBe(409);
    expect(((await cancelled.json()) as { code: string }).code).toBe('DELETION_CANCELLED');
    // Reinstalled but the cancel was lost: still refused.
    await env.directory.deletion.update({ where: { id: t.deletion.id }, data: { state: 'running' } });
    const active = await deleteRequest(t.deletion.id, good);
    expect(active.status).toBe(409);
    expect(((await active.json()) as { code: string }).code).toBe('TENANT_ACTIVE');
    expect((await left(t.tenantId)).EU).toEqual(t.leftover);

    // Uninstalled again and running: deleted, and a repeated request answers the same totals.
    await env.directory.tenant.update({ where: { id: t.tenantId }, data: { state: 'uninstalled' } });
    const first = await deleteRequest(t.deletion.id, good);
    expect(first.status).toBe(200);
    const answer = { region: 'EU', rows: t.leftover.rows, objects: t.leftover.objects, done: true };
    expect(await first.json()).toMatchObject(answer);
    const again = await deleteRequest(t.deletion.id, sign({ iss: 'US', dst: 'EU', did: t.deletion.id }));
    expect(await again.json()).toMatchObject(answer);
    expect((await left(t.tenantId)).EU).toEqual({ rows: 0, objects: 0 });
  });
});
