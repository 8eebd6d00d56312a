import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment.js';
import { Naming } from './naming.js';

/** Path the router answers without authentication; used by the ALB and by Route 53. */
export const healthCheckPath = '/health';

/** Aurora PostgreSQL major/minor of the directory; every regional member must use the same. */
export const directoryEngineVersion = rds.AuroraPostgresEngineVersion.VER_16_6;

/** Characters Postgres connection strings and RDS reject in generated passwords. */
export const passwordExcludedCharacters = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

export interface GlobalStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/**
 * The global layer: what exists once for all regions.
 * - the directory database as an Aurora global cluster (its regional members — the writer in the
 *   first region, read replicas with write forwarding elsewhere — are created by the regional stacks);
 * - secrets every region must share (directory credentials, the tenant-secret encryption key),
 *   replicated by Secrets Manager into each region;
 * - health checks on each region's public router and the latency-routed `app.` name that fails
 *   over between regions (a request that lands in the wrong region is forwarded by the router).
 *
 * Deploy it first: the regional stacks join its global cluster and read its replicated secrets.
 * It references nothing in the regional stacks, only deterministic names, so no cross-region
 * exports are needed.
 */
export class GlobalStack extends Stack {
  readonly directoryCredentials: secretsmanager.Secret;
  readonly encryptionKey: secretsmanager.Secret;
  readonly regionExportKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: GlobalStackProps) {
    super(scope, id, props);
    const { config } = props;
    const naming = new Naming(config);
    const replicaRegions = config.regions
      .map((r) => r.awsRegion)
      .filter((awsRegion) => awsRegion !== this.region)
      .map((region) => ({ region }));

    this.directoryCredentials = new secretsmanager.Secret(this, 'DirectoryCredentials', {
      secretName: naming.directoryCredentialsSecretName(),
      description: 'Master credentials of the directory (control plane) Aurora global database',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'rt_directory' }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludeCharacters: passwordExcludedCharacters,
      },
      replicaRegions,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // 43 characters of the base64 alphabet decode (unpadded) to exactly 32 bytes: an AES-256 key
    // that Secrets Manager can generate without a custom resource. Rotation is a re-encryption
    // job, not a Secrets Manager rotation; see README.
    this.encryptionKey = new secretsmanager.Secret(this, 'EncryptionKey', {
      secretName: naming.encryptionKeySecretName(),
      description: 'ENCRYPTION_KEY: AES-256-GCM key (base64, 32 bytes) for tenant shared secrets',
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
      replicaRegions,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Workers of every region sign and verify region-export tokens (migrations) with it.
    this.regionExportKey = new secretsmanager.Secret(this, 'RegionExportKey', {
      secretName: naming.regionExportKeySecretName(),
      description: 'REGION_EXPORT_SECRET: signs the tokens a migration target presents to the source export',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      replicaRegions,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const directory = new rds.CfnGlobalCluster(this, 'DirectoryGlobalCluster', {
      globalClusterIdentifier: naming.directoryGlobalClusterId(),
      engine: 'aurora-postgresql',
      engineVersion: directoryEngineVersion.auroraPostgresFullVersion,
      storageEncrypted: true,
      deletionProtection: true,
    });
    directory.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.domainName,
    });

    for (const region of config.regions) {
      const healthCheck = new route53.CfnHealthCheck(this, `RouterHealth${region.id}`, {
        healthCheckConfig: {
          type: 'HTTPS',
          fullyQualifiedDomainName: naming.regionHost(region),
          port: 443,
          resourcePath: healthCheckPath,
          enableSni: true,
          requestInterval: 30,
          failureThreshold: 3,
        },
        healthCheckTags: [{ key: 'Name', value: `${config.prefix}-router-${region.id.toLowerCase()}` }],
      });
      // Latency routing with health checks: the nearest healthy region answers `app.`; the
      // per-region names (`eu.`, `us.`) stay pinned to their region for `regionBaseUrls`.
      new route53.CfnRecordSet(this, `AppLatency${region.id}`, {
        hostedZoneId: zone.hostedZoneId,
        name: naming.appHost(),
        type: 'CNAME',
        ttl: Duration.minutes(1).toSeconds().toString(),
        resourceRecords: [naming.regionHost(region)],
        setIdentifier: region.id,
        region: region.awsRegion,
        healthCheckId: healthCheck.attrHealthCheckId,
      });
      new CfnOutput(this, `BaseUrl${region.id}`, { value: naming.regionBaseUrl(region) });
    }
    new CfnOutput(this, 'AppBaseUrl', { value: naming.appBaseUrl() });
  }
}
