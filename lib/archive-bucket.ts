import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';

import { acknowledge } from './nag-suppressions';

/** The first day the Athena table's date projection covers (no archive is older than the feature). */
const FIRST_ARCHIVE_DAY = '2026/01/01';

export interface ArchiveBucketProps {
  /** objects expire this many days after they are written */
  readonly retentionDays: number;
  /** @default - S3-managed keys (SSE-S3) */
  readonly encryptionKey?: kms.IKey;
  /** the Glue database of the Athena table; @default 'redrive_archive' */
  readonly databaseName?: string;
}

/**
 * The archive (API.md section 12): a bucket of gzip'd JSON lines under `<QueueName>/<yyyy>/<mm>/<dd>/<TaskId>/`,
 * private (Block Public Access), TLS only, encrypted (the configuration's key, else S3-managed), expiring
 * after `retentionDays`, its server access logged to a bucket of its own; retained when the stack is
 * deleted (it is the only copy of what was discarded). A Glue table over it lets Athena query it with SQL,
 * partitioned by queue and day with partition projection, so no crawler and no partition upkeep:
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 */
export class ArchiveBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    // the log bucket admits S3's logging service by bucket policy, not by the legacy log-delivery ACL (set before any child exists)
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1) throw new Error(`ArchiveBucket: retentionDays must be a whole number of days >= 1; got ${props.retentionDays}`);
    // server access logs accept SSE-S3 only (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html)
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(Math.max(props.retentionDays, 90)) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.logBucket, [{ id: 'AwsSolutions-S1', reason: "The archive bucket's access-log bucket: logging its own access would log the logs." }]);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      ...(props.encryptionKey
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'ArchiveRetention', expiration: Duration.days(props.retentionDays) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: { name: props.databaseName ?? 'redrive_archive', description: 'The redrive controller\'s archive of dead letters (docs/archive.md)' },
    });
    const location = `s3://${this.bucket.bucketName}/`;
    this.table = new glue.CfnTable(this, 'Messages', {
      catalogId: account,
      databaseName: props.databaseName ?? 'redrive_archive',
      tableInput: {
        name: 'messages',
        description: 'One row per archived message; query with WHERE queue = \'<DLQ name>\' (and a day range)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'queue', type: 'string' },
          { name: 'day', type: 'string' },
        ],
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          // queue names are not known in advance: taken from the query's WHERE (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html)
          'projection.queue.type': 'injected',
          // https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy/MM/dd',
          'projection.day.range': `${FIRST_ARCHIVE_DAY},NOW`,
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `${location}\${queue}/\${day}/`,
        },
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          compressed: true,
          // the OpenX JSON SerDe reads JSON lines, gzip'd by the .gz suffix (https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html)
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'case.insensitive': 'true' } },
          columns: [
            { name: 'messageid', type: 'string' },
            { name: 'body', type: 'string' },
            { name: 'messageattributes', type: 'map<string,struct<datatype:string,stringvalue:string,binaryvalue:string>>' },
            {
              name: 'attributes',
              type: 'struct<senttimestamp:bigint,approximatereceivecount:int,messagegroupid:string,messagededuplicationid:string,deadletterqueuesourcearn:string>',
            },
            { name: 'queuearn', type: 'string' },
            { name: 'taskid', type: 'string' },
            { name: 'archivedat', type: 'string' },
          ],
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }

  /** s3:PutObject on the archive's objects (and the key's encrypt, when it has one): the functions that write the archive. */
  grantWrite(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteArchive', actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }));
    this.bucket.encryptionKey?.grantEncrypt(grantee);
    this.acknowledgeObjects(grantee);
  }

  /** s3:GetObject on its objects and s3:ListBucket on the bucket (and the key's decrypt): the functions that read the archive. */
  grantRead(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ReadArchiveObjects', actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }));
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ListArchive', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    this.bucket.encryptionKey?.grantDecrypt(grantee);
    this.acknowledgeObjects(grantee);
  }

  private acknowledgeObjects(grantee: IConstruct): void {
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    acknowledge(grantee, [{ id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`, reason: "The archive bucket's objects: one per batch, under keys the mover makes (<QueueName>/<yyyy>/<mm>/<dd>/<TaskId>/...); IAM names objects only by pattern." }]);
  }
}
