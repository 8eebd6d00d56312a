import { createServiceApp, type ServiceApp } from '@rt/http';
import { bucketReachable } from '@rt/storage';
import type { WorkerDeps } from './deps.js';
import { regionExportRoutes } from './migration/export.js';
import { registerQueueMetrics } from './queue-metrics.js';
import { regionDeletionRoutes } from './region-deletion.js';
import type { RunningWorkers } from './workers.js';

/**
 * The worker's small HTTP side: `/healthz`, `/readyz` (directory, Redis, its region's Postgres
 * and bucket), the region-export endpoint of migrations (`migration/export.ts`): the only
 * tenant data it serves, to the target region of a migration, behind a region-export token — and
 * the region-deletion endpoint (`region-deletion.ts`) a tenant's home region asks to delete the
 * tenant's copy here, behind a region-deletion token. Its
 * metrics — per-queue job counts and run times included — are served on the private
 * METRICS_PORT.
 */
export async function buildApp(
  deps: WorkerDeps,
  running: Pick<RunningWorkers, 'workers'> = { workers: [] },
): Promise<ServiceApp> {
  const checks: Record<string, () => Promise<unknown>> = {
    directory: () => deps.directory.$queryRaw`SELECT 1`,
    redis: () => deps.redis.ping(),
  };
  for (const [id, r] of deps.regions) {
    checks[`postgres-${id}`] = () => r.pool.query('SELECT 1');
    checks[`s3-${id}`] = () => bucketReachable(r.s3, r.bucket);
  }
  const app = createServiceApp({ name: 'worker', logger: deps.logger, checks });
  await app.register(async (instance) => {
    const queueMetrics = registerQueueMetrics(instance.metrics, deps, running.workers);
    instance.addHook('onClose', () => queueMetrics.close());
  });
  // The export endpoint other regions' workers pull a migrating tenant from, and the deletion
  // endpoint a tenant's home region asks to delete the tenant here (each its own token).
  if (deps.regionExport?.exportSecret) {
    await app.register(regionExportRoutes, { deps, secret: deps.regionExport.exportSecret });
    await app.register(regionDeletionRoutes, { deps, secret: deps.regionExport.exportSecret });
  }
  return app;
}
