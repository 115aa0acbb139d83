import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

import { EventBridgeEventPublisher } from '../../../lambda/adapters/eventbridge/eventbridge-event-publisher';
import { EventBusDestination } from '../../../lambda/adapters/replay/event-bus-destination';
import { LambdaFunctionDestination } from '../../../lambda/adapters/replay/lambda-function-destination';
import { SnsTopicDestination } from '../../../lambda/adapters/replay/sns-topic-destination';
import { S3ArchiveStore } from '../../../lambda/adapters/s3/s3-archive-store';
import type { TraceClient } from '../../../lambda/adapters/sdk-client-settings';
import { readSettings } from '../../../lambda/config/environment';
import { createDlqDependencies } from '../../../lambda/entry/dlq-dependencies';

const region = 'us-east-1';
const clientOptions = { credentials: { accessKeyId: 'k', secretAccessKey: 's' } };
const delivery = (target: string) => ({ id: 'm', target, message: { messageId: 'm', receiptHandle: 'h', body: '{"detail-type":"x","source":"s","detail":{}}', messageAttributes: {}, sentTimestamp: 1 } });

/** The clients each entry hands to with-tracing.ts's `traced`, recorded. */
function tracer(): { traced: TraceClient; clients: object[] } {
  const clients: object[] = [];
  return { clients, traced: (client) => (clients.push(client), client) };
}

/**
 * Issue 26: the clients the adapters build themselves, on first use, are traced like those the entries
 * build (X-Ray subsegments for PutEvents, S3, a replay's Invoke, Publish and PutEvents, a peek's SQS calls).
 */
describe('clients built on first use are traced', () => {
  const eventBridge = mockClient(EventBridgeClient);
  const lambda = mockClient(LambdaClient);
  const sns = mockClient(SNSClient);
  const s3 = mockClient(S3Client);
  afterEach(() => [eventBridge, lambda, sns, s3].forEach((mock) => mock.reset()));

  it('the event publisher\'s EventBridge client', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const { traced, clients } = tracer();
    await new EventBridgeEventPublisher({ eventBusName: 'default', region, clientOptions, traced }).publishActivity({ detailType: 'x', resources: [], detail: {} });
    expect(clients).toEqual([expect.any(EventBridgeClient)]);
  });

  it('the archive\'s S3 client', async () => {
    s3.on(PutObjectCommand).resolves({});
    const { traced, clients } = tracer();
    await new S3ArchiveStore({ bucketName: 'archive', region, clientOptions, traced }).put('q/1.jsonl.gz', '{}\n');
    expect(clients).toEqual([expect.any(S3Client)]);
  });

  it('a replay\'s Lambda, SNS and EventBridge clients', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    sns.on(PublishCommand).resolves({ MessageId: 'p' });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    const { traced, clients } = tracer();
    await new LambdaFunctionDestination({ region, clientOptions, traced }).deliver('t', [delivery('arn:aws:lambda:us-east-1:111122223333:function:f')]);
    await new SnsTopicDestination({ region, clientOptions, traced }).deliver('t', [delivery('arn:aws:sns:us-east-1:111122223333:t')]);
    await new EventBusDestination({ region, clientOptions, traced }).deliver('t', [delivery('arn:aws:events:us-east-1:111122223333:event-bus/b')]);
    expect(clients).toEqual([expect.any(LambdaClient), expect.any(SNSClient), expect.any(EventBridgeClient)]);
  });

  it('the peek\'s SQS client', () => {
    const { traced, clients } = tracer();
    const settings = readSettings({ TASK_TABLE_NAME: 't', CONTROLLER_ACCOUNT_ID: '111122223333', MANAGED_QUEUES: 'arn:aws:sqs:us-east-1:111122223333:*', AWS_REGION: region });
    const activity = { publishActivity: async () => undefined };
    createDlqDependencies({ settings, clientOptions, dynamoDbClient: new DynamoDBClient({ region, ...clientOptions }), activity, traced });
    expect(clients).toEqual([expect.any(SQSClient)]);
  });
});
