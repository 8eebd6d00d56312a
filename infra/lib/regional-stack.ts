import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment.js';
import type { RegionConfig } from '../config/regions.js';
import { AssetBucket } from './constructs/asset-bucket.js';
import { DirectoryMember } from './constructs/directory-member.js';
import { Redis } from './constructs/redis.js';
import { ServiceFleet } from './constructs/service-fleet.js';
import { passwordExcludedCharacters } from './global-stack.js';
import type { ServiceImages } from './images.js';
import { Naming } from './naming.js';

/** Regional Postgres engine (layouts, themes, asset metadata). */
export const regionalPostgresVersion = rds.PostgresEngineVersion.VER_16_6;

export interface RegionalStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly region: RegionConfig;
  /** Builds the image source inside the stack (ECR repositories and assets are per stack). */
  readonly images: (scope: Construct) => ServiceImages;
}

/**
 * Everything one data-residency region runs, from one construct for every region: network,
 * the region's Postgres, Redis and asset bucket, its member of the directory, secrets, the six
 * services and the public router entry `https://<region>.<domain>`.
 */
export class RegionalStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly fleet: ServiceFleet;
  readonly assets: AssetBucket;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    super(scope, id, props);
    const { config, region } = props;
    const naming = new Naming(config);
    const sizes = config.sizes;
    const secretPrefix = `${config.prefix}/${region.id.toLowerCase()}`;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(region.cidr),
      availabilityZones: [...region.availabilityZones],
      natGateways: sizes.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'services', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });

    const dataKey = new kms.Key(this, 'DataKey', {
      alias: `alias/${config.prefix}/data-${region.id.toLowerCase()}`,
      description: 'Encrypts the region Postgres, the directory member and Redis',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.assets = new AssetBucket(this, 'Assets', {
      bucketName: naming.assetBucketName(region),
      keyAlias: naming.assetKeyAlias(region),
    });

    const databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'Regional Postgres; ingress only from the services that use it',
      allowAllOutbound: false,
    });
    const databaseName = 'refined';
    const database = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: regionalPostgresVersion }),
      instanceType: new ec2.InstanceType(sizes.regionalDbInstanceClass),
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [databaseSecurityGroup],
      publiclyAccessible: false,
      credentials: rds.Credentials.fromGeneratedSecret('rt_app', {
        secretName: `${secretPrefix}/database-credentials`,
        excludeCharacters: passwordExcludedCharacters,
      }),
      databaseName,
      storageEncrypted: true,
      storageEncryptionKey: dataKey,
      storageType: rds.StorageType.GP3,
      allocatedStorage: sizes.regionalDbAllocatedStorageGb,
      maxAllocatedStorage: sizes.regionalDbAllocatedStorageGb * 4,
      multiAz: sizes.regionalDbMultiAz,
      backupRetention: Duration.days(sizes.backupRetentionDays),
      deleteAutomatedBackups: false,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      parameterGroup: new rds.ParameterGroup(this, 'DatabaseParameters', {
        engine: rds.DatabaseInstanceEngine.postgres({ version: regionalPostgresVersion }),
        parameters: { 'rds.force_ssl': '1' },
      }),
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });

    const primaryRegion = naming.directoryPrimaryRegion();
    const directoryCredentials = secretsmanager.Secret.fromSecretNameV2(
      this,
      'DirectoryCredentials',
      naming.directoryCredentialsSecretName(),
    );
    const directory = new DirectoryMember(this, 'Directory', {
      vpc: this.vpc,
      encryptionKey: dataKey,
      globalClusterIdentifier: naming.directoryGlobalClusterId(),
      primary: primaryRegion.id === region.id,
      credentialsSecretName: naming.directoryCredentialsSecretName(),
      instanceClass: sizes.directoryInstanceClass,
      backupRetentionDays: sizes.backupRetentionDays,
    });

    const redis = new Redis(this, 'Redis', {
      vpc: this.vpc,
      encryptionKey: dataKey,
      nodeType: sizes.redisNodeType,
      replicas: sizes.redisReplicas,
      authTokenSecretName: `${secretPrefix}/redis-auth-token`,
    });

    const internalTokenSecret = new secretsmanager.Secret(this, 'InternalTokenSecret', {
      secretName: `${secretPrefix}/internal-token-secret`,
      description: 'INTERNAL_TOKEN_SECRET: signs the router-to-service token inside this region',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    const encryptionKey = secretsmanager.Secret.fromSecretNameV2(
      this,
      'EncryptionKey',
      naming.encryptionKeySecretName(),
    );

    const regionExportKey = secretsmanager.Secret.fromSecretNameV2(
      this,
      'RegionExportKey',
      naming.regionExportKeySecretName(),
    );

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.domainName,
    });
    // Covers the region's own name and the latency-routed app name that may land here.
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: naming.regionHost(region),
      subjectAlternativeNames: [naming.appHost()],
      validation: acm.CertificateValidation.fromDns(zone),
    });

    this.fleet = new ServiceFleet(this, 'Services', {
      vpc: this.vpc,
      region,
      config,
      naming,
      images: props.images(this),
      regionalDatabase: {
        host: database.dbInstanceEndpointAddress,
        port: database.dbInstanceEndpointPort,
        databaseName,
        credentials: database.secret!,
        securityGroup: databaseSecurityGroup,
      },
      directory: {
        host: directory.readHost,
        writeHost: directory.writeHost,
        port: directory.port,
        databaseName: 'directory',
        credentials: directoryCredentials,
        securityGroup: directory.securityGroup,
      },
      redis: {
        host: redis.host,
        port: redis.port,
        authToken: redis.authToken,
        securityGroup: redis.securityGroup,
      },
      bucket: this.assets,
      internalTokenSecret,
      encryptionKey,
      regionExportKey,
      certificate,
    });

    new route53.ARecord(this, 'RegionRecord', {
      zone,
      recordName: naming.regionHost(region),
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.fleet.loadBalancer)),
    });

    new CfnOutput(this, 'BaseUrl', { value: naming.regionBaseUrl(region) });
    new CfnOutput(this, 'AssetBucketName', { value: this.assets.bucket.bucketName });
    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.fleet.loadBalancer.loadBalancerDnsName });
  }
}
