import {
  CONNECT_LIFECYCLE,
  CONNECT_MODULES,
  type DescriptorConfig,
  realmBaseUrls,
} from '../routes/descriptor.js';

/**
 * Paths of the remote that Forge calls without a user: the life-cycle `trigger`'s endpoint and
 * the `migration:dataResidency` hooks (`{path}/schedule`, `/start`, `/status`, `/commit`,
 * `/rollback`). The router serves them; the manifest names them — one owner for both.
 */
export const FORGE_PATHS = {
  lifecycle: '/forge/lifecycle',
  residency: '/forge/dare-migration',
} as const;

/** Key of the one remote: the regional routers, with one base URL per Atlassian realm. */
export const FORGE_REMOTE_KEY = 'refined-toolkit';

/** Forge life-cycle events the app subscribes to. */
export const FORGE_LIFECYCLE_EVENT_TYPES = {
  installed: 'avi:forge:installed:app',
  upgraded: 'avi:forge:upgraded:app',
  uninstalled: 'avi:forge:uninstalled:app',
} as const;

/** What the manifest is generated from: the descriptor's configuration plus the Forge app id. */
export interface ForgeManifestConfig extends DescriptorConfig {
  /** `FORGE_APP_ID`: the app ARI (`ari:cloud:ecosystem::app/<uuid>`). */
  forgeAppId: string;
}

/**
 * The Forge manifest of the Connect-on-Forge app, generated from the same region configuration
 * as the Connect descriptor:
 *
 * - `app.connect` keeps the Connect app key, so existing Connect installations upgrade in place,
 *   and points at the remote; `connectModules` keeps the Connect pages and life-cycle callbacks.
 *   https://developer.atlassian.com/platform/adopting-forge-from-connect/
 * - one remote whose `baseUrl` has a `default` and one URL per realm the regions serve (EU and
 *   DE → EU stack, US → US stack): Forge pins an installation to its site's realm at install time
 *   ("realm pinning"), and `storage.inScopeEUD: true` with `operations: [storage, compute]`
 *   declares that the remote stores in-scope end-user data there.
 *   https://developer.atlassian.com/platform/forge/remote/remote-realm-pinning/
 *   https://developer.atlassian.com/platform/forge/manifest-reference/remotes/
 * - `migration:dataResidency` on that remote: Forge's residency service calls
 *   `{remote}{path}/{schedule,start,status,commit,rollback}` with a FIT when the customer moves
 *   the site's data; `maxMigrationDurationHours` is the configured limit (Forge allows 0.5–24).
 *   https://developer.atlassian.com/platform/forge/remote/remote-realm-migration/
 * - a `trigger` for the install, upgrade and uninstall life-cycle events delivered to an
 *   `endpoint` on the remote, with the app system token, so the back end learns of installs and
 *   uninstalls of Forge installations (deletion 30 days after uninstall).
 *   https://developer.atlassian.com/platform/forge/events-reference/life-cycle/
 *   https://developer.atlassian.com/platform/forge/remote/sending-product-events/
 */
export function forgeManifest(config: ForgeManifestConfig): Record<string, unknown> {
  const lifecycleEndpoint = 'lifecycle-endpoint';
  const connectModules: Record<string, unknown> = {};
  for (const [name, modules] of Object.entries(CONNECT_MODULES))
    connectModules[`confluence:${name}`] = modules;
  // Connect's residency hooks are replaced by `migration:dataResidency` once the app is on Forge.
  connectModules['confluence:lifecycle'] = [{ key: 'lifecycle-events', ...CONNECT_LIFECYCLE }];
  return {
    app: {
      id: config.forgeAppId,
      connect: { key: config.appKey, remote: FORGE_REMOTE_KEY, authentication: 'jwt' },
      licensing: { enabled: true },
      // Required by the manifest schema even for an app without Forge functions.
      runtime: { name: 'nodejs22.x' },
    },
    remotes: [
      {
        key: FORGE_REMOTE_KEY,
        baseUrl: { default: config.appBaseUrl, ...realmBaseUrls(config.regions) },
        operations: ['storage', 'compute'],
        storage: { inScopeEUD: true },
        // Product calls arrive with the app system token (`x-forge-oauth-system`), which the
        // permission check uses against the site's `app.apiBaseUrl`.
        auth: { appSystemToken: { enabled: true } },
      },
    ],
    modules: {
      'migration:dataResidency': [
        {
          key: 'data-residency',
          remote: FORGE_REMOTE_KEY,
          path: FORGE_PATHS.residency,
          maxMigrationDurationHours: config.maxMigrationDurationHours,
        },
      ],
      trigger: [
        {
          key: 'lifecycle-trigger',
          endpoint: lifecycleEndpoint,
          events: Object.values(FORGE_LIFECYCLE_EVENT_TYPES),
        },
      ],
      endpoint: [
        {
          key: lifecycleEndpoint,
          remote: FORGE_REMOTE_KEY,
          route: { path: FORGE_PATHS.lifecycle },
          auth: { appSystemToken: { enabled: true } },
        },
      ],
    },
    connectModules,
    permissions: {
      scopes: [
        // Connect's READ scope.
        'read:connect-confluence',
        // The system token, and what the permission check reads with it.
        'read:app-system-token',
        'read:confluence-user',
        'read:confluence-groups',
        'read:confluence-space.summary',
      ],
    },
  };
}
