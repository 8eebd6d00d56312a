import type { IncomingHttpHeaders } from 'node:http';
import { BadRequest } from '@rt/http';

/**
 * Header prefixes only the router may set. A client's `x-rt-*` / `x-forge-*` headers are dropped
 * at the edge, before anything reads them: services and the permission client would otherwise
 * trust them (e.g. a client-sent Forge token preferred over the tenant's secret).
 */
const ROUTER_OWNED = /^x-(rt|forge)-/;
const X = 'x'.charCodeAt(0);

/** Header a router puts on a request it forwards to the tenant's home-region router. */
export const FORWARDED_HEADER = 'x-rt-forwarded';

/**
 * Header in which Forge sends the app system token along with a Forge Invocation Token.
 * https://developer.atlassian.com/platform/forge/remote/essentials/
 */
export const FORGE_SYSTEM_TOKEN_HEADER = 'x-forge-oauth-system';

/**
 * Header in which the router hands a Forge system token to a service, and the service hands it
 * back with its permission question (`@rt/confluence`'s `FORGE_TOKEN_HEADER`).
 */
export const RELAYED_FORGE_TOKEN_HEADER = 'x-rt-forge-token';

/** Router-owned headers the edge took out of a request, none of them trusted by itself. */
export interface TakenHeaders {
  /** `x-rt-forwarded`: a credential the router verifies itself (forwarding audience, kind). */
  forwardingToken?: string;
  /**
   * `x-forge-oauth-system`: used only beside a verified FIT, or beside a hop whose signed claims
   * carry its digest.
   */
  forgeSystemToken?: string;
  /** `x-rt-forge-token` (internal routes): used only when the service token carries its digest. */
  relayedForgeToken?: string;
}

/**
 * Headers of which a request may carry exactly one: two `Authorization` headers (Node keeps the
 * first, a proxy in front may keep the last) or two framing headers are a smuggling attempt.
 * Each with its own bit, so that the edge counts them without a set per request.
 */
const SINGLE_VALUED = new Map<string, number>(
  [
    'authorization',
    'host',
    'content-length',
    'transfer-encoding',
    'content-type',
    FORWARDED_HEADER,
    FORGE_SYSTEM_TOKEN_HEADER,
    RELAYED_FORGE_TOKEN_HEADER,
  ].map((name, i) => [name, 1 << i]),
);

/** 400 for headers that could be read two ways. */
export class HeaderAmbiguous extends BadRequest {
  constructor(name: string) {
    super('HEADER_AMBIGUOUS', `the ${name} header must appear once`);
  }
}

/**
 * Checks the raw header list (what arrived, before Node merged or dropped duplicates): throws
 * {@link HeaderAmbiguous} for a single-valued header that occurs twice, whatever its case.
 */
export function assertSingleValued(rawHeaders: readonly string[]): void {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const bit = SINGLE_VALUED.get(name);
    if (bit === undefined) continue;
    if (seen & bit) throw new HeaderAmbiguous(name);
    seen |= bit;
  }
}

/**
 * Removes every router-owned header from what the client sent and returns the three the router
 * reads — each only as something it checks itself: the forwarding token (forwarding audience,
 * this region, the matched route's kind) and Forge system tokens (bound to a verified FIT or to
 * the digest in a signed token). Nothing downstream ever sees the client's copies.
 */
export function takeRouterOwnedHeaders(headers: IncomingHttpHeaders): TakenHeaders {
  const one = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' && value ? value : undefined;
  };
  const taken: TakenHeaders = {
    forwardingToken: one(FORWARDED_HEADER),
    forgeSystemToken: one(FORGE_SYSTEM_TOKEN_HEADER),
    relayedForgeToken: one(RELAYED_FORGE_TOKEN_HEADER),
  };
  for (const name in headers) {
    // Node's header names are lower case: only an `x-…` name can be router-owned.
    if (name.charCodeAt(0) === X && ROUTER_OWNED.test(name)) delete headers[name];
  }
  return taken;
}

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection — the client's to the
 * router, or the router's to a service — and are never passed on, in either direction.
 */
export const HOP_BY_HOP: readonly string[] = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * The names a `Connection` header lists, hop-by-hop as well (RFC 9110 §7.6.1); none for the
 * `keep-alive` and `close` nearly every peer sends.
 */
export function listedInConnection(connection: string | string[] | undefined): string[] {
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return [];
  return String(connection)
    .split(',')
    .map((name) => name.trim().toLowerCase());
}

/** Headers never passed upstream: credentials, hop-by-hop, the client address, router-owned ones. */
const NEVER_UPSTREAM = new Set([
  // `Expect: 100-continue` (curl sends it for bodies over 1 MiB) is answered by this router's own
  // HTTP server; passed on, undici refuses the request and the client would get a 502.
  'expect',
  ...HOP_BY_HOP,
  // The upstream's own, set by the HTTP client.
  'host',
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
]);

/**
 * The headers of a request the router sends on: the client's, less what it never passes, plus
 * `set` — the one place where router-owned headers are written. A header the router should pass
 * from Atlassian (e.g. a Forge system token) is added here, from a value the router verified —
 * never copied from the client's headers, which {@link takeRouterOwnedHeaders} already emptied.
 * A new object, built by adding what is kept (no `delete`, which would leave V8 a slow
 * dictionary-mode object for everything that reads the headers afterwards).
 */
export function upstreamHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  set: Readonly<Record<string, string>>,
): Record<string, string | string[] | undefined> {
  // The names a client's `Connection` lists are hop-by-hop too. Left out before `set` is added,
  // so a client cannot name a header the router sets (`Connection: authorization`) away.
  const listed = listedInConnection(headers.connection);
  const sent: Record<string, string | string[] | undefined> = {};
  for (const name in headers) {
    if (NEVER_UPSTREAM.has(name) || ROUTER_OWNED.test(name) || (listed.length > 0 && listed.includes(name)))
      continue;
    sent[name] = headers[name];
  }
  for (const name in set) sent[name] = set[name];
  return sent;
}
