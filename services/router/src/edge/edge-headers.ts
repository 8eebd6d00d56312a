import type { IncomingHttpHeaders } from 'node:http';
import { BadRequest } from '@rt/http';

/**
 * Header prefixes only the router may set. A client's `x-rt-*` / `x-forge-*` headers are dropped
 * at the edge, before anything reads them: services and the permission client would otherwise
 * trust them (e.g. a client-sent Forge token preferred over the tenant's secret).
 */
const ROUTER_OWNED = /^x-(rt|forge)-/;

/** Header a router puts on a request it forwards to the tenant's home-region router. */
export const FORWARDED_HEADER = 'x-rt-forwarded';

/**
 * Headers of which a request may carry exactly one: two `Authorization` headers (Node keeps the
 * first, a proxy in front may keep the last) or two framing headers are a smuggling attempt.
 */
const SINGLE_VALUED = [
  'authorization',
  'host',
  'content-length',
  'transfer-encoding',
  'content-type',
  FORWARDED_HEADER,
];

/** 400 for headers that could be read two ways. */
export class HeaderAmbiguous extends BadRequest {
  constructor(name: string) {
    super('HEADER_AMBIGUOUS', `the ${name} header must appear once`);
  }
}

/**
 * Checks the raw header list (what arrived, before Node merged or dropped duplicates) and
 * returns how often each single-valued header occurred.
 */
export function assertSingleValued(rawHeaders: readonly string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (!SINGLE_VALUED.includes(name)) continue;
    if (seen.has(name)) throw new HeaderAmbiguous(name);
    seen.add(name);
  }
}

/**
 * Removes every router-owned header from what the client sent and returns the forwarding token
 * (`x-rt-forwarded`) if there was one: the only such header the router reads, and only as a
 * credential it verifies itself (forwarding audience, this region, the matched route's kind).
 */
export function takeRouterOwnedHeaders(headers: IncomingHttpHeaders): string | undefined {
  const hop = headers[FORWARDED_HEADER];
  for (const name of Object.keys(headers)) {
    if (ROUTER_OWNED.test(name)) delete headers[name];
  }
  return typeof hop === 'string' && hop ? hop : undefined;
}

/** Headers never passed upstream: credentials, hop-by-hop, the client address, router-owned ones. */
const NEVER_UPSTREAM = new Set([
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
]);

/**
 * What the router sets on a request it sends on, after removing what it never passes: the one
 * place where router-owned headers are written. A header the router should pass from Atlassian
 * (e.g. a Forge system token) is added here, from a value the router verified — never copied
 * from the client's headers, which {@link takeRouterOwnedHeaders} already emptied.
 */
export function upstreamHeaders(
  headers: Record<string, string | string[] | undefined>,
  set: Record<string, string>,
): Record<string, string | string[] | undefined> {
  for (const name of Object.keys(headers)) {
    if (NEVER_UPSTREAM.has(name) || ROUTER_OWNED.test(name)) delete headers[name];
  }
  return Object.assign(headers, set);
}
