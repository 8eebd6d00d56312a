import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Construct } from 'constructs';
import { loadDeploymentConfig } from '../config/deployment.js';
import { type RegionConfig, regions } from '../config/regions.js';
import { buildStacks, type RefinedToolkitStacks } from '../lib/app.js';
import { ecrImages, type ServiceImages } from '../lib/images.js';

/** Context a deployment would put in cdk.json; tests use ECR images so nothing is staged. */
export const testContext: Record<string, string> = {
  'rt:domainName': 'rt.example.test',
  'rt:hostedZoneId': 'Z0TEST0000000000000',
  'rt:sizeProfile': 'production',
  'rt:imageSource': 'ecr',
  'rt:imageTag': 'test',
  'rt:operatorOidcIssuer': 'https://login.example.test/',
  'rt:operatorJwksUrl': 'https://login.example.test/jwks.json',
  'rt:forgeAppId': 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000001',
  'rt:forgeEnvironmentType': 'PRODUCTION',
  'rt:forgeEnvironmentId': 'ari:cloud:ecosystem::environment/00000000-0000-4000-8000-000000000001/e1',
};

export interface Synthesised {
  readonly app: App;
  readonly stacks: RefinedToolkitStacks;
  readonly global: Template;
  /** Regional templates by region id. */
  readonly regional: ReadonlyMap<string, Template>;
}

/** Builds and synthesises the whole app once; call it once per test file and share the result. */
export function synthesise(
  options: {
    regionList?: readonly RegionConfig[];
    context?: Record<string, string>;
    images?: (scope: Construct) => ServiceImages;
    outdir?: string;
  } = {},
): Synthesised {
  const app = new App({
    context: { ...testContext, ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = loadDeploymentConfig(app.node, options.regionList ?? regions);
  const stacks = buildStacks(app, config, {
    repoRoot: '/nonexistent',
    images: options.images ?? ((scope) => ecrImages(scope, 'rt', 'test')),
  });
  const regional = new Map<string, Template>();
  for (const [id, stack] of stacks.regional) regional.set(id, Template.fromStack(stack));
  return { app, stacks, global: Template.fromStack(stacks.global), regional };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** All resources of a type, keyed by logical id. */
export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** Every policy statement attached to a role (inline `AWS::IAM::Policy` resources). */
export function statementsOfRole(template: Template, roleLogicalId: string): Array<Record<string, unknown>> {
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      ((policy.Properties.Roles as Array<{ Ref?: string }>) ?? []).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
    );
}

/** The task definition of a service (families are `<stack><Services><name>Task...`). */
export function taskDefinitionOf(
  template: Template,
  service: string,
): { logicalId: string; properties: Record<string, unknown> } {
  const defs = resourcesOf(template, 'AWS::ECS::TaskDefinition');
  const key = service.replace(/-/g, '');
  const match = Object.entries(defs).filter(([id]) => id.startsWith(`Services${key}Task`));
  if (match.length !== 1)
    throw new Error(`Expected one task definition for ${service}, found ${match.length}`);
  const [logicalId, resource] = match[0]!;
  return { logicalId, properties: resource.Properties };
}

/** Container definition `app` of a service. */
export function containerOf(template: Template, service: string): Record<string, unknown> {
  const { properties } = taskDefinitionOf(template, service);
  const containers = properties.ContainerDefinitions as Array<Record<string, unknown>>;
  return containers[0]!;
}

/** Env var names → values (values may be CloudFormation intrinsics). */
export function environmentOf(template: Template, service: string): Map<string, unknown> {
  const env = (containerOf(template, service).Environment as Array<{ Name: string; Value: unknown }>) ?? [];
  return new Map(env.map((e) => [e.Name, e.Value]));
}

export function secretNamesOf(template: Template, service: string): string[] {
  const secrets = (containerOf(template, service).Secrets as Array<{ Name: string }>) ?? [];
  return secrets.map((s) => s.Name).sort();
}

/** Role logical id from `{ 'Fn::GetAtt': [id, 'Arn'] }`. */
export function roleIdOf(arn: unknown): string {
  const getAtt = (arn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (!getAtt) throw new Error(`Not a GetAtt: ${JSON.stringify(arn)}`);
  return getAtt[0];
}
