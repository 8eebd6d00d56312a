import type { Node } from 'constructs';
import { regions as defaultRegions, type RegionConfig } from './regions.js';
import type { ServiceName } from './services.js';

/** Instance sizes and counts; chosen by the `rt:sizeProfile` context key. */
export interface SizeProfile {
  readonly regionalDbInstanceClass: string;
  readonly regionalDbAllocatedStorageGb: number;
  readonly regionalDbMultiAz: boolean;
  readonly backupRetentionDays: number;
  /** Aurora global databases need r-class instances. */
  readonly directoryInstanceClass: string;
  readonly redisNodeType: string;
  readonly redisReplicas: number;
  readonly natGateways: number;
  readonly tasks: Readonly<Record<ServiceName, { cpu: number; memoryMiB: number; desiredCount: number }>>;
}

const smallTask = { cpu: 256, memoryMiB: 512, desiredCount: 1 };

export const sizeProfiles: Readonly<Record<string, SizeProfile>> = {
  production: {
    regionalDbInstanceClass: 'r6g.large',
    regionalDbAllocatedStorageGb: 100,
    regionalDbMultiAz: true,
    backupRetentionDays: 14,
    directoryInstanceClass: 'r6g.large',
    redisNodeType: 'cache.r7g.large',
    redisReplicas: 1,
    natGateways: 2,
    tasks: {
      router: { cpu: 512, memoryMiB: 1024, desiredCount: 3 },
      layout: { cpu: 512, memoryMiB: 1024, desiredCount: 2 },
      theme: { cpu: 512, memoryMiB: 1024, desiredCount: 2 },
      asset: { cpu: 512, memoryMiB: 1024, desiredCount: 2 },
      'residency-migration': { cpu: 256, memoryMiB: 512, desiredCount: 2 },
      worker: { cpu: 1024, memoryMiB: 2048, desiredCount: 2 },
    },
  },
  staging: {
    regionalDbInstanceClass: 't4g.medium',
    regionalDbAllocatedStorageGb: 20,
    regionalDbMultiAz: false,
    backupRetentionDays: 7,
    directoryInstanceClass: 'r6g.large',
    redisNodeType: 'cache.t4g.small',
    redisReplicas: 1,
    natGateways: 1,
    tasks: {
      router: smallTask,
      layout: smallTask,
      theme: smallTask,
      asset: smallTask,
      'residency-migration': smallTask,
      worker: smallTask,
    },
  },
};

/** Where container images come from; see README "Container images". */
export type ImageSource = 'asset' | 'ecr';

/** Everything that varies between deployments, read once from CDK context. */
export interface DeploymentConfig {
  /** AWS account id; absent = environment-agnostic (region only), which is what offline synth uses. */
  readonly account?: string;
  /** Public apex of the app, e.g. `refined-toolkit.example.com`. */
  readonly domainName: string;
  /** Existing public Route 53 zone for `domainName` (imported by attributes, never looked up). */
  readonly hostedZoneId: string;
  readonly sizes: SizeProfile;
  readonly imageSource: ImageSource;
  /** Tag of the ECR images when `imageSource` is `ecr` (CI sets it to the commit sha). */
  readonly imageTag: string;
  readonly operatorOidcIssuer: string;
  readonly operatorJwksUrl: string;
  readonly regions: readonly RegionConfig[];
  /**
   * The Forge app and environment the routers serve (`FORGE_APP_ID`, `FORGE_ENVIRONMENT_TYPE`,
   * `FORGE_ENVIRONMENT_ID`); absent: Forge calls are refused. Same app id as forge/manifest.yml.
   */
  readonly forge?: {
    readonly appId: string;
    readonly environmentType: 'PRODUCTION' | 'STAGING' | 'DEVELOPMENT';
    readonly environmentId: string;
  };
  /** Stack/resource name prefix, so a second deployment (staging) can live in the same account. */
  readonly prefix: string;
}

function contextString(node: Node, key: string, fallback?: string): string {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw new Error(`Missing CDK context "${key}" (set it in cdk.json or pass -c ${key}=...)`);
  }
  if (typeof value !== 'string') throw new Error(`CDK context "${key}" must be a string`);
  return value;
}

/**
 * Reads the deployment settings from CDK context (cdk.json or `-c key=value`).
 * `regions` defaults to config/regions.ts; tests pass their own list.
 */
export function loadDeploymentConfig(
  node: Node,
  regions: readonly RegionConfig[] = defaultRegions,
): DeploymentConfig {
  const profileName = contextString(node, 'rt:sizeProfile', 'production');
  const sizes = sizeProfiles[profileName];
  if (!sizes)
    throw new Error(`Unknown rt:sizeProfile "${profileName}"; use one of ${Object.keys(sizeProfiles)}`);
  const imageSource = contextString(node, 'rt:imageSource', 'asset');
  if (imageSource !== 'asset' && imageSource !== 'ecr') {
    throw new Error(`rt:imageSource must be "asset" or "ecr", got "${imageSource}"`);
  }
  const account = contextString(node, 'rt:account', '');
  if (account !== '' && !/^\d{12}$/.test(account))
    throw new Error(`rt:account must be 12 digits, got ${account}`);
  return {
    ...(account === '' ? {} : { account }),
    domainName: contextString(node, 'rt:domainName'),
    hostedZoneId: contextString(node, 'rt:hostedZoneId'),
    sizes,
    imageSource,
    imageTag: contextString(node, 'rt:imageTag', 'latest'),
    operatorOidcIssuer: contextString(node, 'rt:operatorOidcIssuer'),
    operatorJwksUrl: contextString(node, 'rt:operatorJwksUrl'),
    regions,
    ...forgeContext(node),
    prefix: contextString(node, 'rt:prefix', 'rt'),
  };
}

/** `rt:forgeAppId` with `rt:forgeEnvironmentType` and `rt:forgeEnvironmentId` (all or none). */
function forgeContext(node: Node): Pick<DeploymentConfig, 'forge'> {
  const appId = contextString(node, 'rt:forgeAppId', '');
  if (appId === '') return {};
  if (!/^ari:cloud:ecosystem::app\/[A-Za-z0-9-]+$/.test(appId))
    throw new Error(`rt:forgeAppId must be an app ARI (ari:cloud:ecosystem::app/<uuid>), got ${appId}`);
  const environmentType = contextString(node, 'rt:forgeEnvironmentType');
  if (
    environmentType !== 'PRODUCTION' &&
    environmentType !== 'STAGING' &&
    environmentType !== 'DEVELOPMENT'
  ) {
    throw new Error(
      `rt:forgeEnvironmentType must be PRODUCTION, STAGING or DEVELOPMENT, got ${environmentType}`,
    );
  }
  return { forge: { appId, environmentType, environmentId: contextString(node, 'rt:forgeEnvironmentId') } };
}
