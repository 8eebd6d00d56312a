import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError, type ConfigIssue } from './errors.js';

/** The process environment (or a test's stand-in for it). */
export type Env = Record<string, string | undefined>;

/**
 * Parses `env` against a TypeBox object schema whose keys are variable names. Defaults are
 * applied, strings are converted to numbers/booleans where the schema asks for them, and every
 * problem is reported at once with the variable's name.
 */
export function parseEnv<T extends TObject>(schema: T, env: Env): Static<T> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') picked[key] = raw;
  }
  const withDefaults = Value.Default(schema, picked);
  const converted = Value.Convert(schema, withDefaults);
  const issues: ConfigIssue[] = [];
  for (const err of Value.Errors(schema, converted)) {
    const variable = err.path.replace(/^\//, '').split('/')[0] || '(root)';
    if (issues.some((i) => i.variable === variable)) continue;
    issues.push({
      variable,
      problem: picked[variable] === undefined ? 'is required but not set' : err.message,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return converted as Static<T>;
}

/** Schema helpers for common variable shapes. */
export const EnvType = {
  url: (opts: { default?: string; description?: string } = {}) =>
    Type.String({ pattern: '^[a-z][a-z0-9+.-]*://.+', ...opts }),
  port: (def: number) => Type.Integer({ minimum: 0, maximum: 65535, default: def }),
  secret: (minLength = 32, description?: string) => Type.String({ minLength, description }),
  bool: (def: boolean) => Type.Boolean({ default: def }),
  logLevel: () =>
    Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
} satisfies Record<string, (...args: never[]) => TSchema>;

/**
 * Loads configuration at start-up: on failure prints which variables are wrong and exits the
 * process with status 78 (EX_CONFIG), so a misconfigured deployment fails fast and loudly.
 */
export function loadConfigOrExit<T>(load: (env: Env) => T, env: Env = process.env): T {
  try {
    return load(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

const enc = encodeURIComponent;

/**
 * Deployments inject credentials as separate secrets (never a whole URL in a task definition):
 * where `<P>_URL` is unset but `<P>_HOST` is, the URL is assembled from `<P>_HOST`, `_PORT`,
 * `_NAME`, `_USER`, `_PASSWORD` (Postgres, `?sslmode=require` unless `<P>_SSLMODE` says otherwise)
 * or, for Redis prefixes (`…_REDIS`), `_HOST`, `_PORT`, `_AUTH_TOKEN`, `_TLS`.
 */
export function withAssembledUrls(env: Env): Env {
  const out: Env = { ...env };
  for (const key of Object.keys(env)) {
    const m = /^(.*)_HOST$/.exec(key);
    if (!m) continue;
    const p = m[1]!;
    if (out[`${p}_URL`]) continue;
    const host = env[key]!;
    if (p.endsWith('_REDIS')) {
      const tls = env[`${p}_TLS`] === 'true';
      const auth = env[`${p}_AUTH_TOKEN`] ? `:${enc(env[`${p}_AUTH_TOKEN`]!)}@` : '';
      out[`${p}_URL`] = `${tls ? 'rediss' : 'redis'}://${auth}${host}:${env[`${p}_PORT`] ?? '6379'}`;
    } else if (p.endsWith('_DATABASE')) {
      const user = env[`${p}_USER`];
      const cred = user ? `${enc(user)}${env[`${p}_PASSWORD`] ? `:${enc(env[`${p}_PASSWORD`]!)}` : ''}@` : '';
      const name = env[`${p}_NAME`] ?? 'postgres';
      const sslmode = env[`${p}_SSLMODE`] ?? 'require';
      out[`${p}_URL`] =
        `postgresql://${cred}${host}:${env[`${p}_PORT`] ?? '5432'}/${enc(name)}?sslmode=${sslmode}`;
    }
  }
  return out;
}
