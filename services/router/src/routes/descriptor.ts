import { Type } from '@sinclair/typebox';
import type { RouterConfig } from '../config.js';
import type { RouterApp } from '../types.js';

/** Atlassian realms the descriptor declares (DE is its own realm, served by the EU stack). */
export const DESCRIPTOR_LOCATIONS = ['EU', 'DE', 'US'] as const;

/**
 * The Connect app descriptor. `regionBaseUrls` pins a new installation to the realm of its site
 * (Atlassian then calls that region's router for `installed`); `dare-migration` and
 * `dataResidency` let Atlassian drive realm migrations; `signed-install` and `context-qsh` opt into
 * the current security model.
 * https://developer.atlassian.com/cloud/confluence/app-descriptor/
 * https://developer.atlassian.com/cloud/confluence/data-residency-migrations/
 */
export function connectDescriptor(config: RouterConfig): Record<string, unknown> {
  const regionBaseUrls: Record<string, string> = {};
  for (const location of DESCRIPTOR_LOCATIONS) {
    const region = config.regions.resolveLocation(location);
    if (region) regionBaseUrls[location] = region.baseUrl;
  }
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
    lifecycle: {
      installed: '/lifecycle/installed',
      uninstalled: '/lifecycle/uninstalled',
      enabled: '/lifecycle/enabled',
      disabled: '/lifecycle/disabled',
      'dare-migration': '/dare-migration',
    },
    dataResidency: { maxMigrationDurationHours: config.maxMigrationDurationHours },
    // READ: the back end asks the site whether a user may administer a space or the site.
    scopes: ['READ'],
    modules: {
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
    },
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
