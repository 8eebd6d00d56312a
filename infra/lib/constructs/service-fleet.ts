import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DeploymentConfig } from '../../config/deployment.js';
import { type RegionConfig, regionAliases } from '../../config/regions.js';
import {
  containerPort,
  routerInternalDnsName,
  type ServiceName,
  type ServiceSpec,
  services,
} from '../../config/services.js';
import { healthCheckPath } from '../global-stack.js';
import type { ServiceImages } from '../images.js';
import type { Naming } from '../naming.js';
import type { AssetBucket } from './asset-bucket.js';

/** Connection pieces of a Postgres the services use. Credentials stay in Secrets Manager. */
export interface PostgresEndpoint {
  readonly host: string;
  readonly port: string;
  readonly databaseName: string;
  readonly credentials: secretsmanager.ISecret;
  readonly securityGroup: ec2.ISecurityGroup;
}

export interface ServiceFleetProps {
  readonly vpc: ec2.IVpc;
  readonly region: RegionConfig;
  readonly config: DeploymentConfig;
  readonly naming: Naming;
  readonly images: ServiceImages;
  readonly regionalDatabase: PostgresEndpoint;
  readonly directory: { readonly writeHost: string } & PostgresEndpoint;
  readonly redis: {
    readonly host: string;
    readonly port: string;
    readonly authToken: secretsmanager.ISecret;
    readonly securityGroup: ec2.ISecurityGroup;
  };
  readonly bucket: AssetBucket;
  readonly internalTokenSecret: secretsmanager.ISecret;
  readonly encryptionKey: secretsmanager.ISecret;
  /** `REGION_EXPORT_SECRET`, shared by the workers of all regions (global, replicated). */
  readonly regionExportKey: secretsmanager.ISecret;
  readonly certificate: acm.ICertificate;
}

/**
 * The six services on one ECS Fargate cluster in private subnets. Only the router is reachable
 * from outside, through the public ALB; the others are reachable from the router alone, through
 * ECS Service Connect (`http://layout:8080` etc.). Each service has its own task role, security
 * group and secrets, limited to what config/services.ts says it needs.
 */
export class ServiceFleet extends Construct {
  readonly cluster: ecs.Cluster;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly services = new Map<ServiceName, ecs.FargateService>();
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFleetProps) {
    super(scope, id);
    const { vpc, region, naming } = props;
    const regionId = region.id;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      defaultCloudMapNamespace: { name: naming.serviceNamespace(region), useForServiceConnect: true },
    });

    const albSecurityGroup = new ec2.SecurityGroup(this, 'PublicAlbSecurityGroup', {
      vpc,
      description: 'Public ALB of the router: HTTPS only',
      allowAllOutbound: false,
    });
    albSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'PublicAlb', {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: albSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      // TLS 1.3 + 1.2 only.
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
    });

    // The router's log stream is the access log: the only place an IP address is stored.
    // The promise to customers is 14 days (ARCHITECTURE.md), so retention is fixed here.
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/${props.config.prefix}/${regionId.toLowerCase()}/router-access`,
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const common = this.commonEnvironment(props);
    const securityGroups = new Map<ServiceName, ec2.SecurityGroup>();
    for (const spec of services) {
      securityGroups.set(
        spec.name,
        new ec2.SecurityGroup(this, `${spec.name}SecurityGroup`, {
          vpc,
          description: `${spec.name} tasks`,
          allowAllOutbound: true,
        }),
      );
    }
    const routerSecurityGroup = securityGroups.get('router')!;

    for (const spec of services) {
      const securityGroup = securityGroups.get(spec.name)!;
      const size = props.config.sizes.tasks[spec.name];
      const taskDefinition = new ecs.FargateTaskDefinition(this, `${spec.name}Task`, {
        cpu: size.cpu,
        memoryLimitMiB: size.memoryMiB,
        runtimePlatform: {
          cpuArchitecture: ecs.CpuArchitecture.X86_64,
          operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        },
      });
      const logGroup =
        spec.name === 'router'
          ? this.accessLogGroup
          : new logs.LogGroup(this, `${spec.name}Logs`, {
              logGroupName: `/${props.config.prefix}/${regionId.toLowerCase()}/${spec.name}`,
              retention: logs.RetentionDays.ONE_MONTH,
              removalPolicy: RemovalPolicy.DESTROY,
            });
      const { environment, secrets } = this.serviceEnvironment(spec, props, common);
      const acceptsRequests = spec.public || spec.internalDnsName !== undefined || spec.servesRegionExport;
      taskDefinition.addContainer('app', {
        image: props.images.imageFor(spec),
        environment,
        secrets,
        logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: spec.name }),
        ...(acceptsRequests
          ? {
              portMappings: [
                {
                  name: 'http',
                  containerPort,
                  protocol: ecs.Protocol.TCP,
                  appProtocol: ecs.AppProtocol.http,
                },
              ],
            }
          : {}),
      });
      this.grantData(spec, props, taskDefinition.taskRole);

      const service = new ecs.FargateService(this, `${spec.name}Service`, {
        cluster: this.cluster,
        taskDefinition,
        desiredCount: size.desiredCount,
        assignPublicIp: false,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [securityGroup],
        circuitBreaker: { rollback: true },
        minHealthyPercent: 100,
        maxHealthyPercent: 200,
        // Service Connect: internal services publish `<name>:8080`; the router is a client only.
        ...(spec.internalDnsName
          ? {
              serviceConnectConfiguration: {
                services: [{ portMappingName: 'http', dnsName: spec.internalDnsName, port: containerPort }],
              },
            }
          : spec.public
            ? {
                // The router is a client of the internal services and answers their permission
                // questions at `router:8080` (never exposed through the ALB: see the listener rule).
                serviceConnectConfiguration: {
                  services: [
                    { portMappingName: 'http', dnsName: routerInternalDnsName, port: containerPort },
                  ],
                },
              }
            : {}),
      });
      service
        .autoScaleTaskCount({ minCapacity: size.desiredCount, maxCapacity: size.desiredCount * 4 })
        .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
      this.services.set(spec.name, service);

      if (spec.public) {
        listener.addTargets('Router', {
          port: containerPort,
          protocol: elbv2.ApplicationProtocol.HTTP,
          targets: [service],
          healthCheck: { path: healthCheckPath, healthyHttpCodes: '200' },
          deregistrationDelay: Duration.seconds(30),
        });
        // Internal endpoints (the services' permission questions) are not for the internet.
        listener.addAction('InternalPathsBlocked', {
          priority: 1,
          conditions: [elbv2.ListenerCondition.pathPatterns(['/internal/*'])],
          action: elbv2.ListenerAction.fixedResponse(404, {
            contentType: 'application/json',
            messageBody: '{"code":"ROUTE_NOT_FOUND","message":"not found"}',
          }),
        });
      } else if (spec.servesRegionExport) {
        // Other regions' workers pull migrating tenants over HTTPS through this region's ALB;
        // only `/region-export/*` reaches the worker, and every request needs a region-export
        // token (own key and audience, bound to one migration and direction, 60 s).
        listener.addTargets('RegionExport', {
          priority: 2,
          conditions: [elbv2.ListenerCondition.pathPatterns(['/region-export/*'])],
          port: containerPort,
          protocol: elbv2.ApplicationProtocol.HTTP,
          targets: [service],
          healthCheck: { path: healthCheckPath, healthyHttpCodes: '200' },
          deregistrationDelay: Duration.seconds(30),
        });
      } else if (spec.internalDnsName) {
        securityGroup.addIngressRule(
          routerSecurityGroup,
          ec2.Port.tcp(containerPort),
          'router via Service Connect',
        );
      }
      if (spec.asksRouterForPermissions) {
        routerSecurityGroup.addIngressRule(
          securityGroup,
          ec2.Port.tcp(containerPort),
          `${spec.name}: permission questions via Service Connect`,
        );
      }

      // Data stores accept connections only from the services that use them.
      if (spec.regionalDatabase) {
        props.regionalDatabase.securityGroup.addIngressRule(securityGroup, ec2.Port.tcp(5432), spec.name);
      }
      props.directory.securityGroup.addIngressRule(securityGroup, ec2.Port.tcp(5432), spec.name);
      if (spec.redis) props.redis.securityGroup.addIngressRule(securityGroup, ec2.Port.tcp(6379), spec.name);
    }

    // Deployment order: the services the router calls are updated (and stable) before the router,
    // which is rolled back first. A router may hand out a read's service token up to 90 s old
    // (`REUSED_TOKEN_TTL_SECONDS` in @rt/auth), which a service accepts only from the build that
    // introduced that lifetime on; a newer router beside an older service would see reads refused.
    const router = this.services.get('router')!;
    for (const spec of services) {
      if (spec.internalDnsName) router.node.addDependency(this.services.get(spec.name)!);
    }
  }

  private commonEnvironment(props: ServiceFleetProps): Record<string, string> {
    const { config, naming, region } = props;
    const environment: Record<string, string> = {
      NODE_ENV: 'production',
      PORT: String(containerPort),
      REGION: region.id,
      REGIONS: config.regions.map((r) => r.id).join(','),
      REGION_ALIASES: regionAliases(config.regions),
      APP_BASE_URL: naming.appBaseUrl(),
      OPERATOR_OIDC_ISSUER: config.operatorOidcIssuer,
      OPERATOR_JWKS_URL: config.operatorJwksUrl,
    };
    for (const other of config.regions) {
      environment[`REGION_${other.id}_AWS_REGION`] = other.awsRegion;
      environment[`REGION_${other.id}_BASE_URL`] = naming.regionBaseUrl(other);
      environment[`REGION_${other.id}_S3_BUCKET`] = naming.assetBucketName(other);
    }
    return environment;
  }

  /**
   * Env and secrets of one service. Connection strings are not stored anywhere: the service
   * assembles `postgres://USER:PASSWORD@HOST:PORT/NAME?sslmode=require` and
   * `rediss://:AUTH_TOKEN@HOST:PORT` at start-up from these parts (README, "Service environment").
   */
  private serviceEnvironment(
    spec: ServiceSpec,
    props: ServiceFleetProps,
    common: Record<string, string>,
  ): { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } {
    const r = props.region.id;
    const environment: Record<string, string> = { ...common, SERVICE_NAME: spec.name };
    const secrets: Record<string, ecs.Secret> = {};
    const fromSecret = (secret: secretsmanager.ISecret, field?: string) =>
      ecs.Secret.fromSecretsManager(secret, field);

    if (spec.public) {
      for (const target of services) {
        if (target.urlEnvVar && target.internalDnsName) {
          environment[target.urlEnvVar] = `http://${target.internalDnsName}:${containerPort}`;
        }
      }
    }
    if (spec.public || spec.internalDnsName) {
      secrets.INTERNAL_TOKEN_SECRET = fromSecret(props.internalTokenSecret);
    }
    if (spec.public) {
      // Access log lines (the only ones with an IP) go to stdout → the 14-day access-log group.
      environment.ACCESS_LOG_SINK = 'stdout';
      // Forge Invocation Tokens must name this app and environment (the router checks both).
      const forge = props.config.forge;
      if (forge) {
        environment.FORGE_APP_ID = forge.appId;
        environment.FORGE_ENVIRONMENT_TYPE = forge.environmentType;
        environment.FORGE_ENVIRONMENT_ID = forge.environmentId;
      }
    }
    if (spec.asksRouterForPermissions) {
      environment.ROUTER_INTERNAL_URL = `http://${routerInternalDnsName}:${containerPort}`;
    }
    if (spec.encryptionKey) secrets.ENCRYPTION_KEY = fromSecret(props.encryptionKey);
    if (spec.servesRegionExport) {
      secrets.REGION_EXPORT_SECRET = fromSecret(props.regionExportKey);
      // Where each other region's export endpoint answers: its public host (ALB rule above).
      for (const other of props.config.regions.filter((o) => o.id !== r)) {
        environment[`REGION_${other.id}_EXPORT_URL`] = props.naming.regionBaseUrl(other);
      }
    }

    if (spec.regionalDatabase) {
      const db = props.regionalDatabase;
      environment[`REGION_${r}_DATABASE_HOST`] = db.host;
      environment[`REGION_${r}_DATABASE_PORT`] = db.port;
      environment[`REGION_${r}_DATABASE_NAME`] = db.databaseName;
      secrets[`REGION_${r}_DATABASE_USER`] = fromSecret(db.credentials, 'username');
      secrets[`REGION_${r}_DATABASE_PASSWORD`] = fromSecret(db.credentials, 'password');
    }

    const directory = props.directory;
    environment.DIRECTORY_READ_DATABASE_HOST = directory.host;
    if (spec.directory === 'write') environment.DIRECTORY_DATABASE_HOST = directory.writeHost;
    environment.DIRECTORY_DATABASE_PORT = directory.port;
    environment.DIRECTORY_DATABASE_NAME = directory.databaseName;
    secrets.DIRECTORY_DATABASE_USER = fromSecret(directory.credentials, 'username');
    secrets.DIRECTORY_DATABASE_PASSWORD = fromSecret(directory.credentials, 'password');

    if (spec.redis) {
      environment[`REGION_${r}_REDIS_HOST`] = props.redis.host;
      environment[`REGION_${r}_REDIS_PORT`] = props.redis.port;
      environment[`REGION_${r}_REDIS_TLS`] = 'true';
      secrets[`REGION_${r}_REDIS_AUTH_TOKEN`] = fromSecret(props.redis.authToken);
    }
    return { environment, secrets };
  }

  /** Bucket and key grants; secrets are granted to the execution role by `secrets` above. */
  private grantData(spec: ServiceSpec, props: ServiceFleetProps, role: iam.IRole): void {
    const { bucket } = props.bucket;
    if (spec.bucket === 'read-write') bucket.grantReadWrite(role);
    if (spec.bucket === 'read') bucket.grantRead(role);
    if (!spec.readsOtherRegionsBuckets) return;

    // Another region's bucket and key live in a stack we cannot reference, so they are named:
    // the bucket by its deterministic name, the key by its alias (kms:ResourceAliases).
    const others = props.config.regions.filter((other) => other.id !== props.region.id);
    if (others.length === 0) return;
    const stack = Stack.of(this);
    // Exactly what an S3 CopyObject needs on the source: read the tenant objects. No listing
    // (the source region lists its own bucket and sends the list over the export endpoint), no
    // write or delete (each region deletes only its own copy).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOtherRegionBucketsForMigration',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging'],
        resources: others.map((other) => `${props.naming.assetBucketArn(other)}/tenants/*`),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptOtherRegionBucketsForMigration',
        actions: ['kms:Decrypt'],
        resources: others.map(
          (other) => `arn:${stack.partition}:kms:${other.awsRegion}:${stack.account}:key/*`,
        ),
        conditions: {
          'ForAnyValue:StringEquals': {
            'kms:ResourceAliases': others.map((o) => props.naming.assetKeyAlias(o)),
          },
          StringEquals: { 'kms:ViaService': others.map((o) => `s3.${o.awsRegion}.amazonaws.com`) },
        },
      }),
    );
  }
}
