import type { SecretBox } from '@rt/auth';
import { type PgPool, type Statement, statement } from '@rt/db';
import { subscribeTenantBus, type TenantBusSubscription } from '@rt/directory';
import type { Redis } from '@rt/queue';
import type { FastifyBaseLogger } from 'fastify';

/** Install state of a tenant, as in the directory's `TenantState` enum. */
export type TenantState = 'active' | 'disabled' | 'uninstalled' | 'deleted';

/** What the router needs to know about a tenant on every request. */
export interface TenantRecord {
  id: string;
  clientKey: string;
  installationId: string | null;
  /** Atlassian site id (Connect `cloudId`, FIT `context.cloudId`), when known. */
  cloudId: string | null;
  /** Forge `app.apiBaseUrl`, where calls with the Forge system token go. */
  forgeApiBaseUrl: string | null;
  platform: string;
  baseUrl: string;
  homeRegion: string;
  state: TenantState;
  /** Migration id holding the tenant's writes frozen, or null. */
  frozenByMigration: string | null;
  revision: number;
  /** Plain shared secret (Connect), opened once per cache fill; null for Forge-only tenants. */
  sharedSecret: string | null;
}

/** Options of {@link TenantDirectory}. */
export interface TenantDirectoryOptions {
  pool: PgPool;
  secretBox: SecretBox;
  /** Safety net: an entry older than this is re-read even without an invalidation. */
  ttlMs: number;
  /** Unknown keys are remembered this long (bounded flood of lookups for garbage clientKeys). */
  negativeTtlMs?: number;
  /** Entries kept at most (oldest dropped first). */
  maxEntries?: number;
  now?: () => number;
  logger?: FastifyBaseLogger;
}

type LookupColumn = 'client_key' | 'installation_id' | 'id';

interface Entry {
  readonly tenant: TenantRecord;
  expiresAt: number;
  /** False from the moment the entry left the cache (invalidated, replaced, evicted, cleared). */
  live: boolean;
}

/**
 * A cached record as {@link TenantDirectory.cachedEntryByClientKey} hands it out: a caller that
 * keeps it asks {@link TenantDirectory.stillCached} later instead of looking the key up again.
 */
export interface CachedTenant {
  readonly tenant: TenantRecord;
}

interface TenantRow {
  id: string;
  client_key: string;
  installation_id: string | null;
  cloud_id: string | null;
  forge_api_base_url: string | null;
  platform: string;
  base_url: string;
  home_region: string;
  state: TenantState;
  frozen_by_migration: string | null;
  revision: number;
  shared_secret_enc: Buffer | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// One raw query per column, prepared by name: this runs on every cache miss of the hot path,
// where Prisma costs several times a plain pg query.
const QUERIES: Record<LookupColumn, Statement> = Object.fromEntries(
  (['client_key', 'installation_id', 'id'] as const).map((column) => [
    column,
    statement(
      `rt_router_tenant_by_${column}`,
      `SELECT id, client_key, installation_id, cloud_id, forge_api_base_url, platform, base_url,
                    home_region, state::text AS state,
                    frozen_by_migration, revision, shared_secret_enc
               FROM tenants WHERE ${column} = $1`,
    ),
  ]),
) as Record<LookupColumn, Statement>;
/** The revalidation of cached records in batches (see {@link TenantDirectory}). */
const REVISIONS = statement(
  'rt_router_tenant_revisions',
  'SELECT id, revision FROM tenants WHERE id = ANY($1::uuid[])',
);

/**
 * The router's view of the tenant directory: lookups by clientKey (Connect), installation id
 * (Forge) or tenant id (forwarded requests), served from memory after the first read.
 *
 * Freshness: every change to a tenant row is followed by a `tenant-changed` message on Redis
 * (see `@rt/directory`); {@link subscribe} drops the tenant on receipt. Entries also expire after
 * `ttlMs`, and the whole cache is dropped when a subscription reconnects (messages may have been
 * missed while it was down).
 */
export class TenantDirectory {
  private readonly entries = new Map<string, Entry>();
  /** Keys known not to exist (kept apart so an invalidation clears them without a scan). */
  private readonly unknown = new Map<string, number>();
  /**
   * tenant id → cache keys holding it (at most one per lookup column), so one invalidation clears
   * every alias. A small array, not a Set: 100 000 tenants' Sets would weigh on every GC.
   */
  private readonly keysByTenant = new Map<string, string[]>();
  private readonly inflight = new Map<string, Promise<TenantRecord | null>>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly negativeTtlMs: number;
  /**
   * Records read in the last quarter of their TTL, by tenant id: revalidated together, one query
   * by `revision` for the batch, instead of one full load per tenant when the TTL runs out.
   */
  private readonly toRevalidate = new Map<string, TenantRecord>();
  private revalidateTimer: NodeJS.Timeout | undefined;
  /** Bumped by every invalidation: a load that started before one must not be cached. */
  private generation = 0;
  /** Cache statistics (for tests and metrics). */
  readonly stats = { hits: 0, misses: 0, invalidations: 0, revalidations: 0 };

  constructor(private readonly options: TenantDirectoryOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 200_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 2_000;
  }

  byClientKey(clientKey: string): Promise<TenantRecord | null> {
    return this.lookup('client_key', clientKey);
  }

  /**
   * The cache entry of a clientKey, without waiting (no promise on the hot path), to be checked
   * again later with {@link stillCached}: undefined when it is not cached or has expired —
   * {@link byClientKey} then loads it.
   */
  cachedEntryByClientKey(clientKey: string): CachedTenant | undefined {
    const entry = this.entries.get(`client_key:${clientKey}`);
    return entry && this.hit(entry) ? entry : undefined;
  }

  /**
   * True while `cached` is still this cache's entry for its key and not expired — what a lookup
   * of the key would answer with the same record, without the lookup (100 000 tenants' map).
   */
  stillCached(cached: CachedTenant): boolean {
    return this.hit(cached as Entry);
  }

  byInstallationId(installationId: string): Promise<TenantRecord | null> {
    return this.lookup('installation_id', installationId);
  }

  byId(id: string): Promise<TenantRecord | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.lookup('id', id);
  }

  /** Drops a tenant from this router's cache (and every unknown-key memory: it may now exist). */
  invalidate(tenantId: string): void {
    this.stats.invalidations++;
    this.generation++;
    for (const key of this.keysByTenant.get(tenantId) ?? []) this.drop(key);
    this.keysByTenant.delete(tenantId);
    this.inflight.clear();
    this.unknown.clear();
  }

  /** Drops everything. */
  clear(): void {
    this.generation++;
    for (const entry of this.entries.values()) entry.live = false;
    this.entries.clear();
    this.keysByTenant.clear();
    this.unknown.clear();
    this.inflight.clear();
  }

  /**
   * Listens for `tenant-changed` messages on the given subscriber connections (one per region's
   * Redis). Resolves once subscribed; returns a function that unsubscribes.
   */
  async subscribe(subscribers: Redis[], prefix = ''): Promise<() => Promise<void>> {
    const subscriptions: TenantBusSubscription[] = [];
    const stop = async () => {
      for (const s of subscriptions) await s.close();
    };
    for (const sub of subscribers) {
      // `@rt/directory`'s bus subscriber: it re-subscribes after a reconnect, but notices sent
      // meanwhile are lost, so the cache is dropped when the subscription is live again.
      let wasLive = false;
      const subscription = await subscribeTenantBus(
        sub,
        {
          tenantChanged: (tenantId) => this.invalidate(tenantId),
          liveness: (live) => {
            if (live && wasLive) {
              this.options.logger?.warn('tenant-changed subscription reconnected; dropping the tenant cache');
              this.clear();
            }
            wasLive ||= live;
          },
        },
        prefix,
      );
      subscriptions.push(subscription);
      if (!subscription.live) {
        await stop();
        throw new Error('could not subscribe to the tenant-changed channel');
      }
    }
    return stop;
  }

  /** Whether a cached entry may answer (a hit), queued for revalidation in its TTL's last quarter. */
  private hit(entry: Entry): boolean {
    if (!entry.live) return false;
    const now = this.now();
    if (entry.expiresAt <= now) return false;
    this.stats.hits++;
    if (entry.expiresAt - now < this.options.ttlMs / 4) this.revalidateSoon(entry.tenant);
    return true;
  }

  /** Removes a key's entry, marked as no longer live for whoever still holds it. */
  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.live = false;
    this.entries.delete(key);
  }

  private async lookup(column: LookupColumn, value: string): Promise<TenantRecord | null> {
    const key = `${column}:${value}`;
    const entry = this.entries.get(key);
    if (entry && this.hit(entry)) return entry.tenant;
    const unknownUntil = this.unknown.get(key);
    if (unknownUntil !== undefined && unknownUntil > this.now()) {
      this.stats.hits++;
      return null;
    }
    const pending = this.inflight.get(key);
    if (pending) return pending;
    this.stats.misses++;
    const generation = this.generation;
    const load = this.load(column, value)
      .then((tenant) => {
        if (generation === this.generation) this.store(key, tenant);
        return tenant;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, load);
    return load;
  }

  private revalidateSoon(tenant: TenantRecord): void {
    if (this.toRevalidate.size >= 10_000) return; // the next batch; the rest reload on expiry
    this.toRevalidate.set(tenant.id, tenant);
    if (this.revalidateTimer) return;
    this.revalidateTimer = setTimeout(() => void this.revalidate(), 100);
    this.revalidateTimer.unref();
  }

  /**
   * Extends the TTL of every queued record whose row still has the same `revision` (bumped on
   * every change a router must notice): one indexed query for the whole batch, so 100 000 active
   * tenants cost a few queries a second rather than a full load (and a new record, hence a new
   * token verification) each per TTL. A record that was invalidated or reloaded meanwhile is no
   * longer the cached one and is left alone; a changed or missing row drops the tenant.
   * Errors leave the entries to expire as they would have.
   */
  private async revalidate(): Promise<void> {
    this.revalidateTimer = undefined;
    const batch = [...this.toRevalidate.values()];
    this.toRevalidate.clear();
    let revisions: Map<string, number>;
    try {
      const { rows } = await this.options.pool.query<{ id: string; revision: number }>({
        ...REVISIONS,
        values: [batch.map((t) => t.id)],
      });
      revisions = new Map(rows.map((r) => [r.id, r.revision]));
    } catch (err) {
      this.options.logger?.warn({ err }, 'tenant revalidation failed; entries expire by their TTL');
      return;
    }
    this.stats.revalidations++;
    const expiresAt = this.now() + this.options.ttlMs;
    for (const tenant of batch) {
      const keys = this.keysByTenant.get(tenant.id);
      if (!keys) continue;
      if (revisions.get(tenant.id) !== tenant.revision) {
        this.invalidate(tenant.id);
        continue;
      }
      for (const key of keys) {
        const entry = this.entries.get(key);
        if (entry?.tenant === tenant) entry.expiresAt = expiresAt;
      }
    }
  }

  private async load(column: LookupColumn, value: string): Promise<TenantRecord | null> {
    const { rows } = await this.options.pool.query<TenantRow>({ ...QUERIES[column], values: [value] });
    const row = rows[0];
    if (!row) return null;
    let sharedSecret: string | null = null;
    if (row.shared_secret_enc) {
      // AAD = clientKey: a sealed secret copied onto another tenant's row does not open.
      sharedSecret = this.options.secretBox.open(row.shared_secret_enc, row.client_key);
    }
    return {
      id: row.id,
      clientKey: row.client_key,
      installationId: row.installation_id,
      cloudId: row.cloud_id,
      forgeApiBaseUrl: row.forge_api_base_url,
      platform: row.platform,
      baseUrl: row.base_url,
      homeRegion: row.home_region,
      state: row.state,
      frozenByMigration: row.frozen_by_migration,
      revision: row.revision,
      sharedSecret,
    };
  }

  private store(key: string, tenant: TenantRecord | null): void {
    if (!tenant) {
      if (this.unknown.size >= 10_000) this.unknown.clear();
      this.unknown.set(key, this.now() + this.negativeTtlMs);
      return;
    }
    this.unknown.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) {
        const evicted = this.entries.get(oldest)?.tenant;
        this.drop(oldest);
        const keys = evicted && this.keysByTenant.get(evicted.id);
        const at = keys ? keys.indexOf(oldest) : -1;
        if (at !== -1) keys!.splice(at, 1);
      }
    }
    this.drop(key);
    this.entries.set(key, { tenant, expiresAt: this.now() + this.options.ttlMs, live: true });
    let keys = this.keysByTenant.get(tenant.id);
    if (!keys) {
      keys = [];
      this.keysByTenant.set(tenant.id, keys);
    }
    if (!keys.includes(key)) keys.push(key);
  }
}
