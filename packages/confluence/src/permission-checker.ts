import { type ConfluenceClient, ConfluenceStatus, type ConfluenceTenant } from './confluence-client.js';
import { PermissionCheckUnavailable } from './errors.js';

/** Longest time an answer may be reused: permissions are Atlassian data, fetched on demand. */
export const MAX_PERMISSION_CACHE_MS = 60_000;

/** Options of {@link PermissionChecker}. */
export interface PermissionCheckerOptions {
  client: ConfluenceClient;
  /** How long an answer is reused (≤ {@link MAX_PERMISSION_CACHE_MS}). Default 30 s. */
  cacheTtlMs?: number;
  /** Answers kept at most (oldest dropped first). Default 10 000. */
  maxEntries?: number;
  /** Clock (tests inject one). */
  now?: () => number;
}

interface Entry {
  allowed: boolean;
  expiresAt: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Asks a tenant's Confluence what a user may do, with a short in-memory cache per
 * tenant + user + question (only the boolean is kept, never Confluence's answer). An error is
 * never cached and never turns into an allow: it surfaces as {@link PermissionCheckUnavailable}.
 *
 * REST resources used (Confluence Cloud REST API v1):
 * - `GET /wiki/rest/api/user?accountId=…&expand=operations` — "operations returns the operations
 *   that the user is allowed to do"; a Confluence administrator has
 *   `{"operation":"administer","targetType":"application"}`.
 *   https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-users/#api-wiki-rest-api-user-get
 * - `GET /wiki/rest/api/space/{spaceKey}?expand=permissions` — the space's permissions, each an
 *   `operation` (`administer` / `space` is "Admin" of the space) with the `subjects` (users by
 *   accountId, groups) holding it.
 *   https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-space/#api-wiki-rest-api-space-spacekey-get
 * - `GET /wiki/rest/api/user/memberof?accountId=…` — the user's groups, when the space grants
 *   Admin to a group.
 *   https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-users/#api-wiki-rest-api-user-memberof-get
 * These work as the app itself (Connect JWT / Forge system token): no user impersonation needed.
 */
export class PermissionChecker {
  private readonly cache = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<boolean>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Calls that reached Confluence vs answers served from memory (tests, metrics). */
  readonly stats = { asked: 0, cached: 0 };

  constructor(private readonly options: PermissionCheckerOptions) {
    this.ttlMs = options.cacheTtlMs ?? 30_000;
    if (this.ttlMs < 0 || this.ttlMs > MAX_PERMISSION_CACHE_MS) {
      throw new Error(`permission cache TTL must be between 0 and ${MAX_PERMISSION_CACHE_MS} ms`);
    }
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether the user holds Confluence's global "Confluence Administrator" permission. */
  isConfluenceAdmin(tenant: ConfluenceTenant, accountId: string): Promise<boolean> {
    return this.cached(tenant, accountId, 'confluence-admin', async () => {
      const user = await this.get(tenant, `/rest/api/user?accountId=${enc(accountId)}&expand=operations`);
      if (user === null) return false;
      return list(isRecord(user) ? user.operations : undefined).some(
        (op) => isRecord(op) && op.operation === 'administer' && op.targetType === 'application',
      );
    });
  }

  /** Whether the user is an administrator of the space (directly or through a group). */
  isSpaceAdmin(tenant: ConfluenceTenant, spaceKey: string, accountId: string): Promise<boolean> {
    return this.cached(tenant, accountId, `space-admin:${spaceKey}`, async () => {
      const space = await this.get(tenant, `/rest/api/space/${enc(spaceKey)}?expand=permissions`);
      if (space === null) return false;
      const adminGrants = list(isRecord(space) ? space.permissions : undefined).filter(
        (p) =>
          isRecord(p) &&
          isRecord(p.operation) &&
          p.operation.operation === 'administer' &&
          p.operation.targetType === 'space',
      ) as Record<string, unknown>[];
      const subjects = (kind: 'user' | 'group') =>
        adminGrants.flatMap((p) => {
          const s = isRecord(p.subjects) ? p.subjects[kind] : undefined;
          return list(isRecord(s) ? s.results : undefined).filter(isRecord);
        });
      if (subjects('user').some((u) => u.accountId === accountId)) return true;
      const adminGroups = subjects('group');
      if (adminGroups.length === 0) return false;
      const strings = (values: unknown[]) =>
        new Set(values.filter((v): v is string => typeof v === 'string'));
      // Confluence names groups by id (current) or name (older answers): either matches.
      const ids = strings(adminGroups.map((g) => g.id));
      const names = strings(adminGroups.map((g) => g.name));
      for (const group of await this.groupsOf(tenant, accountId)) {
        if (
          (typeof group.id === 'string' && ids.has(group.id)) ||
          (typeof group.name === 'string' && names.has(group.name))
        ) {
          return true;
        }
      }
      return false;
    });
  }

  /** Forgets every answer about a tenant (e.g. after an uninstall). */
  forgetTenant(tenantId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${tenantId}\u0000`)) this.cache.delete(key);
  }

  private async groupsOf(tenant: ConfluenceTenant, accountId: string): Promise<Record<string, unknown>[]> {
    const groups: Record<string, unknown>[] = [];
    const limit = 200;
    // Bounded paging: 10 pages × 200 groups is far beyond any real membership.
    for (let start = 0; start < 10 * limit; start += limit) {
      const page = await this.get(
        tenant,
        `/rest/api/user/memberof?accountId=${enc(accountId)}&start=${start}&limit=${limit}`,
      );
      const results = list(isRecord(page) ? page.results : undefined).filter(isRecord);
      groups.push(...results);
      if (results.length < limit) break;
    }
    return groups;
  }

  /** GET; a 404 (no such user / space, or not visible) is "no" (`null`); other errors: unavailable. */
  private async get(tenant: ConfluenceTenant, path: string): Promise<unknown> {
    this.stats.asked++;
    try {
      return await this.options.client.getJson(tenant, path);
    } catch (err) {
      if (err instanceof ConfluenceStatus) {
        if (err.status === 404) return null;
        const kind = err.status >= 300 && err.status < 400 ? 'redirected' : `status ${err.status}`;
        throw new PermissionCheckUnavailable(kind);
      }
      throw err;
    }
  }

  private async cached(
    tenant: ConfluenceTenant,
    accountId: string,
    question: string,
    ask: () => Promise<boolean>,
  ): Promise<boolean> {
    const key = `${tenant.id}\u0000${accountId}\u0000${question}`;
    const hit = this.cache.get(key);
    const now = this.now();
    if (hit && hit.expiresAt > now) {
      this.stats.cached++;
      return hit.allowed;
    }
    if (hit) this.cache.delete(key);
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const promise = ask()
      .then((allowed) => {
        if (this.ttlMs > 0) {
          this.cache.set(key, { allowed, expiresAt: this.now() + this.ttlMs });
          while (this.cache.size > this.maxEntries) {
            const oldest = this.cache.keys().next().value;
            if (oldest === undefined) break;
            this.cache.delete(oldest);
          }
        }
        return allowed;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}

const enc = encodeURIComponent;
