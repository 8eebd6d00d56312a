import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { ServiceSpec } from '../config/services.js';

/** Decides where a service's container image comes from. */
export interface ServiceImages {
  imageFor(service: ServiceSpec): ecs.ContainerImage;
}

/**
 * Paths that never belong in a Docker build context. CDK stages (copies) the context into
 * cdk.out for every distinct Dockerfile, so leaving these in would copy gigabytes per synth.
 */
export const dockerContextExcludes: readonly string[] = [
  '**/node_modules',
  '.git',
  '**/cdk.out',
  '**/dist',
  '**/.turbo',
  '**/test-artifacts',
  '.devstack',
  '**/*.log',
  '.env',
];

/**
 * Images built by `cdk deploy` from the repository's Dockerfiles, with the repository root as the
 * build context (`docker build -f services/<name>/Dockerfile .`). Synth only stages the context;
 * the build happens at deploy (or `cdk-assets publish`) time on a machine with Docker.
 */
export function dockerfileImages(repoRoot: string): ServiceImages {
  return {
    imageFor: (service) =>
      ecs.ContainerImage.fromAsset(repoRoot, {
        file: service.dockerfile,
        exclude: [...dockerContextExcludes],
        buildArgs: { SERVICE: service.name },
      }),
  };
}

/**
 * Images CI already pushed to this account's ECR in the stack's region, as
 * `<repositoryPrefix>/<service>:<tag>`. The task execution role is granted pull on exactly those
 * repositories. The unit tests use this source, so they never stage a Docker context.
 */
export function ecrImages(scope: Construct, repositoryPrefix: string, tag: string): ServiceImages {
  const repositories = new Map<string, ecr.IRepository>();
  return {
    imageFor: (service) => {
      let repository = repositories.get(service.name);
      if (!repository) {
        repository = ecr.Repository.fromRepositoryName(
          scope,
          `Repository-${service.name}`,
          `${repositoryPrefix}/${service.name}`,
        );
        repositories.set(service.name, repository);
      }
      return ecs.ContainerImage.fromEcrRepository(repository, tag);
    },
  };
}
