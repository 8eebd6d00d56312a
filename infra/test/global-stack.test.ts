import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOf, type Synthesised, synthesise } from './synth.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthesise();
});

describe('global stack', () => {
  it('lives in the directory writer region and creates no VPC or public endpoint of its own', () => {
    expect(synth.stacks.global.region).toBe('eu-central-1');
    synth.global.resourceCountIs('AWS::EC2::VPC', 0);
    synth.global.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  it('defines the directory as an encrypted, deletion-protected Aurora PostgreSQL global cluster', () => {
    synth.global.hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'rt-directory',
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      DeletionProtection: true,
    });
    synth.global.hasResource('AWS::RDS::GlobalCluster', { DeletionPolicy: 'Retain' });
  });

  it('replicates the shared secrets into every other region', () => {
    const secrets = Object.values(resourcesOf(synth.global, 'AWS::SecretsManager::Secret'));
    expect(secrets.map((s) => s.Properties.Name).sort()).toEqual([
      'rt/global/directory-credentials',
      'rt/global/encryption-key',
      'rt/global/region-export-key',
    ]);
    for (const secret of secrets) {
      expect(secret.Properties.ReplicaRegions).toEqual([{ Region: 'us-east-1' }]);
      expect(secret.Properties.SecretString).toBeUndefined();
    }
    // 43 base64-alphabet characters decode to exactly 32 bytes (AES-256).
    synth.global.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'rt/global/encryption-key',
      GenerateSecretString: { PasswordLength: 43, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  it('health-checks each region over HTTPS and routes app. by latency to healthy regions only', () => {
    const checks = resourcesOf(synth.global, 'AWS::Route53::HealthCheck');
    expect(Object.keys(checks)).toHaveLength(2);
    for (const host of ['eu.rt.example.test', 'us.rt.example.test']) {
      synth.global.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({
          Type: 'HTTPS',
          FullyQualifiedDomainName: host,
          Port: 443,
          ResourcePath: '/health',
        }),
      });
    }
    const records = Object.values(resourcesOf(synth.global, 'AWS::Route53::RecordSet'));
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.Properties).toMatchObject({
        Name: 'app.rt.example.test',
        Type: 'CNAME',
        HostedZoneId: 'Z0TEST0000000000000',
      });
      const checkId = (record.Properties.HealthCheckId as { 'Fn::GetAtt': [string, string] })[
        'Fn::GetAtt'
      ][0];
      expect(Object.keys(checks)).toContain(checkId);
    }
    expect(
      records.map((r) => [r.Properties.SetIdentifier, r.Properties.Region, r.Properties.ResourceRecords]),
    ).toEqual([
      ['EU', 'eu-central-1', ['eu.rt.example.test']],
      ['US', 'us-east-1', ['us.rt.example.test']],
    ]);
  });

  it('outputs the per-region base URLs for the Connect descriptor regionBaseUrls', () => {
    synth.global.hasOutput('BaseUrlEU', { Value: 'https://eu.rt.example.test' });
    synth.global.hasOutput('BaseUrlUS', { Value: 'https://us.rt.example.test' });
  });
});
