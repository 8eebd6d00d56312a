import { createHash, createHmac, createSecretKey } from 'node:crypto';
import { Unauthorized } from '@rt/http';
import { createVerifier } from 'fast-jwt';

/** Issuer of every token the router mints; nothing else is accepted. */
export const INTERNAL_TOKEN_ISSUER = 'rt-router';
/** Lifetime of an internal token signed for a request: long enough for it, too short to replay. */
export const INTERNAL_TOKEN_TTL_SECONDS = 60;
/**
 * Lifetime of a service token kept in a {@link SignedTokenMemo} and handed out again for reads
 * (see {@link INTERNAL_TOKEN_REUSE_SECONDS}): it has to outlast the last answer it is sent for.
 * Every other token — writes, forwarding tokens, reads without a memo — lives
 * {@link INTERNAL_TOKEN_TTL_SECONDS}.
 */
export const REUSED_TOKEN_TTL_SECONDS = 120;
/**
 * How long a service token kept in a caller's {@link SignedTokenMemo} is handed out again: every
 * token sent still has at least 30 s of its lifetime left — as long as the router waits for an
 * answer's headers (its upstream client's delay). Services check it when the request arrives and
 * may hand it back with a permission question while they serve it, so a memo is for requests
 * answered within seconds (the router uses it for reads only; a write's body may take most of a
 * minute to arrive). With 100 000 tenants each back every 15–25 s under load, a 30 s window meant
 * an HMAC — and a new token in an old memo, garbage the old generation collects later — on every
 * second or third read; 90 s, one in five or fewer (`bench:router`: the router's req/s at 100 000
 * tenants rose by about a tenth with no signing at all).
 */
export const INTERNAL_TOKEN_REUSE_SECONDS = 90;

/**
 * What a public route admits, bound to the route (never derived from the path): `api` — the
 * front end (Connect context/computed JWT, Forge Invocation Token); `atlassian-callback` —
 * Atlassian calling the app with a Connect JWT (lifecycle, `dare-migration` hooks);
 * `forge-callback` — Forge calling the app's remote with a Forge Invocation Token and no user
 * (life-cycle events, `migration:dataResidency` hooks); `ops` — operators; `internal` — services
 * calling the router (permission checks).
 */
export type RouteKind = 'api' | 'atlassian-callback' | 'forge-callback' | 'ops' | 'internal';

/**
 * Why a token was minted. Each purpose has its own audience, so a token minted for one can never
 * be replayed for another: `service` — the router calling a regional service on behalf of a
 * verified request; `forwarding` — a router handing a verified request to the home region's
 * router.
 */
export type TokenPurpose = 'service' | 'forwarding';

/** Audience of each purpose (`aud` claim). */
export const TOKEN_AUDIENCES: Readonly<Record<TokenPurpose, string>> = {
  service: 'rt-service',
  forwarding: 'rt-forwarding',
};

/**
 * What a service (or the home router) learns about a request from the router. `sub` (the
 * Atlassian account id of the calling user, when there is one) travels only in memory: it is
 * never stored or logged.
 */
export interface InternalClaims {
  /** Tenant id (directory uuid). */
  tid: string;
  /** Tenant's home region the router resolved. */
  reg: string;
  /**
   * Request id, for correlating logs across services. Forwarding tokens carry it; service tokens
   * leave it out (the request id travels in `x-request-id`), so one token serves every request
   * of the same tenant, kind and user within a second instead of being signed per request.
   */
  rid?: string;
  /** Kind of the route the router matched and authenticated the request for. */
  kind: RouteKind;
  /** Atlassian account id of the user (in-memory only, for permission checks). */
  sub?: string;
  /** Authentication kind the router verified: Connect JWT, Forge Invocation Token, or system. */
  via?: 'connect' | 'forge' | 'system';
  /**
   * Forwarding tokens only: the client address the entry router saw, for the home router's
   * access log (the only place an address is written).
   */
  cip?: string;
  /**
   * Forge requests only: digest ({@link forgeTokenDigest}) of the app system token Atlassian sent
   * with the invocation (`x-forge-oauth-system`). The token itself travels beside this one; the
   * digest binds it to the verified request, so a copy from anywhere else is never used.
   */
  fst?: string;
  /**
   * Forwarding tokens only: 2 on a hop a router sends on once more — it was forwarded a request
   * for a tenant that has just moved away (a migration committed while the request travelled)
   * and passes it to the tenant's new home. A router never forwards a second hop, so a request
   * crosses regions at most twice. Absent on a first hop.
   */
  hop?: 2;
  /**
   * Set by the signer on every token it hands out again from a memo (reads only, lifetime
   * {@link REUSED_TOKEN_TTL_SECONDS}): such a token authorizes reads and nothing else — services
   * refuse it on any other method, and the router refuses it a permission question (asked for
   * writes only). A copy of it is therefore never a write's credential, for any part of its life.
   */
  ro?: true;
}

/** SHA-256 (base64url) of a Forge system token, as carried in {@link InternalClaims.fst}. */
export const forgeTokenDigest = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/** Methods a read-only token ({@link InternalClaims.ro}) is accepted for. */
export const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The verified identity of a request inside a service. */
export interface TenantContext {
  tenantId: string;
  region: string;
  requestId: string;
  /** Kind of the public route the router matched. */
  kind: RouteKind;
  accountId?: string;
  via?: InternalClaims['via'];
}

/**
 * Tokens signed for one verified credential (e.g. one Connect token of one user of one tenant),
 * one per route kind: kept by the caller beside that credential and handed to the signer with
 * claims that are the same on every use but for the kind. See {@link INTERNAL_TOKEN_REUSE_SECONDS}.
 */
export type SignedTokenMemo = { [kind in RouteKind]?: MemoEntry };

/**
 * A memo's entry for one kind: the token handed out and the second it was signed in, and the last
 * second it was handed out. An entry with no token (`''`) only records that the credential was
 * seen in second `iat`: one object per second, shared by every memo (see the signer).
 */
interface MemoEntry {
  readonly token: string;
  readonly iat: number;
  seen: number;
}

/**
 * Signs internal tokens of one purpose. With a `memo`, a token signed for the same kind less than
 * {@link INTERNAL_TOKEN_REUSE_SECONDS} ago is returned from it; the caller guarantees that every
 * claim but `kind` is the same for every call with that memo (and never passes one with `rid`).
 */
export type InternalTokenSigner = (claims: InternalClaims, memo?: SignedTokenMemo) => string;
/** Verifies an internal token of one purpose and kind set; throws when it is anything else. */
export type InternalTokenVerifier = (token: string) => InternalClaims;

const ROUTE_KINDS: ReadonlySet<string> = new Set<RouteKind>([
  'api',
  'atlassian-callback',
  'forge-callback',
  'ops',
  'internal',
]);

/** Options of {@link createInternalTokenSigner}. */
export interface InternalSignerOptions {
  /** Clock in ms (tests). */
  now?: () => number;
}

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
/** Tokens kept per second at most (a second's worth of distinct tenants and users). */
const SIGNED_CACHE_MAX = 10_000;

/**
 * Signs internal tokens of `purpose` (router; tests): HS256 JWTs with `iss`, `aud` of the
 * purpose, `iat` and `exp` (+{@link INTERNAL_TOKEN_TTL_SECONDS}, or {@link REUSED_TOKEN_TTL_SECONDS} for a memo's), as {@link createInternalTokenVerifier}
 * (fast-jwt) checks them. Signed by hand with one prepared key: the router signs on every
 * proxied request. Claims without `rid` are the same for every request of a tenant, kind and
 * user, so their token is reused within the second it was signed in (same `iat`).
 */
export function createInternalTokenSigner(
  secret: string,
  purpose: TokenPurpose,
  options: InternalSignerOptions = {},
): InternalTokenSigner {
  const now = options.now ?? Date.now;
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const aud = TOKEN_AUDIENCES[purpose];
  let second = -1;
  /** `,"iat":…,"exp":…,"iss":…,"aud":…}` of the current second: appended to the claims' JSON. */
  let registered = '';
  /** The same for a token kept in a memo (its longer lifetime). */
  let registeredReused = '';
  const signed = new Map<string, string>();
  /**
   * Reuse pays only when the same claims come back within the second: with many tenants each
   * seen rarely (100 000 active sites), keeping a second's tokens costs more (memory churn, GC)
   * than signing them.
   */
  const secondReuse = new ReuseMeter();
  /**
   * What a memo keeps is decided per memo, not by a meter over all of them: a token is kept only
   * for a credential back within {@link INTERNAL_TOKEN_REUSE_SECONDS} of its last use. Its first
   * read, or one after a longer pause, leaves only this second's shared entry without a token —
   * so a credential seen once (a cold start over 100 000 tenants) or less often than every 90 s
   * leaves no token to outlive the young generation as old garbage, and one seen more often
   * costs one signature per 90 s after its first two reads. (A meter of the last second's hit rate
   * lags a whole return period behind what it decides, and flipped on and off every second at
   * 100 000 tenants, signing most reads: `bench:router`.)
   */
  // Shared by every memo that met a credential's first read this second: never written to (only
  // an entry with a token has its `seen` moved on), so no memo's state reaches another's.
  let seenThisSecond: MemoEntry = { token: '', iat: -1, seen: -1 };
  return (claims, memo) => {
    if (!ROUTE_KINDS.has(claims.kind)) throw new Error(`unknown route kind ${String(claims.kind)}`);
    const iat = Math.floor(now() / 1000);
    if (iat !== second) {
      second = iat;
      signed.clear();
      secondReuse.nextSecond();
      seenThisSecond = { token: '', iat, seen: iat };
      const tail = `,"iss":${JSON.stringify(INTERNAL_TOKEN_ISSUER)},"aud":${JSON.stringify(aud)}}`;
      registered = `,"iat":${iat},"exp":${iat + INTERNAL_TOKEN_TTL_SECONDS}${tail}`;
      registeredReused = `,"iat":${iat},"exp":${iat + REUSED_TOKEN_TTL_SECONDS},"ro":true${tail}`;
    }
    let backSoon = false;
    if (memo) {
      if (claims.rid !== undefined) throw new Error('a token with a request id is never reused');
      if (purpose !== 'service') throw new Error('only service tokens are reused');
      const kept = memo[claims.kind];
      // A clock that went back never hands out a token from the future, nor counts as a return.
      if (kept && kept.iat <= iat) {
        if (kept.token && iat - kept.iat < INTERNAL_TOKEN_REUSE_SECONDS) {
          kept.seen = iat;
          return kept.token;
        }
        backSoon = iat - kept.seen < INTERNAL_TOKEN_REUSE_SECONDS;
      }
    }
    // The claims' JSON is both the cache key and the payload's start (one serialisation, no
    // copy of the claims): `{"tid":…,…}` minus its closing brace, then the registered claims,
    // which come last and so win over any same-named claim.
    const json = JSON.stringify(claims);
    // A memo keeps its own token: the second's map is for callers without one.
    const cacheable = claims.rid === undefined && !memo;
    if (cacheable) {
      const token = signed.get(json);
      if (token !== undefined) {
        secondReuse.hits++;
        return token;
      }
      secondReuse.misses++;
    }
    const payload = Buffer.from(`${json.slice(0, -1)}${memo ? registeredReused : registered}`).toString(
      'base64url',
    );
    const input = `${JWT_HEADER}.${payload}`;
    const token = `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
    if (memo) {
      memo[claims.kind] = backSoon ? { token, iat, seen: iat } : seenThisSecond;
      return token;
    }
    if (cacheable && secondReuse.keepNew()) {
      if (signed.size >= SIGNED_CACHE_MAX) signed.clear();
      signed.set(json, token);
    }
    return token;
  };
}

/**
 * Whether keeping signed tokens for reuse pays: the last second's hit rate decides for the next
 * one (at least one hit in five lookups keeps reuse on). Without reuse one new token in 16 is
 * still kept, so a return of repeat callers is noticed; its hits then stand for 16 times as many.
 */
class ReuseMeter {
  hits = 0;
  misses = 0;
  private on = true;

  /** Decides for the second that starts now from the one that ended. */
  nextSecond(): void {
    this.on = this.hits + this.misses < 100 || this.hits * (this.on ? 1 : 16) * 4 >= this.misses;
    this.hits = 0;
    this.misses = 0;
  }

  /** Whether the token just signed after a miss is kept. */
  keepNew(): boolean {
    return this.on || (this.misses & 15) === 0;
  }
}

/** Options of {@link createInternalTokenVerifier}. */
export interface InternalVerifierOptions {
  purpose: TokenPurpose;
  /** Route kinds accepted; a token of any other kind is invalid. Required: no allow-all default. */
  kinds: readonly RouteKind[];
}

/**
 * Verifies internal tokens of exactly one purpose (audience) and of the given route kinds; throws
 * when the token is invalid, expired, of another purpose or kind, or lacks the tenant claims.
 */
export function createInternalTokenVerifier(
  secret: string,
  options: InternalVerifierOptions,
): InternalTokenVerifier {
  if (!options.kinds.length) throw new Error('an internal token verifier needs at least one route kind');
  const kinds = new Set<string>(options.kinds);
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: INTERNAL_TOKEN_ISSUER,
    allowedAud: TOKEN_AUDIENCES[options.purpose],
    // By `iat`; a token's own `exp` holds it to the lifetime it was signed with.
    maxAge:
      (options.purpose === 'service' ? REUSED_TOKEN_TTL_SECONDS : INTERNAL_TOKEN_TTL_SECONDS) * 1000 + 5000,
    clockTolerance: 5000,
  });
  return (token) => {
    const claims = verify(token) as InternalClaims;
    if (
      typeof claims.tid !== 'string' ||
      typeof claims.reg !== 'string' ||
      (claims.rid !== undefined && typeof claims.rid !== 'string') ||
      (claims.hop !== undefined && claims.hop !== 2)
    ) {
      throw new Error('internal token lacks tenant claims');
    }
    if (typeof claims.kind !== 'string' || !kinds.has(claims.kind)) {
      throw new Error('internal token is for another kind of route');
    }
    return claims;
  };
}

/**
 * The one place a `Bearer <internal token>` header is read (services, the router's internal
 * routes): exactly one header of the form `Bearer <token>`, verified by `verify`, for a request of
 * `method` — a read-only token ({@link InternalClaims.ro}) only for {@link READ_METHODS}.
 * Missing or not Bearer → 401 INTERNAL_TOKEN_MISSING; anything else wrong → 401
 * INTERNAL_TOKEN_INVALID.
 */
export function verifyInternalBearer(
  authorization: string | string[] | undefined,
  verify: InternalTokenVerifier,
  method: string,
): InternalClaims {
  const m = typeof authorization === 'string' ? /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization) : null;
  if (!m?.[1]) {
    throw new Unauthorized('INTERNAL_TOKEN_MISSING', 'this service accepts only requests from the router');
  }
  let claims: InternalClaims;
  try {
    claims = verify(m[1]);
  } catch {
    throw new Unauthorized(
      'INTERNAL_TOKEN_INVALID',
      'internal token is invalid, expired or not for this route',
    );
  }
  if (claims.ro && !READ_METHODS.has(method)) {
    throw new Unauthorized('INTERNAL_TOKEN_INVALID', 'internal token is for reads only');
  }
  return claims;
}
