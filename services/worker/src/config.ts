import { type CommonConfig, type Env, parseCommonConfig } from '@rt/config';

/** Configuration of the worker: the common variables; it reaches every region. */
export type WorkerConfig = CommonConfig;

/** Parses the environment; throws ConfigError naming each bad variable. */
export const loadConfig = (env: Env): WorkerConfig => parseCommonConfig(env, { internalToken: false });
