import type { App } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/deployment.js';
import { validateRegions } from '../config/regions.js';
import { GlobalStack } from './global-stack.js';
import { dockerfileImages, ecrImages, type ServiceImages } from './images.js';
import { Naming } from './naming.js';
import { RegionalStack } from './regional-stack.js';

export interface RefinedToolkitStacks {
  readonly global: GlobalStack;
  /** Keyed by region id (`EU`, `US`, ...). */
  readonly regional: ReadonlyMap<string, RegionalStack>;
}

export interface BuildOptions {
  /** Repository root, the Docker build context when `imageSource` is `asset`. */
  readonly repoRoot: string;
  /** Overrides the image source (tests). */
  readonly images?: (scope: Construct) => ServiceImages;
}

/**
 * Adds the global stack and one regional stack per configured region to `app`.
 * Deploy order (encoded as stack dependencies): global → first region (directory writer) → others.
 */
export function buildStacks(app: App, config: DeploymentConfig, options: BuildOptions): RefinedToolkitStacks {
  validateRegions(config.regions);
  const naming = new Naming(config);
  const primary = naming.directoryPrimaryRegion();
  const env = (awsRegion: string) =>
    config.account ? { account: config.account, region: awsRegion } : { region: awsRegion };
  const images =
    options.images ??
    (config.imageSource === 'asset'
      ? () => dockerfileImages(options.repoRoot)
      : (scope: Construct) => ecrImages(scope, config.prefix, config.imageTag));

  if (config.account) {
    // With an account, CDK validates the VPC's AZs against an `availability-zones` lookup, which
    // needs AWS credentials. The region config already names the AZs, so answer the lookup from it
    // and keep synth offline.
    for (const region of config.regions) {
      const key = `availability-zones:account=${config.account}:region=${region.awsRegion}`;
      if (app.node.tryGetContext(key) === undefined) app.node.setContext(key, [...region.availabilityZones]);
    }
  }

  const global = new GlobalStack(app, naming.globalStackName(), {
    env: env(primary.awsRegion),
    description: 'Refined Toolkit global layer: directory global database, shared secrets, DNS routing',
    config,
  });

  const regional = new Map<string, RegionalStack>();
  for (const region of config.regions) {
    const stack = new RegionalStack(app, naming.regionalStackName(region), {
      env: env(region.awsRegion),
      description: `Refined Toolkit region ${region.id} (${region.awsRegion})`,
      config,
      region,
      images,
    });
    stack.addStackDependency(global, 'joins the directory global cluster and reads replicated secrets');
    const primaryStack = regional.get(primary.id);
    if (primaryStack)
      stack.addStackDependency(primaryStack, 'the directory writer must exist before secondaries');
    regional.set(region.id, stack);
  }
  return { global, regional };
}
