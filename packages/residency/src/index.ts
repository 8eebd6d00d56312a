export {
  type CoordinatorDeps,
  type DareStatus,
  type Migration,
  MigrationCoordinator,
  type MigrationLimits,
  type MigrationProgress,
  moveState,
  progressPercent,
  type ScheduleInput,
} from './coordinator.js';
export { DareErrorCode, MigrationRefused, MigrationStateChanged } from './errors.js';
export { type CoordinatorRuntime, createCoordinatorRuntime } from './factory.js';
export { publishTenantChanged, TENANT_CHANGED_CHANNEL } from './invalidation.js';
export { MigrationJobs, type MigrationStep } from './jobs.js';
export { MigrationEnvSchema, migrationLimits } from './limits.js';
export {
  ABANDONED_STATES,
  ACTIVE_STATES,
  canTransition,
  FROZEN_STATES,
  type MigrationState,
  TERMINAL_STATES,
  TRANSITIONS,
} from './states.js';
