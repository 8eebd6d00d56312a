import { Aws } from 'aws-cdk-lib';
import type { DeploymentConfig } from '../config/deployment.js';
import type { RegionConfig } from '../config/regions.js';

/**
 * Names shared between stacks. Stacks in different AWS regions cannot reference each other's
 * attributes without custom resources, so everything one stack needs from another is derived
 * from a deterministic name instead (bucket names, secret names, DNS names, the global cluster id).
 */
export class Naming {
  constructor(private readonly config: DeploymentConfig) {}

  regionalStackName(region: RegionConfig): string {
    return `${this.config.prefix}-region-${region.id.toLowerCase()}`;
  }

  globalStackName(): string {
    return `${this.config.prefix}-global`;
  }

  /** Public base URL host of one region's router, e.g. `eu.refined-toolkit.example.com`. */
  regionHost(region: RegionConfig): string {
    return `${region.id.toLowerCase()}.${this.config.domainName}`;
  }

  /** `REGION_<R>_BASE_URL` (Connect descriptor `regionBaseUrls`). */
  regionBaseUrl(region: RegionConfig): string {
    return `https://${this.regionHost(region)}`;
  }

  /** Latency-routed, health-checked host of the app (`APP_BASE_URL`, descriptor `baseUrl`). */
  appHost(): string {
    return `app.${this.config.domainName}`;
  }

  appBaseUrl(): string {
    return `https://${this.appHost()}`;
  }

  /** Bucket names include the account id: S3 names are global across all AWS customers. */
  assetBucketName(region: RegionConfig): string {
    return `${this.config.prefix}-assets-${region.id.toLowerCase()}-${Aws.ACCOUNT_ID}`;
  }

  assetBucketArn(region: RegionConfig): string {
    return `arn:${Aws.PARTITION}:s3:::${this.assetBucketName(region)}`;
  }

  /** KMS alias of the key that encrypts a region's bucket; lets IAM name another region's key. */
  assetKeyAlias(region: RegionConfig): string {
    return `alias/${this.config.prefix}/assets-${region.id.toLowerCase()}`;
  }

  /** Aurora global cluster that holds the directory (control plane). */
  directoryGlobalClusterId(): string {
    return `${this.config.prefix}-directory`;
  }

  /** Replicated to every region by the global stack. */
  directoryCredentialsSecretName(): string {
    return `${this.config.prefix}/global/directory-credentials`;
  }

  /** AES-256-GCM key for tenant secrets in the directory; replicated so every region can decrypt. */
  encryptionKeySecretName(): string {
    return `${this.config.prefix}/global/encryption-key`;
  }

  /**
   * Key of the region-export tokens (`REGION_EXPORT_SECRET`) the workers of all regions share:
   * a migration's target signs with it, the source's export endpoint verifies it.
   */
  regionExportKeySecretName(): string {
    return `${this.config.prefix}/global/region-export-key`;
  }

  /** Cloud Map namespace used by Service Connect inside one region. */
  serviceNamespace(region: RegionConfig): string {
    return `${region.id.toLowerCase()}.${this.config.prefix}.internal`;
  }

  /** The region that hosts the directory's writer: the first entry of the region list. */
  directoryPrimaryRegion(): RegionConfig {
    const primary = this.config.regions[0];
    if (!primary) throw new Error('No regions configured');
    return primary;
  }
}
