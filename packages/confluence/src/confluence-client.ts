import * as atlassianJwt from 'atlassian-jwt';
import { type AllowedHostsOptions, assertAllowedBaseUrl } from './allowed-hosts.js';
import { PermissionCheckUnavailable } from './errors.js';

/**
 * How the app authenticates to one tenant's Confluence.
 * - `connect`: JWT signed with the tenant's shared secret (HS256), `iss` = the app key, `qsh` of
 *   the outgoing request — https://developer.atlassian.com/cloud/confluence/understanding-jwt/
 *   ("Making a service call": `Authorization: JWT <token>`).
 * - `forge`: the bearer token Atlassian hands a Forge Remote with each invocation
 *   (`x-forge-oauth-system`), forwarded by the router; calls go through `api.atlassian.com`.
 */
export type ConfluenceCredentials =
  | { kind: 'connect'; appKey: string; sharedSecret: string }
  | { kind: 'forge'; token: string };

/** One tenant as the client needs it: where its Confluence is and how to sign for it. */
export interface ConfluenceTenant {
  /** Tenant id (directory uuid): cache key, never sent to Confluence. */
  id: string;
  /**
   * Connect: the install payload's `baseUrl` (`https://acme.atlassian.net/wiki`).
   * Forge: the invocation's `app.apiBaseUrl` (`https://api.atlassian.com/ex/confluence/<cloudId>`).
   */
  baseUrl: string;
  credentials: ConfluenceCredentials;
}

/** Options of {@link ConfluenceClient}. */
export interface ConfluenceClientOptions extends AllowedHostsOptions {
  /** Per request, connect to last byte. Default 5000 ms. */
  timeoutMs?: number;
  /** Largest response body read; larger answers are an error. Default 256 KiB. */
  maxResponseBytes?: number;
  /** Lifetime of the outgoing JWT. Default 60 s (Atlassian accepts up to 180 s of clock skew). */
  tokenTtlSeconds?: number;
  fetch?: typeof fetch;
}

/** A Confluence answer other than 2xx, for callers that treat some statuses as "no". */
export class ConfluenceStatus extends Error {
  constructor(readonly status: number) {
    super(`Confluence answered ${status}`);
    this.name = 'ConfluenceStatus';
  }
}

/**
 * Calls the REST API of a tenant's own Confluence, and nothing else:
 * - the base URL must pass {@link assertAllowedBaseUrl} before any byte is sent (SSRF guard);
 * - redirects are never followed (`redirect: 'manual'`; a 3xx is an error), so an allowed host
 *   cannot bounce the request elsewhere;
 * - bounded time and response size;
 * - responses are parsed and returned to the caller only: never logged, never stored. Errors
 *   carry the status code, never the body.
 */
export class ConfluenceClient {
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly tokenTtlSeconds: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ConfluenceClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxResponseBytes = options.maxResponseBytes ?? 256 * 1024;
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 60;
    this.fetch = options.fetch ?? fetch;
  }

  /**
   * `GET` of a Confluence REST path (e.g. `/rest/api/user?accountId=…`), relative to the REST
   * root: Connect's baseUrl already ends in `/wiki`; Forge's gateway URL gets `/wiki` added.
   * Throws {@link ConfluenceStatus} for a non-2xx answer (3xx included) and
   * {@link PermissionCheckUnavailable} when Confluence cannot be reached or read.
   */
  async getJson(tenant: ConfluenceTenant, path: string): Promise<unknown> {
    if (!path.startsWith('/rest/')) throw new Error('Confluence REST paths start with /rest/');
    const base = assertAllowedBaseUrl(tenant.baseUrl, this.options);
    const root = tenant.credentials.kind === 'forge' ? `${base}/wiki` : base;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (tenant.credentials.kind === 'connect') {
      headers.authorization = `JWT ${this.connectToken(tenant.credentials, 'GET', path)}`;
    } else {
      headers.authorization = `Bearer ${tenant.credentials.token}`;
    }
    let response: Response;
    try {
      response = await this.fetch(`${root}${path}`, {
        method: 'GET',
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new PermissionCheckUnavailable(timedOut ? 'timed out' : 'unreachable');
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel().catch(() => undefined);
      throw new ConfluenceStatus(response.status);
    }
    const text = await this.readBounded(response);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PermissionCheckUnavailable('unreadable answer');
    }
  }

  /**
   * The Connect JWT of an app → product request: HS256 with the shared secret, `iss` = app key,
   * `qsh` over the method, the path relative to the product's base URL (Confluence's `/wiki`
   * context path excluded) and the sorted query.
   */
  private connectToken(credentials: { appKey: string; sharedSecret: string }, method: string, path: string) {
    const now = Math.floor(Date.now() / 1000);
    const qsh = atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl(method, path));
    return atlassianJwt.encodeSymmetric(
      { iss: credentials.appKey, iat: now, exp: now + this.tokenTtlSeconds, qsh },
      credentials.sharedSecret,
      atlassianJwt.SymmetricAlgorithm.HS256,
    );
  }

  private async readBounded(response: Response): Promise<string> {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > this.maxResponseBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new PermissionCheckUnavailable('answer too large');
    }
    if (!response.body) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.maxResponseBytes) {
          await reader.cancel().catch(() => undefined);
          throw new PermissionCheckUnavailable('answer too large');
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof PermissionCheckUnavailable) throw err;
      throw new PermissionCheckUnavailable('connection lost');
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
