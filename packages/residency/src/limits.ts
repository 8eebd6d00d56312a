import { type Env, EnvType, parseEnv } from '@rt/config';
import { Type } from '@sinclair/typebox';
import type { MigrationLimits } from './coordinator.js';

/** Variables of migration limits, read by every process that starts migrations. */
export const MigrationEnvSchema = Type.Object({
  /** False answers every schedule with E0003 (the app does not support migrations). */
  MIGRATIONS_ENABLED: EnvType.bool(true),
  /** Cap on migrations in progress across all tenants; beyond it schedule answers E0004. */
  MAX_CONCURRENT_MIGRATIONS: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  /** Connect descriptor `maxMigrationDurationHours`: a copy not ready by then fails (E9999). */
  MAX_MIGRATION_DURATION_HOURS: Type.Integer({ minimum: 1, maximum: 72, default: 2 }),
});

/** Parses {@link MigrationEnvSchema}; throws ConfigError naming each bad variable. */
export function migrationLimits(env: Env): MigrationLimits {
  const v = parseEnv(MigrationEnvSchema, env);
  return {
    enabled: v.MIGRATIONS_ENABLED,
    maxConcurrent: v.MAX_CONCURRENT_MIGRATIONS,
    maxDurationHours: v.MAX_MIGRATION_DURATION_HOURS,
  };
}
