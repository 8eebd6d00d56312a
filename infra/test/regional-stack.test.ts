import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { services } from '../config/services.js';
import { RegionalStack } from '../lib/regional-stack.js';
import {
  environmentOf,
  resourcesOf,
  roleIdOf,
  type Synthesised,
  secretNamesOf,
  statementsOfRole,
  synthesise,
  taskDefinitionOf,
  testContext,
} from './synth.js';

let synth: Synthesised;
beforeAll(() => {
  synth = synthesise();
});

const regionIds = ['EU', 'US'] as const;
const template = (id: string) => {
  const t = synth.regional.get(id);
  if (!t) throw new Error(`no template for ${id}`);
  return t;
};

describe('one construct, every region', () => {
  it('synthesises EU in eu-central-1 and US in us-east-1 from the same RegionalStack class', () => {
    const eu = synth.stacks.regional.get('EU');
    const us = synth.stacks.regional.get('US');
    expect(eu).toBeInstanceOf(RegionalStack);
    expect(us).toBeInstanceOf(RegionalStack);
    expect(eu?.region).toBe('eu-central-1');
    expect(us?.region).toBe('us-east-1');
    expect(eu?.stackName).toBe('rt-region-eu');
    expect(us?.stackName).toBe('rt-region-us');
  });

  it('orders deployment: global first, then the directory writer region, then the others', () => {
    const eu = synth.stacks.regional.get('EU')!;
    const us = synth.stacks.regional.get('US')!;
    expect(eu.dependencies).toContain(synth.stacks.global);
    expect(us.dependencies).toEqual(expect.arrayContaining([synth.stacks.global, eu]));
    expect(eu.dependencies).not.toContain(us);
  });
});

describe.each(regionIds)('regional stack %s', (regionId) => {
  it('has six Fargate services, all in private subnets without public IPs', () => {
    const t = template(regionId);
    const ecsServices = Object.values(resourcesOf(t, 'AWS::ECS::Service'));
    expect(ecsServices).toHaveLength(services.length);
    const subnets = resourcesOf(t, 'AWS::EC2::Subnet');
    for (const service of ecsServices) {
      const network = (
        service.Properties.NetworkConfiguration as { AwsvpcConfiguration: Record<string, unknown> }
      ).AwsvpcConfiguration;
      expect(network.AssignPublicIp).toBe('DISABLED');
      const refs = (network.Subnets as Array<{ Ref: string }>).map((s) => s.Ref);
      expect(refs.length).toBeGreaterThanOrEqual(2);
      for (const ref of refs) {
        const subnet = subnets[ref];
        expect(subnet, ref).toBeDefined();
        expect(subnet?.Properties.MapPublicIpOnLaunch).toBe(false);
        expect(subnet?.Properties.Tags).toEqual(
          expect.arrayContaining([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]),
        );
      }
    }
  });

  it('updates the services the router calls before the router (the tokens they accept)', () => {
    const t = template(regionId);
    const ecsServices = resourcesOf(t, 'AWS::ECS::Service');
    const idOf = (name: string) => {
      const id = Object.keys(ecsServices).find((key) =>
        key.includes(`${name.replace(/[^A-Za-z0-9]/g, '')}Service`),
      );
      if (!id) throw new Error(`no ECS service for ${name}`);
      return id;
    };
    const router = ecsServices[idOf('router')] as { DependsOn?: string[] };
    const called = services.filter((s) => s.internalDnsName).map((s) => idOf(s.name));
    expect(called.length).toBeGreaterThanOrEqual(4);
    expect(router.DependsOn).toEqual(expect.arrayContaining(called));
  });

  it('opens no security group to the internet except the public ALB on 443', () => {
    const t = template(regionId);
    const albs = Object.values(resourcesOf(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(albs).toHaveLength(1);
    expect(albs[0]!.Properties.Scheme).toBe('internet-facing');
    const albGroups = (albs[0]!.Properties.SecurityGroups as Array<{ 'Fn::GetAtt': [string, string] }>).map(
      (g) => g['Fn::GetAtt'][0],
    );

    const openRules: Array<{ group: string; rule: Record<string, unknown> }> = [];
    for (const [id, group] of Object.entries(resourcesOf(t, 'AWS::EC2::SecurityGroup'))) {
      for (const rule of (group.Properties.SecurityGroupIngress as Array<Record<string, unknown>>) ?? []) {
        openRules.push({ group: id, rule });
      }
    }
    for (const ingress of Object.values(resourcesOf(t, 'AWS::EC2::SecurityGroupIngress'))) {
      const groupId = ingress.Properties.GroupId as { 'Fn::GetAtt'?: [string, string] };
      openRules.push({ group: groupId['Fn::GetAtt']?.[0] ?? 'unknown', rule: ingress.Properties });
    }
    const publicRules = openRules.filter(
      ({ rule }) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0',
    );
    expect(publicRules.length).toBeGreaterThan(0);
    for (const { group, rule } of publicRules) {
      expect(albGroups).toContain(group);
      expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    }
  });

  it('terminates TLS 1.2+ only on the ALB and has no plain-HTTP listener', () => {
    const t = template(regionId);
    const listeners = Object.values(resourcesOf(t, 'AWS::ElasticLoadBalancingV2::Listener'));
    expect(listeners).toHaveLength(1);
    expect(listeners[0]?.Properties).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
  });

  it('keeps the asset bucket KMS-encrypted, private, TLS-only, ACL-free, with multipart clean-up', () => {
    const t = template(regionId);
    t.resourceCountIs('AWS::S3::Bucket', 1);
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', [`rt-assets-${regionId.toLowerCase()}-`, { Ref: 'AWS::AccountId' }]] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('encrypts every database, keeps it private, backed up and deletion-protected', () => {
    const t = template(regionId);
    const instances = Object.values(resourcesOf(t, 'AWS::RDS::DBInstance'));
    expect(instances.length).toBeGreaterThanOrEqual(2);
    for (const instance of instances) {
      expect(instance.Properties.PubliclyAccessible).toBe(false);
      if (instance.Properties.Engine === 'postgres') {
        expect(instance.Properties).toMatchObject({ StorageEncrypted: true, DeletionProtection: true });
        expect(instance.Properties.BackupRetentionPeriod).toBeGreaterThanOrEqual(7);
        expect(instance.Properties.KmsKeyId).toBeDefined();
      }
    }
    t.resourceCountIs(
      'AWS::RDS::DBInstance',
      instances.filter((i) => i.Properties.Engine === 'postgres').length + (regionId === 'EU' ? 2 : 1),
    );
    for (const cluster of Object.values(resourcesOf(t, 'AWS::RDS::DBCluster'))) {
      expect(cluster.Properties).toMatchObject({ StorageEncrypted: true, DeletionProtection: true });
      expect(cluster.Properties.BackupRetentionPeriod).toBeGreaterThanOrEqual(7);
    }
    for (const subnetGroup of Object.values(resourcesOf(t, 'AWS::RDS::DBSubnetGroup'))) {
      const subnets = resourcesOf(t, 'AWS::EC2::Subnet');
      for (const ref of subnetGroup.Properties.SubnetIds as Array<{ Ref: string }>) {
        expect(subnets[ref.Ref]?.Properties.Tags).toEqual(
          expect.arrayContaining([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]),
        );
      }
    }
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
  });

  it('runs Redis with noeviction, TLS, encryption at rest and an AUTH token from Secrets Manager', () => {
    const t = template(regionId);
    const groups = resourcesOf(t, 'AWS::ElastiCache::ParameterGroup');
    const [groupId, group] = Object.entries(groups)[0]!;
    expect(group.Properties.Properties).toEqual({ 'maxmemory-policy': 'noeviction' });
    const replication = Object.values(resourcesOf(t, 'AWS::ElastiCache::ReplicationGroup'));
    expect(replication).toHaveLength(1);
    const props = replication[0]!.Properties;
    expect(props).toMatchObject({
      CacheParameterGroupName: { Ref: groupId },
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
    });
    expect(JSON.stringify(props.AuthToken)).toContain('{{resolve:secretsmanager:');
  });

  it('keeps access logs (the only IP sink) for exactly 14 days, and the router logs there', () => {
    const t = template(regionId);
    const groups = resourcesOf(t, 'AWS::Logs::LogGroup');
    const access = Object.entries(groups).filter(([, g]) =>
      String(g.Properties.LogGroupName).endsWith('/router-access'),
    );
    expect(access).toHaveLength(1);
    const [accessId, accessGroup] = access[0]!;
    expect(accessGroup.Properties.RetentionInDays).toBe(14);
    const router = taskDefinitionOf(t, 'router').properties.ContainerDefinitions as Array<{
      LogConfiguration: { Options: Record<string, unknown> };
    }>;
    expect(router[0]?.LogConfiguration.Options['awslogs-group']).toEqual({ Ref: accessId });
    for (const group of Object.values(groups)) expect(group.Properties.RetentionInDays).toBeDefined();
  });

  it('exposes internal services only to the router through Service Connect', () => {
    const t = template(regionId);
    const ecsServices = resourcesOf(t, 'AWS::ECS::Service');
    const byName = (name: string) =>
      Object.entries(ecsServices).find(([id]) => id.startsWith(`Services${name}Service`))?.[1];
    const namespace = `${regionId.toLowerCase()}.rt.internal`;
    for (const [logicalName, dnsName] of [
      ['layout', 'layout'],
      ['theme', 'theme'],
      ['asset', 'asset'],
      ['residencymigration', 'residency-migration'],
    ]) {
      expect(byName(logicalName!)?.Properties.ServiceConnectConfiguration, logicalName).toEqual({
        Enabled: true,
        Namespace: namespace,
        Services: [{ ClientAliases: [{ DnsName: dnsName, Port: 8080 }], PortName: 'http' }],
      });
    }
    // The router answers the services' permission questions at router:8080; the worker takes
    // no requests at all.
    expect(byName('router')?.Properties.ServiceConnectConfiguration).toEqual({
      Enabled: true,
      Namespace: namespace,
      Services: [{ ClientAliases: [{ DnsName: 'router', Port: 8080 }], PortName: 'http' }],
    });
    expect(byName('worker')?.Properties.ServiceConnectConfiguration).toBeUndefined();
    // Internal services accept 8080 only from the router's security group.
    const groups = resourcesOf(t, 'AWS::EC2::SecurityGroupIngress');
    const routerGroup = Object.keys(resourcesOf(t, 'AWS::EC2::SecurityGroup')).find((id) =>
      id.startsWith('ServicesrouterSecurityGroup'),
    );
    const toPort8080 = Object.values(groups).filter((g) => g.Properties.FromPort === 8080);
    // 4 internal services from the router + router and worker from the ALB + router from the 3
    // services that ask it for permissions.
    expect(toPort8080.length).toBe(9);
    const askers = ['layout', 'theme', 'asset'].map((n) =>
      Object.keys(resourcesOf(t, 'AWS::EC2::SecurityGroup')).find((id) =>
        id.startsWith(`Services${n}SecurityGroup`),
      ),
    );
    for (const ingress of toPort8080) {
      const source = (ingress.Properties.SourceSecurityGroupId as { 'Fn::GetAtt': [string] })[
        'Fn::GetAtt'
      ][0];
      expect([
        routerGroup,
        ...askers,
        ...Object.keys(resourcesOf(t, 'AWS::EC2::SecurityGroup')).filter((id) =>
          id.startsWith('ServicesPublicAlb'),
        ),
      ]).toContain(source);
    }
    // The public ALB has two target groups: the router, and the worker for `/region-export/*`
    // only (other regions pull migrating tenants from it).
    expect(Object.keys(resourcesOf(t, 'AWS::ElasticLoadBalancingV2::TargetGroup'))).toHaveLength(2);
    const router = environmentOf(t, 'router');
    expect(router.get('LAYOUT_URL')).toBe('http://layout:8080');
    expect(router.get('ACCESS_LOG_SINK')).toBe('stdout');
    for (const name of ['layout', 'theme', 'asset']) {
      expect(environmentOf(t, name).get('ROUTER_INTERNAL_URL'), name).toBe('http://router:8080');
    }
    // The permission endpoint never answers through the public ALB.
    const rules = Object.values(resourcesOf(t, 'AWS::ElasticLoadBalancingV2::ListenerRule'));
    expect(rules.map((r) => r.Properties.Conditions)).toContainEqual([
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/internal/*'] } },
    ]);
    expect(router.get('THEME_URL')).toBe('http://theme:8080');
    expect(router.get('ASSET_URL')).toBe('http://asset:8080');
    expect(router.get('MIGRATION_URL')).toBe('http://residency-migration:8080');
    // Only the router verifies Forge Invocation Tokens: app and environment from context.
    expect(router.get('FORGE_APP_ID')).toBe(testContext['rt:forgeAppId']);
    expect(router.get('FORGE_ENVIRONMENT_TYPE')).toBe('PRODUCTION');
    expect(router.get('FORGE_ENVIRONMENT_ID')).toBe(testContext['rt:forgeEnvironmentId']);
    expect(environmentOf(t, 'layout').has('FORGE_APP_ID')).toBe(false);
  });

  it('routes only /region-export/* to the worker, which holds the shared export key and no other database', () => {
    const t = template(regionId);
    const other = regionId === 'EU' ? 'US' : 'EU';
    const rules = Object.values(resourcesOf(t, 'AWS::ElasticLoadBalancingV2::ListenerRule'));
    const exportRule = rules.find((r) =>
      JSON.stringify(r.Properties.Conditions).includes('/region-export/*'),
    );
    expect(exportRule?.Properties.Conditions).toEqual([
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/region-export/*'] } },
    ]);
    expect(exportRule?.Properties.Actions).toMatchObject([{ Type: 'forward' }]);
    const worker = environmentOf(t, 'worker');
    expect(worker.get(`REGION_${other}_EXPORT_URL`)).toBe(`https://${other.toLowerCase()}.rt.example.test`);
    for (const key of worker.keys()) expect(key).not.toMatch(new RegExp(`^REGION_${other}_DATABASE`));
    const secrets = secretNamesOf(t, 'worker');
    expect(secrets).toContain('REGION_EXPORT_SECRET');
    expect(secrets.filter((n) => n.startsWith(`REGION_${other}_`))).toEqual([]);
    for (const spec of services.filter((s) => s.name !== 'worker')) {
      expect(secretNamesOf(t, spec.name), spec.name).not.toContain('REGION_EXPORT_SECRET');
    }
  });

  it('sets the env contract, with secrets only from Secrets Manager', () => {
    const t = template(regionId);
    const r = regionId;
    for (const spec of services) {
      const env = environmentOf(t, spec.name);
      expect(env.get('REGION')).toBe(r);
      expect(env.get('REGIONS')).toBe('EU,US');
      expect(env.get('REGION_ALIASES')).toBe('DE:EU');
      expect(env.get('PORT')).toBe('8080');
      expect(env.get('APP_BASE_URL')).toBe('https://app.rt.example.test');
      expect(env.get('REGION_EU_BASE_URL')).toBe('https://eu.rt.example.test');
      expect(env.get('REGION_US_BASE_URL')).toBe('https://us.rt.example.test');
      expect(env.get('REGION_EU_AWS_REGION')).toBe('eu-central-1');
      expect(env.get('REGION_US_AWS_REGION')).toBe('us-east-1');
      expect(env.has('REGION_EU_S3_BUCKET') && env.has('REGION_US_S3_BUCKET')).toBe(true);
      expect(env.has('DIRECTORY_READ_DATABASE_HOST')).toBe(true);
      expect(env.has('DIRECTORY_DATABASE_HOST')).toBe(spec.directory === 'write');
      for (const name of env.keys())
        expect(name, spec.name).not.toMatch(/PASSWORD|SECRET|TOKEN|ENCRYPTION_KEY|_USER$/);
      const secrets = secretNamesOf(t, spec.name);
      expect(secrets).toEqual(
        expect.arrayContaining(['DIRECTORY_DATABASE_PASSWORD', 'DIRECTORY_DATABASE_USER']),
      );
      expect(secrets.includes(`REGION_${r}_DATABASE_PASSWORD`)).toBe(spec.regionalDatabase);
      expect(secrets.includes(`REGION_${r}_REDIS_AUTH_TOKEN`)).toBe(spec.redis);
      expect(secrets.includes('ENCRYPTION_KEY')).toBe(spec.encryptionKey);
      expect(secrets.includes('INTERNAL_TOKEN_SECRET')).toBe(spec.name !== 'worker');
    }
    expect(JSON.stringify(t.toJSON())).not.toMatch(/"(Master)?UserPassword":\s*"[^{]/);
  });

  it('grants S3 only to services that need it, and cross-region read only to the worker', () => {
    const t = template(regionId);
    const other = regionId === 'EU' ? 'us' : 'eu';
    const s3Statements = (service: string) =>
      statementsOfRole(t, roleIdOf(taskDefinitionOf(t, service).properties.TaskRoleArn)).filter((s) =>
        JSON.stringify(s.Action).includes('s3:'),
      );
    for (const name of ['router', 'layout', 'theme']) expect(s3Statements(name), name).toHaveLength(0);
    for (const name of ['asset', 'residency-migration', 'worker']) {
      expect(s3Statements(name).length, name).toBeGreaterThan(0);
    }
    const crossRegion = (service: string) =>
      s3Statements(service).filter((s) => JSON.stringify(s.Resource).includes(`rt-assets-${other}-`));
    expect(crossRegion('asset')).toHaveLength(0);
    expect(crossRegion('residency-migration')).toHaveLength(0);
    // The target of a migration may read the source bucket's tenant objects for CopyObject —
    // nothing else: no listing, no write, no bucket-level action, no other prefix.
    const worker = crossRegion('worker');
    expect(worker).toHaveLength(1);
    expect(worker[0]?.Action).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging']);
    const resources = [worker[0]?.Resource].flat();
    expect(resources).toHaveLength(1);
    expect(JSON.stringify(resources[0])).toMatch(new RegExp(`rt-assets-${other}-.*"/tenants/\\*"`));
    // residency-migration reads its own bucket only.
    for (const s of s3Statements('residency-migration')) {
      expect(JSON.stringify(s.Action)).not.toMatch(/Put|Delete/);
    }
  });

  it("grants each service's execution role only the secrets in its task definition", () => {
    const t = template(regionId);
    const secrets = resourcesOf(t, 'AWS::SecretsManager::Secret');
    const internalTokenId = Object.keys(secrets).find((id) => id.startsWith('InternalTokenSecret'))!;
    const readsInternalToken = (service: string) =>
      statementsOfRole(t, roleIdOf(taskDefinitionOf(t, service).properties.ExecutionRoleArn)).some((s) =>
        JSON.stringify(s.Resource).includes(internalTokenId),
      );
    const readsEncryptionKey = (service: string) =>
      statementsOfRole(t, roleIdOf(taskDefinitionOf(t, service).properties.ExecutionRoleArn)).some((s) =>
        JSON.stringify(s.Resource).includes('global/encryption-key'),
      );
    expect(readsInternalToken('layout')).toBe(true);
    expect(readsInternalToken('worker')).toBe(false);
    expect(readsEncryptionKey('router')).toBe(true);
    for (const name of ['layout', 'theme', 'asset', 'residency-migration', 'worker']) {
      expect(readsEncryptionKey(name), name).toBe(false);
    }
  });

  it('publishes the region base URL as an alias to its ALB, with a certificate for it and app.', () => {
    const t = template(regionId);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${regionId.toLowerCase()}.rt.example.test.`,
      Type: 'A',
      HostedZoneId: 'Z0TEST0000000000000',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: `${regionId.toLowerCase()}.rt.example.test`,
      SubjectAlternativeNames: ['app.rt.example.test'],
      ValidationMethod: 'DNS',
    });
  });
});

describe('directory members', () => {
  it('puts the writer in EU (first region) and a write-forwarding secondary in US', () => {
    const eu = Object.values(resourcesOf(template('EU'), 'AWS::RDS::DBCluster'));
    const us = Object.values(resourcesOf(template('US'), 'AWS::RDS::DBCluster'));
    expect(eu).toHaveLength(1);
    expect(us).toHaveLength(1);
    expect(eu[0]?.Properties).toMatchObject({
      GlobalClusterIdentifier: 'rt-directory',
      DatabaseName: 'directory',
    });
    expect(JSON.stringify(eu[0]?.Properties.MasterUserPassword)).toContain('{{resolve:secretsmanager:');
    expect(us[0]?.Properties).toMatchObject({
      GlobalClusterIdentifier: 'rt-directory',
      EnableGlobalWriteForwarding: true,
    });
    expect(us[0]?.Properties.MasterUsername).toBeUndefined();
  });
});
