import { type CommonConfig, type Env, EnvType, parseCommonConfig, parseEnv } from '@rt/config';
import type { MigrationLimits } from '@rt/residency';
import { Type } from '@sinclair/typebox';

/** Variables of the residency-migration service. */
export const MigrationEnvSchema = Type.Object({
  /** False answers every schedule with E0003 (the app does not support migrations). */
  MIGRATIONS_ENABLED: EnvType.bool(true),
  /** Cap on migrations in progress across all tenants; beyond it schedule answers E0004. */
  MAX_CONCURRENT_MIGRATIONS: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  /** Connect descriptor `maxMigrationDurationHours`: a copy not ready by then fails (E9999). */
  MAX_MIGRATION_DURATION_HOURS: Type.Integer({ minimum: 1, maximum: 72, default: 2 }),
});

/** Configuration of the residency-migration service. */
export interface ServiceConfig extends CommonConfig {
  limits: MigrationLimits;
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env): ServiceConfig {
  const common = parseCommonConfig(env);
  const v = parseEnv(MigrationEnvSchema, env);
  return {
    ...common,
    limits: {
      enabled: v.MIGRATIONS_ENABLED,
      maxConcurrent: v.MAX_CONCURRENT_MIGRATIONS,
      maxDurationHours: v.MAX_MIGRATION_DURATION_HOURS,
    },
  };
}
