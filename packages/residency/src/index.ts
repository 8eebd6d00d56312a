// Limits are owned by @rt/config (one schema for hooks, ops API, descriptor and manifest).
export { MigrationEnvSchema, type MigrationLimits, migrationLimits } from '@rt/config';
export {
  type CoordinatorDeps,
  type DareStatus,
  MIGRATION_TIMING,
  type Migration,
  MigrationCoordinator,
  type MigrationProgress,
  type MigrationProgressDetail,
  progressPercent,
  type ScheduleInput,
  WORKER_PHASES,
  type WorkerPhase,
} from './coordinator.js';
export { DareErrorCode, MigrationRefused, MigrationStateChanged } from './errors.js';
export { type CoordinatorRuntime, createCoordinatorRuntime } from './factory.js';
export { MigrationJobs, type MigrationStep, stepRegion } from './jobs.js';
export {
  ABANDONED_STATES,
  ACTIVE_STATES,
  canTransition,
  FROZEN_STATES,
  type MigrationState,
  TERMINAL_STATES,
  TRANSITIONS,
} from './states.js';
