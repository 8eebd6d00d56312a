import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface RedisProps {
  readonly vpc: ec2.IVpc;
  readonly encryptionKey: kms.IKey;
  readonly nodeType: string;
  readonly replicas: number;
  readonly authTokenSecretName: string;
}

/**
 * BullMQ's Redis. `maxmemory-policy noeviction` is required by BullMQ: evicting a job key would
 * silently lose work (https://docs.bullmq.io/guide/going-to-production#max-memory-policy).
 * TLS in transit, encryption at rest, AUTH token from Secrets Manager.
 */
export class Redis extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  readonly authToken: secretsmanager.Secret;
  readonly host: string;
  readonly port: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Redis; ingress only from the services that use it',
      allowAllOutbound: false,
    });
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      secretName: props.authTokenSecretName,
      description: 'Redis AUTH token',
      // AUTH tokens allow printable ASCII except space, " / @; alphanumerics are always safe.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Isolated subnets for Redis',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    const parameters = new elasticache.CfnParameterGroup(this, 'Parameters', {
      description: 'BullMQ: never evict keys',
      cacheParameterGroupFamily: 'redis7',
      properties: { 'maxmemory-policy': 'noeviction' },
    });
    const replicated = props.replicas > 0;
    const group = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'BullMQ queues (work in flight only; durable state is in Postgres)',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: 1 + props.replicas,
      automaticFailoverEnabled: replicated,
      multiAzEnabled: replicated,
      cacheParameterGroupName: parameters.ref,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      port: 6379,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: props.encryptionKey.keyArn,
      // A CloudFormation dynamic reference: resolved by CloudFormation, never in the template.
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: 1,
      autoMinorVersionUpgrade: true,
    });
    this.host = group.attrPrimaryEndPointAddress;
    this.port = group.attrPrimaryEndPointPort;
  }
}
