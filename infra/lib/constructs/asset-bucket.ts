import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface AssetBucketProps {
  readonly bucketName: string;
  readonly keyAlias: string;
}

/**
 * The region's asset bucket (`tenants/{tenantId}/assets/{sha256}`): SSE-KMS with a customer key,
 * no public access, no ACLs, TLS only. Versioned so an accidental overwrite or delete is
 * recoverable; non-current versions expire after 30 days so tenant deletion completes.
 */
export class AssetBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AssetBucketProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: props.keyAlias,
      description: 'Encrypts the region asset bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-noncurrent', noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
