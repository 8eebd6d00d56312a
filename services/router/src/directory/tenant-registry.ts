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
}

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
      baseUrl: payload.baseUrl,
      displayUrl: payload.displayUrl ?? null,
      productType: payload.productType,
      installationId: payload.installationId ?? null,
      sharedSecretEnc,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await db.$transaction(async (tx) => {
          const existing = await tx.tenant.findUnique({ where: { clientKey: payload.clientKey } });
          if (!existing) {
            const tenant = await tx.tenant.create({
              data: { clientKey: payload.clientKey, platform: 'connect', homeRegion: region, ...fields },
            });
            return { tenant, created: true, reinstalled: false, cancelledDeletions: [] };
          }
          const pending = await tx.deletion.findMany({
            where: { tenantId: existing.id, state: 'pending' },
            select: { id: true },
          });
          if (pending.length) {
            await tx.deletion.updateMany({
              where: { id: { in: pending.map((d) => d.id) }, state: 'pending' },
              data: { state: 'cancelled', completedAt: this.now() },
            });
          }
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
          return { tenant, created: false, reinstalled, cancelledDeletions: pending.map((d) => d.id) };
        });
        await this.changed(result.tenant.id);
        return result;
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
  async uninstall(
    clientKey: string,
  ): Promise<{ tenant: directory.Tenant; deletion: directory.Deletion; created: boolean } | null> {
    const { db } = this.options;
    const result = await db.$transaction(async (tx) => {
      const existing = await tx.tenant.findUnique({ where: { clientKey } });
      if (!existing || existing.state === 'deleted') return null;
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
   * Forge Remote: the first verified invocation of an installation creates its tenant (home =
   * this region). The installation id doubles as clientKey; there is no shared secret.
   */
  async ensureForgeTenant(installationId: string, apiBaseUrl: string): Promise<void> {
    const { db, region } = this.options;
    this.options.assertBaseUrl?.(apiBaseUrl);
    try {
      const tenant = await db.tenant.create({
        data: {
          clientKey: installationId,
          installationId,
          platform: 'forge',
          baseUrl: apiBaseUrl,
          homeRegion: region,
        },
      });
      // Also clears this router's memory of the installation as unknown.
      await this.changed(tenant.id);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  private async changed(tenantId: string): Promise<void> {
    this.options.cache.invalidate(tenantId);
    await publishTenantChanged(this.options.publisher, tenantId, this.options.channelPrefix);
  }
}
