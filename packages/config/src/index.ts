export {
  type CommonConfig,
  CommonEnvSchema,
  type CommonNeeds,
  type OwnRegionSettings,
  parseCommonConfig,
} from './common.js';
export { type Env, EnvType, loadConfigOrExit, parseEnv, withAssembledUrls } from './env.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export {
  MAX_MIGRATION_DURATION,
  MigrationEnvSchema,
  type MigrationLimits,
  migrationLimits,
} from './migration.js';
export { copyEtagIsMd5, ObjectStoreEnvSchema } from './object-store.js';
export {
  type PublicRegionTable,
  parsePublicRegions,
  parseRegions,
  Region,
  type RegionId,
  type RegionSettings,
  type RegionTable,
} from './regions.js';
export {
  assertProductionSecrets,
  isProduction,
  KEY_SECRETS,
  MIN_SECRET_BITS,
  productionSecretIssues,
} from './secrets.js';
