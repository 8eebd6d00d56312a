import { createServiceApp, type ServiceApp } from '@rt/http';
import { bucketReachable } from '@rt/storage';
import type { WorkerDeps } from './deps.js';

/**
 * The worker's small HTTP side: `/healthz`, `/readyz` (directory, Redis, every region's
 * Postgres and bucket); its metrics are served on the private METRICS_PORT. It serves no tenant data.
 */
export async function buildApp(deps: WorkerDeps): Promise<ServiceApp> {
  const checks: Record<string, () => Promise<unknown>> = {
    directory: () => deps.directory.$queryRaw`SELECT 1`,
    redis: () => deps.redis.ping(),
  };
  for (const [id, r] of deps.regions) {
    checks[`postgres-${id}`] = () => r.pool.query('SELECT 1');
    checks[`s3-${id}`] = () => bucketReachable(r.s3, r.bucket);
  }
  return createServiceApp({ name: 'worker', logger: deps.logger, checks });
}
