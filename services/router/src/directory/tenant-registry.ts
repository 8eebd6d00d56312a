import type { SecretBox } from '@rt/auth';
import type { DirectoryDb, directory } from '@rt/db';
import { publishTenantChanged, type RedisPublisher } from '@rt/directory';
import type { TenantDirectory } from './tenant-directory.js';

/** Days between uninstall and deletion of a tenant's data (the customer promise). */
export const DELETION_GRACE_DAYS = 30;

/** The lifecycle payload fields the directory stores (no personal data among them). */
export interface InstallPayload {
  clientKey: string;
  sharedSecret: string;
  baseUrl: string;
  displayUrl?: string;
  productType: string;
  installationId?: string;
  /** The site's id; links the Connect install to the site's Forge installation (one tenant). */
  cloudId?: string;
}

/** A Forge installation as a verified Forge Invocation Token names it. */
export interface ForgeInstallation {
  installationId: string;
  /** FIT `context.cloudId`: the site, the same before and after a reinstall. */
  cloudId?: string;
  /** FIT `app.apiBaseUrl`: the Atlassian API gateway of the site. */
  apiBaseUrl?: string;
}

/** Outcome of {@link TenantRegistry.linkForge}. */
export type ForgeLinkResult =
  | ({ outcome: 'linked' } & InstallResult)
  /** The installation was uninstalled: a late retry of its install event changes nothing. */
  | { outcome: 'stale'; tenant: directory.Tenant }
  /** First use (not an install event) of a site whose tenant is not active: nothing linked. */
  | { outcome: 'inactive'; tenant: directory.Tenant };

/**
 * Plug points for other parts of the system (the deletion job of issue 7 schedules and cancels
 * its BullMQ delayed job here). Called after the directory transaction committed; a failure is
 * logged by the caller, never undoes the commit (the Postgres rows are the source of truth and a
 * sweeper re-enqueues from them).
 */
export interface LifecycleHooks {
  /** A tenant was uninstalled: its deletion is due at `deletion.dueAt`. */
  onUninstalled?(deletion: directory.Deletion): Promise<void> | void;
  /** A tenant with an uninstall behind it was installed again; its pending deletions were cancelled. */
  onReinstalled?(tenant: directory.Tenant, cancelledDeletions: string[]): Promise<void> | void;
}

/** Outcome of an uninstall: the tenant, its (first) pending deletion, whether this call created it. */
export interface UninstallResult {
  tenant: directory.Tenant;
  deletion: directory.Deletion;
  created: boolean;
}

/** Outcome of {@link TenantRegistry.install}. */
export interface InstallResult {
  tenant: directory.Tenant;
  created: boolean;
  reinstalled: boolean;
  cancelledDeletions: string[];
}

/** Options of {@link TenantRegistry}. */
export interface TenantRegistryOptions {
  db: DirectoryDb;
  secretBox: SecretBox;
  cache: TenantDirectory;
  publisher: RedisPublisher;
  channelPrefix?: string;
  /** This router's region: the home region of tenants installed through it. */
  region: string;
  now?: () => Date;
  /** Throws for a base URL that is not an allow-listed Atlassian host (SSRF guard). */
  assertBaseUrl?: (baseUrl: string) => void;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002';

/**
 * Writes to the tenant directory on behalf of lifecycle callbacks and Forge first contact. Every
 * write bumps `revision`, then tells every router (pub/sub) to drop its cached copy.
 */
export class TenantRegistry {
  private readonly now: () => Date;

  constructor(private readonly options: TenantRegistryOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * `installed`: creates the tenant (home = this region) or updates it (idempotent; the secret may
   * rotate). A reinstall re-activates an uninstalled tenant and cancels its pending deletion.
   */
  async install(payload: InstallPayload): Promise<InstallResult> {
    const { db, secretBox, region } = this.options;
    this.options.assertBaseUrl?.(payload.baseUrl);
    const sharedSecretEnc = new Uint8Array(secretBox.seal(payload.sharedSecret, payload.clientKey));
    const fields = {
      clientKey: payload.clientKey,
      baseUrl: payload.baseUrl,
      displayUrl: payload.displayUrl ?? null,
      productType: payload.productType,
      installationId: payload.installationId ?? null,
      ...(payload.cloudId ? { cloudId: payload.cloudId } : {}),
      sharedSecretEnc,
      platform: 'connect',
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await db.$transaction(async (tx) => {
          // One tenant per site: a site first seen through Forge (keyed by its installation) or
          // reinstalled (same cloudId, new installation id) keeps its tenant and its data.
          const existing =
            (await tx.tenant.findUnique({ where: { clientKey: payload.clientKey } })) ??
            (payload.cloudId ? await tx.tenant.findUnique({ where: { cloudId: payload.cloudId } }) : null) ??
            (payload.installationId
              ? await tx.tenant.findUnique({ where: { installationId: payload.installationId } })
              : null);
          const released: string[] = [];
          if (payload.installationId) {
            // The installation id moves to this tenant (a stale row may still hold it).
            const holders = await tx.tenant.findMany({
              where: {
                installationId: payload.installationId,
                ...(existing ? { NOT: { id: existing.id } } : {}),
              },
              select: { id: true },
            });
            for (const { id } of holders) {
              await tx.tenant.update({
                where: { id },
                data: { installationId: null, revision: { increment: 1 } },
              });
              released.push(id);
            }
          }
          if (!existing) {
            const tenant = await tx.tenant.create({ data: { homeRegion: region, ...fields } });
            return { tenant, created: true, reinstalled: false, cancelledDeletions: [], released };
          }
          const pending = await this.cancelPendingDeletions(tx, existing.id);
          const tenant = await tx.tenant.update({
            where: { id: existing.id },
            data: {
              ...fields,
              // A deleted tenant's data is gone everywhere: it starts over in this region.
              ...(existing.state === 'deleted' ? { homeRegion: region } : {}),
              state: 'active',
              uninstalledAt: null,
              revision: { increment: 1 },
            },
          });
          const reinstalled =
            existing.state === 'uninstalled' || existing.state === 'deleted' || pending.length > 0;
          return {
            tenant,
            created: false,
            reinstalled,
            cancelledDeletions: pending.map((d) => d.id),
            released,
          };
        });
        const { released, ...outcome } = result;
        for (const id of [result.tenant.id, ...released]) await this.changed(id);
        return outcome;
      } catch (err) {
        // Two concurrent first installs of one clientKey: the loser retries as an update.
        if (isUniqueViolation(err) && attempt < 2) continue;
        throw err;
      }
    }
  }

  /**
   * `uninstalled`: access stops at once (state uninstalled) and a deletion is scheduled for
   * uninstalledAt + 30 days — kept in Postgres so a Redis loss never drops it. Idempotent: a
   * repeated callback keeps the first pending deletion. Returns null for an unknown tenant.
   */
  uninstall(clientKey: string): Promise<UninstallResult | null> {
    return this.uninstallWhere({ clientKey });
  }

  /**
   * Forge `avi:forge:uninstalled:app`: the same as Connect's `uninstalled`, for the tenant that
   * holds this installation now. Matched by installation id only, never by cloudId: after a
   * reinstall the site has a new installation id, and a late retry of the old installation's
   * uninstall event must not uninstall the site again.
   */
  uninstallForge(installationId: string): Promise<UninstallResult | null> {
    return this.uninstallWhere({ installationId });
  }

  private async uninstallWhere(
    where: { clientKey: string } | { installationId: string },
  ): Promise<UninstallResult | null> {
    const { db } = this.options;
    const result = await db.$transaction(async (tx) => {
      const existing = await tx.tenant.findUnique({ where });
      if (!existing || existing.state === 'deleted') return null;
      const clientKey = existing.clientKey;
      const pending = await tx.deletion.findFirst({ where: { tenantId: existing.id, state: 'pending' } });
      if (pending && existing.state === 'uninstalled')
        return { tenant: existing, deletion: pending, created: false };
      const uninstalledAt = this.now();
      const tenant = await tx.tenant.update({
        where: { id: existing.id },
        data: { state: 'uninstalled', uninstalledAt, revision: { increment: 1 } },
      });
      const deletion =
        pending ??
        (await tx.deletion.create({
          data: {
            tenantId: existing.id,
            clientKey,
            reason: 'uninstalled',
            uninstalledAt,
            dueAt: new Date(uninstalledAt.getTime() + DELETION_GRACE_DAYS * 24 * 3600 * 1000),
            state: 'pending',
          },
        }));
      return { tenant, deletion, created: !pending };
    });
    if (result) await this.changed(result.tenant.id);
    return result;
  }

  /**
   * `enabled` / `disabled`: toggles access. Only active ↔ disabled: Atlassian may deliver
   * `disabled` after (concurrently with) `uninstalled`, which must not resurrect the tenant.
   */
  async setEnabled(clientKey: string, enabled: boolean): Promise<directory.Tenant | null> {
    const { db } = this.options;
    const from = enabled ? 'disabled' : 'active';
    const to = enabled ? 'active' : 'disabled';
    const { count } = await db.tenant.updateMany({
      where: { clientKey, state: from },
      data: { state: to, revision: { increment: 1 } },
    });
    const tenant = await db.tenant.findUnique({ where: { clientKey } });
    if (count && tenant) await this.changed(tenant.id);
    return tenant;
  }

  /**
   * Forge: registers or links the tenant of an installation.
   *
   * - `installEvent` (`avi:forge:installed:app`, `avi:forge:upgraded:app`): like Connect's
   *   `installed` — creates the tenant with home = this region (the realm's remote Atlassian
   *   called), or links the site's tenant found by installation id or by cloudId (a site
   *   installed through Connect, or reinstalled with a new installation id), re-activates it and
   *   cancels its pending deletion. A repeated event is a no-op; a late retry for an installation
   *   that was uninstalled since is `stale` (a real reinstall always has a new installation id).
   * - otherwise (the first product call or residency hook of an installation): creates or links
   *   only an active tenant; an uninstalled site's tenant is `inactive` and stays untouched.
   *
   * The installation id doubles as clientKey of a tenant first seen through Forge; it has no
   * shared secret (Forge calls back with the system token Atlassian sends with each call).
   * https://developer.atlassian.com/platform/forge/events-reference/life-cycle/
   */
  async linkForge(
    installation: ForgeInstallation,
    options: { installEvent: boolean },
  ): Promise<ForgeLinkResult> {
    const { db, region } = this.options;
    const { installationId, cloudId, apiBaseUrl } = installation;
    if (apiBaseUrl) this.options.assertBaseUrl?.(apiBaseUrl);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await db.$transaction(async (tx): Promise<ForgeLinkResult> => {
          const byInstallation = await tx.tenant.findUnique({ where: { installationId } });
          const existing =
            byInstallation ?? (cloudId ? await tx.tenant.findUnique({ where: { cloudId } }) : null);
          const ids = {
            installationId,
            ...(cloudId ? { cloudId } : {}),
            ...(apiBaseUrl ? { forgeApiBaseUrl: apiBaseUrl } : {}),
          };
          if (!existing) {
            const tenant = await tx.tenant.create({
              data: {
                clientKey: installationId,
                platform: 'forge',
                baseUrl: apiBaseUrl ?? '',
                homeRegion: region,
                ...ids,
              },
            });
            return { outcome: 'linked', tenant, created: true, reinstalled: false, cancelledDeletions: [] };
          }
          const inactive = existing.state === 'uninstalled' || existing.state === 'deleted';
          if (inactive && byInstallation) return { outcome: 'stale', tenant: existing };
          if (!options.installEvent && existing.state !== 'active')
            return { outcome: 'inactive', tenant: existing };
          const pending = options.installEvent ? await this.cancelPendingDeletions(tx, existing.id) : [];
          const unchanged =
            !inactive &&
            pending.length === 0 &&
            existing.installationId === installationId &&
            (!cloudId || existing.cloudId === cloudId) &&
            (!apiBaseUrl || existing.forgeApiBaseUrl === apiBaseUrl);
          if (unchanged) {
            return {
              outcome: 'linked',
              tenant: existing,
              created: false,
              reinstalled: false,
              cancelledDeletions: [],
            };
          }
          const tenant = await tx.tenant.update({
            where: { id: existing.id },
            data: {
              ...ids,
              ...(inactive ? { state: 'active', uninstalledAt: null } : {}),
              // A deleted tenant's data is gone everywhere: it starts over in this region.
              ...(existing.state === 'deleted' ? { homeRegion: region } : {}),
              revision: { increment: 1 },
            },
          });
          return {
            outcome: 'linked',
            tenant,
            created: false,
            reinstalled: inactive || pending.length > 0,
            cancelledDeletions: pending.map((d) => d.id),
          };
        });
        // Also clears every router's memory of the installation as unknown.
        if (result.outcome === 'linked') await this.changed(result.tenant.id);
        return result;
      } catch (err) {
        // Two concurrent first calls of one installation: the loser retries and finds the row.
        if (isUniqueViolation(err) && attempt < 2) continue;
        throw err;
      }
    }
  }

  /**
   * A returning site (Connect reinstall or Forge install event): its pending deletions are
   * cancelled in the same transaction that re-activates it. Returns the cancelled ones.
   */
  private async cancelPendingDeletions(
    tx: Parameters<Parameters<DirectoryDb['$transaction']>[0]>[0],
    tenantId: string,
  ): Promise<Array<{ id: string }>> {
    const pending = await tx.deletion.findMany({
      where: { tenantId, state: 'pending' },
      select: { id: true },
    });
    if (pending.length) {
      await tx.deletion.updateMany({
        where: { id: { in: pending.map((d) => d.id) }, state: 'pending' },
        data: { state: 'cancelled', completedAt: this.now() },
      });
    }
    return pending;
  }

  private async changed(tenantId: string): Promise<void> {
    this.options.cache.invalidate(tenantId);
    await publishTenantChanged(this.options.publisher, tenantId, this.options.channelPrefix);
  }
}
