import { createDecoder, createVerifier, TokenError } from 'fast-jwt';
import type { TenantDirectory, TenantRecord } from '../directory/tenant-directory.js';
import { AuthErrors } from './errors.js';
import { CONTEXT_QSH, computeQsh } from './qsh.js';

/** Claims of a Connect JWT the router relies on. */
export interface ConnectClaims {
  iss: string;
  sub?: string;
  qsh: string;
  exp: number;
  iat?: number;
  nbf?: number;
}

/** How a request must bind its token. */
export interface ConnectVerifyOptions {
  method: string;
  /** Path and query as received. */
  url: string;
  /** `/api/v1/*` accepts the front end's context tokens; Atlassian → app calls do not. */
  allowContextQsh: boolean;
}

const decode = createDecoder({ complete: true });
type Verify = (token: string) => ConnectClaims;

const mapTokenError = (err: unknown) => {
  if (err instanceof TokenError) {
    if (err.code === TokenError.codes.expired) return AuthErrors.expired();
    if (err.code === TokenError.codes.inactive) return AuthErrors.notYetValid();
    if (err.code === TokenError.codes.invalidClaimValue && /iss/.test(err.message))
      return AuthErrors.issuer();
    return AuthErrors.invalid(err.code === TokenError.codes.invalidSignature ? 'bad signature' : err.message);
  }
  return AuthErrors.invalid('malformed');
};

/**
 * Verifies Connect JWTs (HS256 with the tenant's sharedSecret): `iss` names the tenant (its
 * clientKey), exp/nbf are checked with leeway, and `qsh` is either the request's computed hash or,
 * where allowed, the literal `context-qsh`.
 * https://developer.atlassian.com/cloud/confluence/understanding-jwt/
 */
export class ConnectTokenVerifier {
  /** One compiled verifier per cached tenant record (dropped with the record). */
  private readonly verifiers = new WeakMap<TenantRecord, Verify>();

  constructor(
    private readonly directory: TenantDirectory,
    private readonly leewaySeconds: number,
  ) {}

  async verify(
    token: string,
    options: ConnectVerifyOptions,
  ): Promise<{ tenant: TenantRecord; claims: ConnectClaims }> {
    let header: { alg?: unknown };
    let payload: { iss?: unknown };
    try {
      ({ header, payload } = decode(token) as { header: { alg?: unknown }; payload: { iss?: unknown } });
    } catch {
      throw AuthErrors.invalid('malformed');
    }
    // Only HS256: "none", RS256 (key confusion) and friends are rejected before any lookup.
    if (header.alg !== 'HS256') throw AuthErrors.invalid(`alg ${String(header.alg)} is not accepted`);
    if (typeof payload?.iss !== 'string' || !payload.iss) throw AuthErrors.invalid('iss is missing');
    const tenant = await this.directory.byClientKey(payload.iss);
    if (!tenant?.sharedSecret || tenant.state === 'deleted') throw AuthErrors.unknownTenant();

    let claims: ConnectClaims;
    try {
      claims = this.verifierFor(tenant)(token);
    } catch (err) {
      throw mapTokenError(err);
    }
    if (typeof claims.qsh !== 'string') throw AuthErrors.qsh();
    if (claims.qsh === CONTEXT_QSH) {
      if (!options.allowContextQsh) throw AuthErrors.qsh();
    } else if (claims.qsh !== computeQsh(options.method, options.url)) {
      throw AuthErrors.qsh();
    }
    if (tenant.state === 'disabled') throw AuthErrors.disabled();
    if (tenant.state === 'uninstalled') throw AuthErrors.uninstalled();
    return { tenant, claims };
  }

  private verifierFor(tenant: TenantRecord): Verify {
    let verify = this.verifiers.get(tenant);
    if (!verify) {
      verify = createVerifier({
        key: tenant.sharedSecret!,
        algorithms: ['HS256'],
        allowedIss: tenant.clientKey,
        clockTolerance: this.leewaySeconds * 1000,
        requiredClaims: ['iss', 'exp', 'qsh'],
      }) as Verify;
      this.verifiers.set(tenant, verify);
    }
    return verify;
  }
}

/** The token of a request: `Authorization: JWT <token>` or, for iframes and links, `?jwt=`. */
export function connectTokenOf(authorization: string | undefined, url: string): string | undefined {
  if (authorization) {
    const m = /^JWT\s+(\S+)$/i.exec(authorization);
    return m?.[1];
  }
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  const jwt = new URLSearchParams(url.slice(q + 1)).get('jwt');
  return jwt || undefined;
}
