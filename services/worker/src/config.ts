import { type CommonConfig, type Env, parseCommonConfig, parseEnv } from '@rt/config';
import { Type } from '@sinclair/typebox';

/** Worker-only variables. */
export const WorkerEnvSchema = Type.Object({
  /** Directory of the router's daily access-log files in this region (shared volume). */
  ACCESS_LOG_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** Days an access-log file (the only place with IP addresses) is kept; the promise is 14. */
  ACCESS_LOG_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 14, default: 14 }),
});

/** Configuration of the worker: the common variables (it reaches every region) plus its own. */
export interface WorkerConfig extends CommonConfig {
  accessLogDir?: string;
  accessLogRetentionDays: number;
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env): WorkerConfig {
  const common = parseCommonConfig(env, { internalToken: false });
  const own = parseEnv(WorkerEnvSchema, env);
  return {
    ...common,
    accessLogDir: own.ACCESS_LOG_DIR,
    accessLogRetentionDays: own.ACCESS_LOG_RETENTION_DAYS,
  };
}
