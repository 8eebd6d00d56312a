import createClient, { type Client } from 'openapi-fetch';
import { apiErrorOf, retryAfterMs } from './errors.js';
import type { paths } from './openapi-types.js';
import { ResponseCache, type ResponseCacheOptions, responseOf } from './response-cache.js';

/** How often and how long a read is retried while the tenant is migrating. */
export interface RetryPolicy {
  /** Total attempts including the first (default 6). */
  attempts?: number;
  /** First backoff when the server sends no `Retry-After` (default 250 ms), doubled each time. */
  baseDelayMs?: number;
  /** Upper bound of one wait, `Retry-After` included (default 8000 ms). */
  maxDelayMs?: number;
}

/** Options of {@link createRefinedToolkitClient}. */
export interface RefinedToolkitClientOptions {
  /** The router's base URL (the app's base URL in Connect, e.g. `https://eu.app.example`). */
  baseUrl: string;
  /**
   * Returns a fresh token for each request, e.g. `() => AP.context.getToken()` (Connect context
   * tokens live 15 minutes; AP caches them, so asking each time is cheap and never stale).
   */
  getToken: () => string | Promise<string>;
  /** `JWT` for Connect context tokens (default), `Bearer` for Forge invocation or operator tokens. */
  authScheme?: 'JWT' | 'Bearer';
  retry?: RetryPolicy;
  /** Custom fetch (tests, or a platform whose global fetch must be bound). */
  fetch?: typeof fetch;
  /** Waits between retries (tests pass a recorder instead of real time). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Limits of the memory of GET answers used for conditional requests (default 200 answers,
   * 4 MiB), or `false` to send every GET unconditionally.
   */
  cache?: ResponseCacheOptions | false;
}

/** The typed client: `GET/POST/PUT/DELETE(path, init)` checked against the OpenAPI document. */
export type RefinedToolkitClient<P extends {} = paths> = Client<P>;

const RETRYABLE_METHODS = new Set(['GET', 'HEAD']);
/**
 * 503 codes of a tenant in transit: `TENANT_MIGRATING` (frozen) and `TENANT_RELOCATING` (the
 * routers disagree on the home region for the few moments after a migration commits).
 */
const TRANSIENT_CODES = new Set(['TENANT_MIGRATING', 'TENANT_RELOCATING']);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the typed client of the public (and ops) API.
 *
 * - Every request carries `Authorization: <scheme> <token>` from `getToken`, asked anew per attempt.
 * - A read (GET/HEAD) answered 503 `TENANT_MIGRATING` or `TENANT_RELOCATING` (the router freezes a
 *   tenant while its data moves between regions, and bounces reads while routers catch up) is
 *   retried with exponential backoff, honouring `Retry-After`, for a bounded number of attempts. Writes are never retried: the freeze is the server saying "not now"
 *   and the user should see it.
 * - Any 4xx/5xx rejects with an {@link ApiError} carrying the body's stable `code`, so callers
 *   `catch (e) { if (isApiError(e, 'VERSION_MISMATCH')) … }` instead of parsing bodies.
 * - A GET it has answered before with an ETag is sent with `If-None-Match`; a 304 is handed to
 *   the caller as the kept 200 answer, so an unchanged layout or theme costs the server no
 *   database read and the network no body. (A caller that sets `If-None-Match` itself gets the
 *   raw 304.) The browser's own HTTP cache does not do this for us: the fetch standard bypasses
 *   it for requests that carry conditional headers.
 */
export function createRefinedToolkitClient<P extends {} = paths>(
  options: RefinedToolkitClientOptions,
): RefinedToolkitClient<P> {
  const scheme = options.authScheme ?? 'JWT';
  const attempts = Math.max(1, options.retry?.attempts ?? 6);
  const baseDelay = options.retry?.baseDelayMs ?? 250;
  const maxDelay = options.retry?.maxDelayMs ?? 8000;
  const doFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const sleep = options.sleep ?? defaultSleep;
  const cache = options.cache === false ? undefined : new ResponseCache(options.cache);

  /** Sends a request; GETs are made conditional when an earlier answer is kept. */
  const conditional = async (outgoing: Request): Promise<Response> => {
    const method = outgoing.method.toUpperCase();
    if (!cache) return doFetch(outgoing);
    if (method !== 'GET') {
      const response = await doFetch(outgoing);
      // A write makes the kept answer of that URL useless (it would only be revalidated away).
      if (response.ok) cache.delete(outgoing.url);
      return response;
    }
    if (outgoing.headers.has('if-none-match')) return doFetch(outgoing);
    const kept = cache.get(outgoing.url);
    if (kept) outgoing.headers.set('if-none-match', kept.etag);
    const response = await doFetch(outgoing);
    if (response.status === 304 && kept) {
      await response.body?.cancel().catch(() => undefined);
      return responseOf(kept);
    }
    const etag = response.headers.get('etag');
    if (response.status !== 200 || !etag) {
      if (response.status !== 304 && response.status !== 503) cache.delete(outgoing.url);
      return response;
    }
    const entry = {
      etag,
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
      body: await response.arrayBuffer(),
    };
    cache.set(outgoing.url, entry);
    return responseOf(entry);
  };

  const send = async (request: Request): Promise<Response> => {
    const retryable = RETRYABLE_METHODS.has(request.method.toUpperCase());
    for (let attempt = 1; ; attempt++) {
      const outgoing = new Request(request);
      if (!outgoing.headers.has('authorization')) {
        outgoing.headers.set('authorization', `${scheme} ${await options.getToken()}`);
      }
      const response = await conditional(outgoing);
      if (response.ok || response.status < 400) return response;
      const error = await apiErrorOf(response);
      const migrating =
        response.status === 503 &&
        (TRANSIENT_CODES.has(error.code) || request.method.toUpperCase() === 'HEAD');
      if (!retryable || !migrating || attempt >= attempts || request.signal?.aborted) throw error;
      await response.body?.cancel().catch(() => undefined);
      // Half-jittered so a crowd of pages waiting on the same migration does not retry in step.
      const backoff = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      const asked = retryAfterMs(response.headers.get('retry-after'));
      await sleep(asked === undefined ? backoff : Math.min(maxDelay, asked));
    }
  };

  return createClient<P>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: send });
}
