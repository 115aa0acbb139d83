import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';

import { ArchiveBucket } from '../../lib/archive-bucket';

describe('ArchiveBucket', () => {
  it('is private, TLS only, encrypted with the given key, expires after retentionDays, logs access, and is retained', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555');

    // WHEN
    new ArchiveBucket(stack, 'Archive', { retentionDays: 30, encryptionKey: key });
    const template = Template.fromStack(stack);

    // THEN
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn } })] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })] },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'archive/' }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('has an Athena table over it, partitioned by queue and day with partition projection (no crawler)', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });

    // WHEN
    new ArchiveBucket(stack, 'Archive', { retentionDays: 365 });
    const template = Template.fromStack(stack);

    // THEN
    template.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] }, LoggingConfiguration: Match.anyValue() });
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        PartitionKeys: [{ Name: 'queue', Type: 'string' }, { Name: 'day', Type: 'string' }],
        Parameters: Match.objectLike({ 'projection.enabled': 'true', 'projection.queue.type': 'injected', 'projection.day.type': 'date', 'projection.day.format': 'yyyy/MM/dd' }),
        StorageDescriptor: Match.objectLike({ SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }) }),
      }),
    });
  });

  it('fails for a retention that is no whole number of days', () => {
    const stack = new Stack();
    expect(() => new ArchiveBucket(stack, 'Archive', { retentionDays: 0 })).toThrow(/retentionDays must be a whole number of days >= 1; got 0/);
  });
});
