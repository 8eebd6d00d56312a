import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignedTokenMemo } from '@rt/auth';
import type { CachedTenant, TenantDirectory, TenantRecord } from '../directory/tenant-directory.js';
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

/** A Connect token whose signature was verified, with the tenant record that verified it. */
export interface VerifiedConnectToken {
  readonly tenant: TenantRecord;
  readonly claims: ConnectClaims;
  /**
   * Service tokens signed for requests made with this token: their claims (tenant, user, region,
   * Connect) are the same for every request it makes, so one per route kind is reused.
   */
  readonly serviceTokens: SignedTokenMemo;
}

/** A verified token as kept: with the directory's cache entry of the tenant record, when cached. */
interface KnownToken extends VerifiedConnectToken {
  /** Checked with `stillCached` on every use instead of a lookup of the clientKey. */
  cached: CachedTenant | undefined;
}

/** How a request must bind its token. */
export interface ConnectVerifyOptions {
  method: string;
  /** Path and query as received. */
  url: string;
  /** `/api/v1/*` accepts the front end's context tokens; Atlassian → app calls do not. */
  allowContextQsh: boolean;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

const parseSegment = (segment: string | undefined): Record<string, unknown> => {
  if (!segment || !B64URL.test(segment)) throw AuthErrors.invalid('malformed');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw AuthErrors.invalid('malformed');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw AuthErrors.invalid('malformed');
  return value as Record<string, unknown>;
};

/**
 * Verifies Connect JWTs (HS256 with the tenant's sharedSecret): `iss` names the tenant (its
 * clientKey), exp/nbf/iat are checked with leeway, and `qsh` is either the request's computed hash
 * or, where allowed, the literal `context-qsh`.
 * https://developer.atlassian.com/cloud/confluence/understanding-jwt/
 *
 * The token is parsed once (the tenant, hence the key, is only known from the unverified `iss`),
 * the signature compared in constant time, and only `alg: HS256` is accepted — `none`, RS256 (key
 * confusion) and anything else are refused before any lookup. This is the router's hottest path,
 * which is why it does not go through a generic JWT library that would parse the token twice and
 * keep one compiled verifier per tenant.
 */
export class ConnectTokenVerifier {
  /**
   * Tokens whose signature was verified, by token string, with the tenant record (hence the
   * secret) that verified them. The front end sends the same context token for up to 15
   * minutes, so parsing and HMAC run once per token; exp, nbf, iat, qsh and the tenant's state
   * are still checked on every request, and a token is verified again as soon as the tenant's
   * record was reloaded (an invalidation: e.g. a reinstall with a new secret). Oldest first out.
   */
  private readonly verified = new Map<string, KnownToken>();

  constructor(
    private readonly directory: TenantDirectory,
    private readonly leewaySeconds: number,
    private readonly now: () => number = Date.now,
    private readonly maxVerified = 150_000,
  ) {}

  /**
   * A token verified before whose tenant record is still the cached one: its claims checked
   * against this request without waiting (no promise — the hot path of the front end's repeated
   * context tokens). Undefined when {@link verify} must run; throws what `verify` would.
   */
  verifyKnown(token: string, options: ConnectVerifyOptions): VerifiedConnectToken | undefined {
    const known = this.verified.get(token);
    if (!known?.cached || !this.directory.stillCached(known.cached)) return undefined;
    try {
      return this.checkClaims(known, options);
    } catch (err) {
      this.verified.delete(token);
      throw err;
    }
  }

  async verify(token: string, options: ConnectVerifyOptions): Promise<VerifiedConnectToken> {
    const fast = this.verifyKnown(token, options);
    if (fast) return fast;
    const known = this.verified.get(token);
    if (known) {
      const tenant = await this.directory.byClientKey(known.claims.iss);
      if (tenant === known.tenant) {
        known.cached = this.cacheEntryOf(known.claims.iss, tenant);
        try {
          return this.checkClaims(known, options);
        } catch (err) {
          this.verified.delete(token);
          throw err;
        }
      }
      this.verified.delete(token);
    }

    const parts = token.split('.');
    if (parts.length !== 3) throw AuthErrors.invalid('malformed');
    const header = parseSegment(parts[0]);
    if (header.alg !== 'HS256') throw AuthErrors.invalid(`alg ${String(header.alg)} is not accepted`);
    const payload = parseSegment(parts[1]);
    if (typeof payload.iss !== 'string' || !payload.iss) throw AuthErrors.invalid('iss is missing');

    const tenant = await this.directory.byClientKey(payload.iss);
    if (!tenant?.sharedSecret || tenant.state === 'deleted') throw AuthErrors.unknownTenant();

    const signature = parts[2]!;
    const expected = Buffer.from(
      // The secret as the key, no KeyObject kept per tenant: the HMAC runs once per token (see
      // `verified`), and a WeakMap of native key objects for 100 000 tenants costs the GC more.
      createHmac('sha256', tenant.sharedSecret).update(`${parts[0]}.${parts[1]}`).digest('base64url'),
    );
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw AuthErrors.invalid('bad signature');
    }

    const verified: KnownToken = {
      tenant,
      claims: payload as unknown as ConnectClaims,
      cached: this.cacheEntryOf(payload.iss, tenant),
      serviceTokens: {},
    };
    this.checkClaims(verified, options);
    if (this.verified.size >= this.maxVerified) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, verified);
    return verified;
  }

  /** The directory's cache entry holding exactly this record (none: it was not kept). */
  private cacheEntryOf(clientKey: string, tenant: TenantRecord): CachedTenant | undefined {
    const cached = this.directory.cachedEntryByClientKey(clientKey);
    return cached?.tenant === tenant ? cached : undefined;
  }

  /** The checks of a signed token that depend on time, the request and the tenant's state. */
  private checkClaims(verified: VerifiedConnectToken, options: ConnectVerifyOptions): VerifiedConnectToken {
    const { tenant, claims } = verified;
    const now = this.now() / 1000;
    const { exp, nbf, iat, qsh } = claims as unknown as Record<string, unknown>;
    if (typeof exp !== 'number') throw AuthErrors.invalid('exp is missing');
    if (exp + this.leewaySeconds <= now) throw AuthErrors.expired();
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf - this.leewaySeconds > now))
      throw AuthErrors.notYetValid();
    if (iat !== undefined && (typeof iat !== 'number' || iat - this.leewaySeconds > now))
      throw AuthErrors.notYetValid();
    if (typeof qsh !== 'string') throw AuthErrors.invalid('qsh is missing');
    if (qsh === CONTEXT_QSH) {
      if (!options.allowContextQsh) throw AuthErrors.qsh();
    } else if (qsh !== computeQsh(options.method, options.url)) {
      throw AuthErrors.qsh();
    }
    if (tenant.state === 'deleted') throw AuthErrors.unknownTenant();
    if (tenant.state === 'disabled') throw AuthErrors.disabled();
    if (tenant.state === 'uninstalled') throw AuthErrors.uninstalled();
    return verified;
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
