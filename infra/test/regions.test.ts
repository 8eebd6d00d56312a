import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../config/deployment.js';
import { type RegionConfig, regions, validateRegions } from '../config/regions.js';
import { RegionalStack } from '../lib/regional-stack.js';
import {
  environmentOf,
  resourcesOf,
  roleIdOf,
  type Synthesised,
  statementsOfRole,
  synthesise,
  taskDefinitionOf,
  testContext,
} from './synth.js';

/** The whole change needed for a third region: one entry. */
const apac: RegionConfig = {
  id: 'AP',
  awsRegion: 'ap-southeast-2',
  availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
  cidr: '10.30.0.0/16',
  aliases: [],
};

describe('adding a region is a config entry', () => {
  let synth: Synthesised;
  beforeAll(() => {
    synth = synthesise({ regionList: [...regions, apac] });
  });

  it('synthesises a third regional stack from the same construct', () => {
    const stack = synth.stacks.regional.get('AP');
    expect(stack).toBeInstanceOf(RegionalStack);
    expect(stack?.region).toBe('ap-southeast-2');
    expect(stack?.stackName).toBe('rt-region-ap');
    expect(stack?.dependencies).toEqual(
      expect.arrayContaining([synth.stacks.global, synth.stacks.regional.get('EU')]),
    );
    const t = synth.regional.get('AP')!;
    t.resourceCountIs('AWS::ECS::Service', 6);
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: 'rt-directory',
      EnableGlobalWriteForwarding: true,
    });
  });

  it('tells every region about the new one', () => {
    for (const id of ['EU', 'US', 'AP']) {
      const env = environmentOf(synth.regional.get(id)!, 'router');
      expect(env.get('REGIONS')).toBe('EU,US,AP');
      expect(env.get('REGION_AP_BASE_URL')).toBe('https://ap.rt.example.test');
      expect(env.get('REGION_AP_AWS_REGION')).toBe('ap-southeast-2');
    }
  });

  it('extends the global layer: health check, latency record and secret replicas', () => {
    synth.global.resourceCountIs('AWS::Route53::HealthCheck', 3);
    synth.global.hasResourceProperties('AWS::Route53::RecordSet', {
      SetIdentifier: 'AP',
      Region: 'ap-southeast-2',
    });
    for (const secret of Object.values(resourcesOf(synth.global, 'AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.ReplicaRegions).toEqual([
        { Region: 'us-east-1' },
        { Region: 'ap-southeast-2' },
      ]);
    }
  });

  it("lets the new region's worker read both other buckets for migrations", () => {
    const t = synth.regional.get('AP')!;
    const statements = statementsOfRole(t, roleIdOf(taskDefinitionOf(t, 'worker').properties.TaskRoleArn));
    const crossRegion = statements.find((s) => s.Sid === 'ReadOtherRegionBucketsForMigration');
    const resources = JSON.stringify(crossRegion?.Resource);
    expect(resources).toContain('rt-assets-eu-');
    expect(resources).toContain('rt-assets-us-');
    expect(resources).not.toContain('rt-assets-ap-');
  });
});

describe('region list validation', () => {
  it('rejects overlapping CIDRs, duplicate ids/aliases and single-AZ regions', () => {
    expect(() => validateRegions([...regions, { ...apac, cidr: '10.10.0.0/16' }])).toThrow(/CIDR/);
    expect(() => validateRegions([...regions, { ...apac, id: 'DE' }])).toThrow(/DE is used twice/);
    expect(() => validateRegions([...regions, { ...apac, availabilityZones: ['ap-southeast-2a'] }])).toThrow(
      /two availability zones/,
    );
    expect(() => validateRegions(regions)).not.toThrow();
  });

  it('fails synth with a clear message when required context is missing', () => {
    const { 'rt:domainName': _omitted, ...rest } = testContext;
    const app = new App({ context: rest });
    expect(() => loadDeploymentConfig(app.node)).toThrow(/rt:domainName/);
  });
});
