import type { Env } from './env.js';
import { ConfigError, type ConfigIssue } from './errors.js';

/** True when the process runs as a production deployment (`NODE_ENV=production`). */
export const isProduction = (env: Env): boolean => env.NODE_ENV === 'production';

/**
 * Keys that sign or encrypt. Each must be generated (at least {@link MIN_SECRET_BITS} estimated
 * bits, not a placeholder) and none may share its value with another secret: a key known to one
 * component must not open another's door (an operator key that also signs internal tokens).
 */
export const KEY_SECRETS = [
  'INTERNAL_TOKEN_SECRET',
  'OPERATOR_TOKEN_SECRET',
  'ENCRYPTION_KEY',
  'REGION_EXPORT_SECRET',
  'SOURCE_HASH_KEY',
] as const;

/** Estimated strength a generated key has at least (`openssl rand -base64 32` has 256 bits). */
export const MIN_SECRET_BITS = 128;
/** A generated key of 32+ characters uses far more distinct characters than this. */
const MIN_DISTINCT_CHARACTERS = 10;

/**
 * Values shipped as examples or defaults (the former `.env.example`, the local S3 server, MinIO,
 * Postgres images). A deployment that still has one was copied, not configured.
 */
const KNOWN_PLACEHOLDERS = new Set([
  'change-me-postgres',
  'change-me-s3-secret',
  'change-me-to-at-least-32-random-characters',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'refined-toolkit',
  'S3RVER',
  'minioadmin',
  'postgres',
]);
/** Words that give a value away as written by hand (compared without case and punctuation). */
const PLACEHOLDER_WORDS =
  /changeme|changeit|replaceme|placeholder|example|secret|password|passwd|default|dummy|sample|insecure|fixme|letmein|qwerty|s3rver|minioadmin/;

/** Variables holding credentials of infrastructure (their strength is the issuer's business). */
const CREDENTIAL = /^(AWS_SECRET_ACCESS_KEY|.*_DATABASE_PASSWORD|.*_REDIS_AUTH_TOKEN)$/;
/** Connection URLs whose password part is a credential. */
const CONNECTION_URL = /^.*_(DATABASE|REDIS)_URL$/;

/** One secret found in the environment: where it is, and its value. */
interface FoundSecret {
  variable: string;
  value: string;
  key: boolean;
}

/**
 * Checks the secrets of a production environment: known placeholders, low-entropy keys and a
 * value shared between two distinct secrets are each an issue naming the variable (never the
 * value). Connection URLs are read as given (after `withAssembledUrls`).
 */
export function productionSecretIssues(env: Env): ConfigIssue[] {
  const found = secretsOf(env);
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, FoundSecret>();
  for (const secret of found) {
    const problem = weakness(secret);
    if (problem) issues.push({ variable: secret.variable, problem });
    const earlier = seen.get(secret.value);
    // Credentials may repeat (one Postgres password in several URLs); a key never may.
    if (earlier && (earlier.key || secret.key)) {
      issues.push({
        variable: secret.variable,
        problem: `has the same value as ${earlier.variable}; every secret needs its own value`,
      });
    } else if (!earlier) seen.set(secret.value, secret);
  }
  return issues;
}

/** Throws {@link ConfigError} when {@link productionSecretIssues} finds anything. */
export function assertProductionSecrets(env: Env): void {
  const issues = productionSecretIssues(env);
  if (issues.length > 0) throw new ConfigError(issues);
}

function secretsOf(env: Env): FoundSecret[] {
  const found: FoundSecret[] = [];
  for (const variable of KEY_SECRETS) {
    const value = env[variable];
    if (value) found.push({ variable, value, key: true });
  }
  for (const [variable, value] of Object.entries(env)) {
    if (!value) continue;
    if (CREDENTIAL.test(variable)) found.push({ variable, value, key: false });
    if (CONNECTION_URL.test(variable)) {
      const password = urlPassword(value);
      if (password) found.push({ variable: `${variable} (password)`, value: password, key: false });
    }
  }
  return found;
}

function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined; // the URL's own schema check names it
  }
}

/** Why a secret is not acceptable in production, or undefined. */
function weakness(secret: FoundSecret): string | undefined {
  const { value } = secret;
  // Credentials end up in connection URLs, where base64's `/` and `+` would need escaping.
  const generate = `generate one: openssl rand ${secret.key ? '-base64' : '-hex'} 32`;
  const words = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (KNOWN_PLACEHOLDERS.has(value) || PLACEHOLDER_WORDS.test(words)) {
    return `is a placeholder, not a generated secret (${generate})`;
  }
  if (/^(.+?)\1+$/s.test(value)) return `repeats one short pattern (${generate})`;
  if (!secret.key) return undefined;
  const bytes = secret.variable === 'ENCRYPTION_KEY' ? Buffer.from(value, 'base64') : undefined;
  if (bytes?.every((b) => b === bytes[0])) return 'is a constant key (all bytes equal)';
  const bits = estimatedBits(bytes ? [...bytes] : [...value]);
  const distinct = new Set<string | number>(bytes ?? value).size;
  if (bits < MIN_SECRET_BITS || distinct < MIN_DISTINCT_CHARACTERS) {
    return `has too little entropy (about ${Math.floor(bits)} bits, at least ${MIN_SECRET_BITS} needed; ${generate})`;
  }
  return undefined;
}

/**
 * Strength estimate: length × Shannon entropy of the symbol frequencies. It never overrates a
 * value (a random value's estimate is a little below its real strength) and punishes repetition
 * and small alphabets, which is what hand-made secrets have.
 */
function estimatedBits(symbols: Array<string | number>): number {
  const counts = new Map<string | number, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  let perSymbol = 0;
  for (const n of counts.values()) {
    const p = n / symbols.length;
    perSymbol -= p * Math.log2(p);
  }
  return perSymbol * symbols.length;
}
