import {
  type CommonConfig,
  ConfigError,
  copyEtagIsMd5,
  type Env,
  EnvType,
  parseCommonConfig,
  parseEnv,
} from '@rt/config';
import { Type } from '@sinclair/typebox';

/** Worker-only variables. */
export const WorkerEnvSchema = Type.Object({
  /** Directory of the router's daily access-log files in this region (shared volume). */
  ACCESS_LOG_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** Days an access-log file (the only place with IP addresses) is kept; the promise is 14. */
  ACCESS_LOG_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 14, default: 14 }),
  /**
   * Key of the region-export and region-deletion tokens (≥ 32 chars, the same in every region):
   * this worker signs them to pull a migrating tenant from another region or to have another
   * region delete a tenant homed here, and verifies them on its own endpoints. Unset: this worker
   * neither serves nor pulls cross-region migrations, and a deletion of a tenant homed here stays
   * `running` while a region whose database it does not hold is configured.
   */
  REGION_EXPORT_SECRET: Type.Optional(EnvType.secret(32)),
});

/** Configuration of the worker: the common variables (it reaches every region) plus its own. */
export interface WorkerConfig extends CommonConfig {
  accessLogDir?: string;
  accessLogRetentionDays: number;
  /** Cross-region migration transport: the token key and each other region's export URL. */
  migration: { exportSecret?: string; exportUrls: Record<string, string> };
  /** `S3_COPY_ETAG_IS_MD5` (`@rt/config`'s ObjectStoreEnvSchema). */
  copyEtagIsMd5: boolean;
}

/**
 * `REGION_<R>_EXPORT_URL` of each other region: where its worker's export endpoint answers
 * (on AWS the region's public host, whose load balancer routes `/region-export/*` to the worker;
 * default `REGION_<R>_BASE_URL`).
 */
function exportUrls(env: Env, common: CommonConfig): Record<string, string> {
  const urls: Record<string, string> = {};
  const issues: { variable: string; problem: string }[] = [];
  for (const r of common.regions.regions) {
    if (r.id === common.region.id) continue;
    const variable = `REGION_${r.id}_EXPORT_URL`;
    const url = (env[variable] || r.baseUrl || '').replace(/\/+$/, '');
    if (!/^https?:\/\/[^/]+/.test(url)) issues.push({ variable, problem: 'must be an http(s) URL' });
    else urls[r.id] = url;
  }
  if (issues.length) throw new ConfigError(issues);
  return urls;
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: Env): WorkerConfig {
  const common = parseCommonConfig(env, { internalToken: false });
  const own = parseEnv(WorkerEnvSchema, env);
  return {
    ...common,
    accessLogDir: own.ACCESS_LOG_DIR,
    accessLogRetentionDays: own.ACCESS_LOG_RETENTION_DAYS,
    migration: { exportSecret: own.REGION_EXPORT_SECRET, exportUrls: exportUrls(env, common) },
    copyEtagIsMd5: copyEtagIsMd5(env),
  };
}
