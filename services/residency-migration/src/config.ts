import { type CommonConfig, type Env, parseCommonConfig } from '@rt/config';
import { type MigrationLimits, migrationLimits } from '@rt/residency';

/** Configuration of the residency-migration service. */
export interface ServiceConfig extends CommonConfig {
  limits: MigrationLimits;
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env): ServiceConfig {
  return { ...parseCommonConfig(env), limits: migrationLimits(env) };
}
