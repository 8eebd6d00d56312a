import type { WorkerDeps } from './deps.js';
import { createMigrationContext, type MigrationTuning } from './migration/context.js';
import { createRegionRedis } from './region-redis.js';

/** What a worker is built from: its connections, settings and clock (its state is made here). */
export type WorkerResources = Omit<WorkerDeps, 'regionRedis' | 'migration'>;

/**
 * Builds a worker's deps: the resources plus the state its jobs share for the life of the process
 * (the connection to each region's Redis, the migration coordinator and queues). Called once in
 * `server.ts` (and by the tests' helpers); {@link closeWorkerState} releases that state.
 */
export function createWorkerDeps(
  resources: WorkerResources,
  options: { tuning?: Partial<MigrationTuning> } = {},
): WorkerDeps {
  const withRedis = { ...resources, regionRedis: createRegionRedis(resources) };
  return { ...withRedis, migration: createMigrationContext(withRedis, options.tuning) };
}

/** Closes the state {@link createWorkerDeps} created (not the resources it was given). */
export async function closeWorkerState(deps: WorkerDeps): Promise<void> {
  try {
    await deps.migration.close();
  } finally {
    deps.regionRedis.close();
  }
}
