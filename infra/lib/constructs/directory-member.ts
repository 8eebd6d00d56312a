import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { directoryEngineVersion } from '../global-stack.js';

export interface DirectoryMemberProps {
  readonly vpc: ec2.IVpc;
  readonly encryptionKey: kms.IKey;
  /** Aurora global cluster created by the global stack. */
  readonly globalClusterIdentifier: string;
  /** The first region hosts the writer; every other region a read-only secondary. */
  readonly primary: boolean;
  /** Name of the (replicated) master credentials secret. */
  readonly credentialsSecretName: string;
  readonly instanceClass: string;
  readonly backupRetentionDays: number;
}

/**
 * One region's member of the directory's Aurora global database.
 *
 * Services always talk to their own region's member, so there is no cross-region database
 * traffic: reads hit the local reader endpoint (`DIRECTORY_READ_DATABASE_*`); writes go to the
 * writer endpoint in the primary region, and in other regions to the local reader endpoint with
 * Aurora global write forwarding, which sends them to the primary
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-postgresql-write-forwarding.html).
 */
export class DirectoryMember extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  /** Host writers use (writer endpoint in the primary region, forwarding reader elsewhere). */
  readonly writeHost: string;
  readonly readHost: string;
  readonly port: string;
  readonly cluster: rds.CfnDBCluster;

  constructor(scope: Construct, id: string, props: DirectoryMemberProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Directory database member; ingress only from the services that use it',
      allowAllOutbound: false,
    });
    const subnets = new rds.CfnDBSubnetGroup(this, 'Subnets', {
      dbSubnetGroupDescription: 'Isolated subnets of the directory member',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    const parameters = new rds.CfnDBClusterParameterGroup(this, 'Parameters', {
      description: 'Directory: TLS only; forwarded writes are read-your-writes within a session',
      family: `aurora-postgresql${directoryEngineVersion.auroraPostgresMajorVersion}`,
      parameters: {
        'rds.force_ssl': '1',
        ...(props.primary ? {} : { 'apg_write_forward.consistency_mode': 'session' }),
      },
    });

    this.cluster = new rds.CfnDBCluster(this, 'Cluster', {
      engine: 'aurora-postgresql',
      engineVersion: directoryEngineVersion.auroraPostgresFullVersion,
      globalClusterIdentifier: props.globalClusterIdentifier,
      dbSubnetGroupName: subnets.ref,
      dbClusterParameterGroupName: parameters.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      storageEncrypted: true,
      kmsKeyId: props.encryptionKey.keyArn,
      deletionProtection: true,
      backupRetentionPeriod: props.backupRetentionDays,
      copyTagsToSnapshot: true,
      port: 5432,
      // Only the primary carries credentials; secondaries replicate users from it.
      ...(props.primary
        ? {
            masterUsername: SecretValue.secretsManager(props.credentialsSecretName, {
              jsonField: 'username',
            }).unsafeUnwrap(),
            masterUserPassword: SecretValue.secretsManager(props.credentialsSecretName, {
              jsonField: 'password',
            }).unsafeUnwrap(),
            databaseName: 'directory',
          }
        : { enableGlobalWriteForwarding: true }),
    });
    this.cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);

    // Primary: writer + reader; secondary: one reader (promotable on regional failover).
    const instanceCount = props.primary ? 2 : 1;
    for (let i = 0; i < instanceCount; i++) {
      const instance = new rds.CfnDBInstance(this, `Instance${i + 1}`, {
        dbClusterIdentifier: this.cluster.ref,
        dbInstanceClass: `db.${props.instanceClass}`,
        engine: 'aurora-postgresql',
        publiclyAccessible: false,
        dbSubnetGroupName: subnets.ref,
      });
      instance.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    }

    this.readHost = this.cluster.attrReadEndpointAddress;
    this.writeHost = props.primary ? this.cluster.attrEndpointAddress : this.cluster.attrReadEndpointAddress;
    this.port = this.cluster.attrEndpointPort;
  }
}
