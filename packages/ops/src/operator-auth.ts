import { ConfigError, type Env, isProduction, parseEnv } from '@rt/config';
import { Forbidden, Unauthorized } from '@rt/http';
import { Type } from '@sinclair/typebox';
import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';

/** Operator roles, each including the ones before it. */
export const OPERATOR_ROLES = ['viewer', 'migrator', 'admin'] as const;
/** An operator role: viewer (read) < migrator (start/cancel/commit migrations) < admin. */
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** The verified operator behind an ops request. */
export interface Operator {
  /** Token subject (the employee's id at the identity provider, or the local minter's name). */
  subject: string;
  role: OperatorRole;
}

/** How operator tokens are verified: an OIDC issuer's JWKS (production) or a local key. */
export type OperatorAuthConfig =
  | { mode: 'oidc'; issuer: string; jwksUrl: string; audience: string }
  | { mode: 'local'; secret: string; issuer: string; audience: string };

/** Issuer and audience of locally minted tokens (local stack, tests). */
export const LOCAL_OPERATOR_ISSUER = 'rt-ops-local';
export const LOCAL_OPERATOR_AUDIENCE = 'rt-ops';

const OperatorEnv = Type.Object({
  OPERATOR_OIDC_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  OPERATOR_JWKS_URL: Type.Optional(Type.String({ minLength: 1 })),
  OPERATOR_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  OPERATOR_TOKEN_SECRET: Type.Optional(Type.String({ minLength: 32 })),
});

/**
 * Reads the operator auth configuration: OPERATOR_OIDC_ISSUER + OPERATOR_JWKS_URL +
 * OPERATOR_AUDIENCE (production), else OPERATOR_TOKEN_SECRET (local stack; HS256, ≥ 32 chars).
 * Returns undefined when neither is set (the ops API is then not mounted).
 *
 * Production (`NODE_ENV=production`) refuses OPERATOR_TOKEN_SECRET outright, also next to an
 * OIDC issuer: whoever holds a shared HS256 key can mint an admin token that no identity
 * provider issued, no employee's account can be disabled for, and no audit row can attribute.
 */
export function loadOperatorAuthConfig(env: Env): OperatorAuthConfig | undefined {
  const v = parseEnv(OperatorEnv, env);
  if (isProduction(env) && v.OPERATOR_TOKEN_SECRET) {
    throw new ConfigError([
      {
        variable: 'OPERATOR_TOKEN_SECRET',
        problem:
          'local operator tokens are refused in production; unset it and set OPERATOR_OIDC_ISSUER and OPERATOR_JWKS_URL',
      },
    ]);
  }
  // Half an OIDC configuration is a mistake, not a wish to run without operators.
  if (Boolean(v.OPERATOR_OIDC_ISSUER) !== Boolean(v.OPERATOR_JWKS_URL)) {
    const missing = v.OPERATOR_OIDC_ISSUER ? 'OPERATOR_JWKS_URL' : 'OPERATOR_OIDC_ISSUER';
    throw new ConfigError([
      { variable: missing, problem: 'is required when the other OIDC variable is set' },
    ]);
  }
  // Keys fetched over plain HTTP could be replaced by anyone on the path, and with them every role.
  if (isProduction(env) && v.OPERATOR_JWKS_URL && !v.OPERATOR_JWKS_URL.startsWith('https://')) {
    throw new ConfigError([
      { variable: 'OPERATOR_JWKS_URL', problem: 'must be an https:// URL in production' },
    ]);
  }
  if (v.OPERATOR_OIDC_ISSUER && v.OPERATOR_JWKS_URL) {
    return {
      mode: 'oidc',
      issuer: v.OPERATOR_OIDC_ISSUER,
      jwksUrl: v.OPERATOR_JWKS_URL,
      audience: v.OPERATOR_AUDIENCE ?? LOCAL_OPERATOR_AUDIENCE,
    };
  }
  if (v.OPERATOR_TOKEN_SECRET) {
    return {
      mode: 'local',
      secret: v.OPERATOR_TOKEN_SECRET,
      issuer: LOCAL_OPERATOR_ISSUER,
      audience: v.OPERATOR_AUDIENCE ?? LOCAL_OPERATOR_AUDIENCE,
    };
  }
  return undefined;
}

/** Mints a local operator token (HS256). Local stack and tests only. */
export async function mintOperatorToken(
  secret: string,
  claims: { subject: string; role: OperatorRole; expiresInSeconds?: number; audience?: string },
): Promise<string> {
  return new SignJWT({ roles: [claims.role] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(LOCAL_OPERATOR_ISSUER)
    .setAudience(claims.audience ?? LOCAL_OPERATOR_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${claims.expiresInSeconds ?? 3600}s`)
    .sign(new TextEncoder().encode(secret));
}

/** The highest known role among the token's `roles` (array) or `role` (string) claims. */
function roleOf(payload: JWTPayload): OperatorRole | undefined {
  const claimed = [
    ...(Array.isArray(payload.roles) ? payload.roles : []),
    ...(typeof payload.role === 'string' ? [payload.role] : []),
  ].filter((r): r is OperatorRole => OPERATOR_ROLES.includes(r as OperatorRole));
  return claimed.sort((a, b) => OPERATOR_ROLES.indexOf(b) - OPERATOR_ROLES.indexOf(a))[0];
}

/** True when `role` includes `required`. */
export const hasRole = (role: OperatorRole, required: OperatorRole): boolean =>
  OPERATOR_ROLES.indexOf(role) >= OPERATOR_ROLES.indexOf(required);

/** Verifies operator bearer tokens against the configured issuer. */
export class OperatorVerifier {
  private readonly key: Parameters<typeof jwtVerify>[1];
  constructor(private readonly config: OperatorAuthConfig) {
    this.key =
      config.mode === 'oidc'
        ? createRemoteJWKSet(new URL(config.jwksUrl))
        : new TextEncoder().encode(config.secret);
  }

  /** Verifies `Authorization: Bearer …`; 401 OPERATOR_TOKEN_MISSING / OPERATOR_TOKEN_INVALID. */
  async verify(authorization: string | undefined): Promise<Operator> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthorized('OPERATOR_TOKEN_MISSING', 'an operator token is required');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as Uint8Array, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.mode === 'oidc' ? ['RS256', 'ES256', 'PS256'] : ['HS256'],
      }));
    } catch {
      throw new Unauthorized('OPERATOR_TOKEN_INVALID', 'operator token is invalid or expired');
    }
    const role = roleOf(payload);
    if (!payload.sub || !role) {
      throw new Forbidden('OPERATOR_ROLE_MISSING', 'the token carries no operator role');
    }
    return { subject: payload.sub, role };
  }
}
