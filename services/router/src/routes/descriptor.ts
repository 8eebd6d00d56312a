import type { PublicRegionTable } from '@rt/config';
import { Type } from '@sinclair/typebox';
import type { RouterConfig } from '../config.js';
import type { RouterApp } from '../types.js';

/** What the Connect descriptor and the Forge manifest are generated from. */
export interface DescriptorConfig {
  appKey: string;
  appBaseUrl: string;
  maxMigrationDurationHours: number;
  regions: PublicRegionTable;
}

/**
 * Atlassian realm → base URL of the region that serves it: every configured region under its own
 * id plus every realm alias (`REGION_ALIASES`, e.g. DE is its own realm, served by the EU stack).
 * Connect's `regionBaseUrls` and the Forge remote's per-realm `baseUrl` alike, so adding a region
 * stays a configuration entry for both.
 */
export function realmBaseUrls(regions: PublicRegionTable): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const location of Object.keys(regions.aliases)) {
    const region = regions.resolveLocation(location);
    if (region) urls[location] = region.baseUrl;
  }
  return urls;
}

/** The Connect modules (pages), shared by the descriptor and the manifest's `connectModules`. */
export const CONNECT_MODULES = {
  adminPages: [
    {
      key: 'refined-toolkit-admin',
      name: { value: 'Refined Toolkit' },
      url: '/app/admin?lic={lic}',
      location: 'system.admin/configuration',
    },
  ],
  spaceToolsTabs: [
    {
      key: 'refined-toolkit-space-theme',
      name: { value: 'Refined Toolkit' },
      url: '/app/space?spaceKey={space.key}',
      location: 'look-and-feel',
    },
  ],
  generalPages: [
    {
      key: 'refined-toolkit-layouts',
      name: { value: 'Layouts' },
      url: '/app/layouts',
      location: 'system.header/left',
    },
  ],
} as const;

/** Connect life-cycle callbacks (paths on the app's base URL). */
export const CONNECT_LIFECYCLE = {
  installed: '/lifecycle/installed',
  uninstalled: '/lifecycle/uninstalled',
  enabled: '/lifecycle/enabled',
  disabled: '/lifecycle/disabled',
} as const;

/**
 * The Connect app descriptor. `regionBaseUrls` pins a new installation to the realm of its site
 * (Atlassian then calls that region's router for `installed`); `dare-migration` and
 * `dataResidency` let Atlassian drive realm migrations; `signed-install` and `context-qsh` opt into
 * the current security model.
 * https://developer.atlassian.com/cloud/confluence/app-descriptor/
 * https://developer.atlassian.com/cloud/confluence/data-residency-migrations/
 */
export function connectDescriptor(config: DescriptorConfig): Record<string, unknown> {
  const regionBaseUrls = realmBaseUrls(config.regions);
  return {
    key: config.appKey,
    name: 'Refined Toolkit',
    description: 'Layouts and themes for Confluence sites and spaces.',
    vendor: { name: 'Refined', url: 'https://www.refined.com' },
    baseUrl: config.appBaseUrl,
    regionBaseUrls,
    authentication: { type: 'jwt' },
    apiVersion: 1,
    enableLicensing: true,
    apiMigrations: { 'signed-install': true, 'context-qsh': true, gdpr: true },
    lifecycle: { ...CONNECT_LIFECYCLE, 'dare-migration': '/dare-migration' },
    dataResidency: { maxMigrationDurationHours: config.maxMigrationDurationHours },
    // READ: the back end asks the site whether a user may administer a space or the site.
    scopes: ['READ'],
    modules: CONNECT_MODULES,
  };
}

/** `GET /atlassian-connect.json` (public: Atlassian fetches it to install and update the app). */
export async function descriptorRoutes(app: RouterApp, { config }: { config: RouterConfig }): Promise<void> {
  const body = connectDescriptor(config);
  app.get(
    '/atlassian-connect.json',
    {
      config: { public: true },
      schema: { response: { 200: Type.Object({ key: Type.String() }, { additionalProperties: true }) } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return body as { key: string };
    },
  );
}
