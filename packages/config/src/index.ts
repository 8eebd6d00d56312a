export { type CommonConfig, CommonEnvSchema, parseCommonConfig } from './common.js';
export { type Env, EnvType, loadConfigOrExit, parseEnv } from './env.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export { parseRegions, Region, type RegionId, type RegionSettings, type RegionTable } from './regions.js';
