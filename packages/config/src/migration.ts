import { Type } from '@sinclair/typebox';
import { type Env, EnvType, parseEnv } from './env.js';

/**
 * Limits of data-residency migrations. One owner for every process that needs them: the hooks
 * and the operator API enforce them, the Connect descriptor (`dataResidency`) and the Forge
 * manifest (`migration:dataResidency`) declare the same `maxMigrationDurationHours`.
 */
export interface MigrationLimits {
  /** False answers every schedule with E0003 (migrations not supported). */
  enabled: boolean;
  /** Cap on migrations in an active state across all tenants (E0004 beyond it). */
  maxConcurrent: number;
  /**
   * Atlassian's `maxMigrationDurationHours`: the copy must be ready to commit within this many
   * hours after `/start` (never counted from `/schedule`).
   */
  maxDurationHours: number;
}

/**
 * Atlassian accepts `maxMigrationDurationHours` from 0.5 to 24 in steps of 0.5. Apps that
 * declare 1.5 h or less are migrated together with the product's own migration; longer ones are
 * scheduled with a lead time of days. 1.5 keeps the app moving with Confluence.
 * https://developer.atlassian.com/cloud/confluence/data-residency/
 * https://developer.atlassian.com/platform/forge/remote/remote-realm-migration
 */
export const MAX_MIGRATION_DURATION = { minimum: 0.5, maximum: 24, step: 0.5, default: 1.5 } as const;

/** Variables of migration limits, read by every process that starts or declares migrations. */
export const MigrationEnvSchema = Type.Object({
  /** False answers every schedule with E0003 (the app does not support migrations). */
  MIGRATIONS_ENABLED: EnvType.bool(true),
  /** Cap on migrations in progress across all tenants; beyond it schedule answers E0004. */
  MAX_CONCURRENT_MIGRATIONS: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  /** Descriptor/manifest `maxMigrationDurationHours` (0.5–24, half hours): start → ready budget. */
  MAX_MIGRATION_DURATION_HOURS: Type.Number({
    minimum: MAX_MIGRATION_DURATION.minimum,
    maximum: MAX_MIGRATION_DURATION.maximum,
    multipleOf: MAX_MIGRATION_DURATION.step,
    default: MAX_MIGRATION_DURATION.default,
  }),
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
