import { type CommonConfig, type Env, parseCommonConfig } from '@rt/config';
import { parsePermissionServiceConfig } from '@rt/confluence';

/** Configuration of this service. */
export interface ServiceConfig extends CommonConfig {
  /** This region's router, which answers permission questions (ROUTER_INTERNAL_URL). */
  routerInternalUrl: string;
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export const loadConfig = (env: Env): ServiceConfig => ({
  ...parseCommonConfig(env, { redis: false }),
  routerInternalUrl: parsePermissionServiceConfig(env).routerUrl,
});
