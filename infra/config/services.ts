/**
 * What each deployable needs from the platform. The regional stack grants exactly this and
 * nothing more (least privilege): a service that is not listed for a resource gets neither its
 * secret nor an IAM permission for it.
 */
export type ServiceName = 'router' | 'layout' | 'theme' | 'asset' | 'residency-migration' | 'worker';

export interface ServiceSpec {
  readonly name: ServiceName;
  /** Dockerfile path relative to the repository root (the Docker build context). */
  readonly dockerfile: string;
  /** Name other services use to reach it through Service Connect; absent = accepts no requests. */
  readonly internalDnsName?: string;
  /** Env var the router reads to find this service. */
  readonly urlEnvVar?: string;
  /** Reads/writes the region's own Postgres. */
  readonly regionalDatabase: boolean;
  /** Directory access: `write` gets the writer endpoint as well as the local reader. */
  readonly directory: 'read' | 'write';
  readonly redis: boolean;
  /** Own-region asset bucket access. */
  readonly bucket: 'none' | 'read' | 'read-write';
  /**
   * Read access to the tenant objects (`tenants/*`) of every other region's bucket: the target
   * region of a migration copies them into its own bucket with S3 CopyObject.
   */
  readonly readsOtherRegionsBuckets: boolean;
  /** Needs `ENCRYPTION_KEY` (tenant shared secrets in the directory). */
  readonly encryptionKey: boolean;
  /** Runs on the public ALB. */
  readonly public: boolean;
  /**
   * Asks the router whether a user may write (POST /internal/v1/permissions/check over Service
   * Connect, `ROUTER_INTERNAL_URL`): the router alone holds the tenants' Confluence secrets.
   */
  readonly asksRouterForPermissions?: boolean;
  /**
   * Serves the region-export endpoint (`/region-export/*`) through the public ALB: another
   * region's worker pulls a migrating tenant from it over HTTPS with a region-export token
   * (`REGION_EXPORT_SECRET`), so no region needs another region's database credentials.
   */
  readonly servesRegionExport?: boolean;
}

/** Service Connect name of the router for the services' permission questions. */
export const routerInternalDnsName = 'router';

/** The six deployables, one Dockerfile each under `services/<name>/`. */
export const services: readonly ServiceSpec[] = [
  {
    name: 'router',
    dockerfile: 'services/Dockerfile',
    regionalDatabase: false,
    directory: 'write',
    redis: true,
    bucket: 'none',
    readsOtherRegionsBuckets: false,
    encryptionKey: true,
    public: true,
  },
  {
    name: 'layout',
    dockerfile: 'services/Dockerfile',
    internalDnsName: 'layout',
    urlEnvVar: 'LAYOUT_URL',
    regionalDatabase: true,
    directory: 'read',
    // The tenant-change bus: invalidates the read cache across replicas.
    redis: true,
    bucket: 'none',
    readsOtherRegionsBuckets: false,
    encryptionKey: false,
    public: false,
    asksRouterForPermissions: true,
  },
  {
    name: 'theme',
    dockerfile: 'services/Dockerfile',
    internalDnsName: 'theme',
    urlEnvVar: 'THEME_URL',
    regionalDatabase: true,
    directory: 'read',
    // The tenant-change bus: invalidates the read cache across replicas.
    redis: true,
    bucket: 'none',
    readsOtherRegionsBuckets: false,
    encryptionKey: false,
    public: false,
    asksRouterForPermissions: true,
  },
  {
    name: 'asset',
    dockerfile: 'services/Dockerfile',
    internalDnsName: 'asset',
    urlEnvVar: 'ASSET_URL',
    regionalDatabase: true,
    directory: 'read',
    redis: false,
    bucket: 'read-write',
    readsOtherRegionsBuckets: false,
    encryptionKey: false,
    public: false,
    asksRouterForPermissions: true,
  },
  {
    name: 'residency-migration',
    dockerfile: 'services/Dockerfile',
    internalDnsName: 'residency-migration',
    urlEnvVar: 'MIGRATION_URL',
    regionalDatabase: true,
    directory: 'write',
    redis: true,
    bucket: 'read',
    readsOtherRegionsBuckets: false,
    encryptionKey: false,
    public: false,
  },
  {
    name: 'worker',
    dockerfile: 'services/Dockerfile',
    regionalDatabase: true,
    directory: 'write',
    redis: true,
    bucket: 'read-write',
    readsOtherRegionsBuckets: true,
    encryptionKey: false,
    public: false,
    servesRegionExport: true,
  },
];

/** Port every container listens on (`PORT`). */
export const containerPort = 8080;
