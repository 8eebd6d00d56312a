import { type CommonConfig, type Env, parseCommonConfig } from '@rt/config';

/** Configuration of the asset service. */
export type ServiceConfig = CommonConfig;

/** Parses the environment; throws ConfigError naming each bad variable. */
export const loadConfig = (env: Env): ServiceConfig => parseCommonConfig(env, { redis: false });
