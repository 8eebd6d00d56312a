import { runMigrationStep } from '../migration/pipeline.js';
import type { JobHandler } from './index.js';

/** `migration` queue: one step of a data-residency migration (see migration/pipeline.ts). */
export const migrationJob: JobHandler<'migration'> = (deps, payload, job) =>
  runMigrationStep(deps, payload, job);
