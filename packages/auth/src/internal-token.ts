import { createSigner, createVerifier } from 'fast-jwt';

/** Issuer and audience of the router → service token; nothing else is accepted. */
export const INTERNAL_TOKEN_ISSUER = 'rt-router';
export const INTERNAL_TOKEN_AUDIENCE = 'rt-service';
/** Lifetime of an internal token: long enough for a proxied request, too short to replay. */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;

/**
 * What a service learns about a request from the router. `sub` (the Atlassian account id of the
 * calling user, when there is one) travels only in memory: it is never stored or logged.
 */
export interface InternalClaims {
  /** Tenant id (directory uuid). */
  tid: string;
  /** Tenant's home region the router resolved. */
  reg: string;
  /** Request id, for correlating logs across services. */
  rid: string;
  /** Atlassian account id of the user (in-memory only, for permission checks). */
  sub?: string;
  /** Authentication kind the router verified: Connect JWT, Forge Invocation Token, or system. */
  via?: 'connect' | 'forge' | 'system';
}

/** The verified identity of a request inside a service. */
export interface TenantContext {
  tenantId: string;
  region: string;
  requestId: string;
  accountId?: string;
  via?: InternalClaims['via'];
}

/** Signs internal tokens (router, worker, tests). */
export function createInternalTokenSigner(secret: string): (claims: InternalClaims) => string {
  const sign = createSigner({
    key: secret,
    algorithm: 'HS256',
    iss: INTERNAL_TOKEN_ISSUER,
    aud: INTERNAL_TOKEN_AUDIENCE,
    expiresIn: INTERNAL_TOKEN_TTL_SECONDS * 1000,
  });
  return (claims) => sign({ ...claims });
}

/** Verifies an internal token outside Fastify (e.g. in tests); throws when invalid. */
export function createInternalTokenVerifier(secret: string): (token: string) => InternalClaims {
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: INTERNAL_TOKEN_ISSUER,
    allowedAud: INTERNAL_TOKEN_AUDIENCE,
    maxAge: INTERNAL_TOKEN_TTL_SECONDS * 1000 + 5000,
    clockTolerance: 5000,
  });
  return (token) => verify(token) as InternalClaims;
}
