import { createServer } from 'node:http';

import { Sha256 } from '@aws-crypto/sha256-js';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { BatchGetItemCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SignatureV4 } from '@smithy/signature-v4';

import { running, type RunningServer, startDynamoDbEmulator, startSqsEmulator } from '../../local/emulators';
import { type LocalEventBus, startLocalEventBus } from '../../local/event-bus';
import { startLocalLambdaInvokeEndpoint } from '../../local/lambda-invoke-endpoint';
import { type Enforcement, startEnforcement } from '../../local/policy/enforcement';
import type { IdentityPolicy } from '../../local/policy/policy-evaluator';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const grant = (actions: string[], resources: string[]): IdentityPolicy => ({ name: 'grant', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] } });
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:enforced`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/enforced`;

// the functions' roles, as the synthesized template would give them
const IDENTITY_POLICIES = {
  [role('worker')]: [
    grant(['sqs:SendMessage', 'sqs:GetQueueAttributes'], [QUEUE_ARN]),
    grant(['dynamodb:GetItem', 'dynamodb:PutItem'], [TABLE_ARN]),
    grant(['events:PutEvents'], [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`]),
    grant(['lambda:InvokeFunction'], [`arn:aws:lambda:${REGION}:${ACCOUNT}:function:mover`]),
    grant(['cloudwatch:GetMetricData'], ['*']),
  ],
  [role('bystander')]: [grant(['sqs:GetQueueAttributes'], [QUEUE_ARN])],
};

describe('the enforcing proxies: what IAM allows passes, what it does not is the service\'s own AccessDenied', () => {
  const servers: RunningServer[] = [];
  let bus: LocalEventBus;
  let enforcement: Enforcement;
  const denials: string[] = [];
  let queueUrl: string;
  const invoked: unknown[] = [];

  beforeAll(async () => {
    const sqs = await startSqsEmulator({ port: 0, region: REGION, accountId: ACCOUNT });
    const dynamoDb = await startDynamoDbEmulator({ port: 0 });
    bus = await startLocalEventBus({ port: 0, accountId: ACCOUNT, region: REGION });
    const lambda = await startLocalLambdaInvokeEndpoint({ port: 0, functions: { mover: { invoke: async (event) => invoked.push(event) } }, onError: () => undefined });
    // no CloudWatch emulator: a stand-in that answers GetMetricData with no data
    const cloudWatch = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ MetricDataResults: [], Messages: [] }));
    });
    await new Promise<void>((resolve) => cloudWatch.listen(0, '127.0.0.1', resolve));
    servers.push(sqs, dynamoDb, lambda, running(cloudWatch));
    const setup = { region: REGION, credentials: { accessKeyId: 'setup', secretAccessKey: 'x' } };
    const setupSqs = new SQSClient({ ...setup, endpoint: sqs.url });
    const setupDynamoDb = new DynamoDBClient({ ...setup, endpoint: dynamoDb.url });
    queueUrl = (await setupSqs.send(new CreateQueueCommand({ QueueName: 'enforced' }))).QueueUrl!;
    await setupDynamoDb.send(new CreateTableCommand({ TableName: 'enforced', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    setupSqs.destroy();
    setupDynamoDb.destroy();
    enforcement = await startEnforcement({
      scope: { accountId: ACCOUNT, region: REGION },
      identityPolicies: IDENTITY_POLICIES,
      upstreams: { sqs: sqs.url, dynamodb: dynamoDb.url, events: bus.url, lambda: lambda.url, cloudwatch: `http://127.0.0.1:${(cloudWatch.address() as { port: number }).port}` },
      onDenied: (line) => denials.push(line),
    });
  });
  afterAll(async () => {
    await enforcement?.close();
    await bus?.close();
    for (const server of servers) await server.close();
  });

  const as = (name: string) => ({ region: REGION, credentials: { accessKeyId: name, secretAccessKey: 'any' } });

  it('SQS (JSON protocol): an allowed send passes; a receive the role lacks is AccessDenied, and the emulator never sees it', async () => {
    // Prepare
    const sqs = new SQSClient({ ...as('worker'), endpoint: enforcement.urls.sqs });

    // Act / Assess
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'kept' }))).resolves.toHaveProperty('MessageId');
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: '1', MessageBody: 'batch' }] }))).resolves.toHaveProperty('Successful');
    const denied = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl })).catch((error: unknown) => error);
    expect(denied).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    // as SQS writes it, the action in lower case
    expect((denied as Error).message).toBe(`User: ${role('worker')} is not authorized to perform: sqs:receivemessage on resource: ${QUEUE_ARN} because no identity-based policy allows the sqs:receivemessage action`);
    // the bystander may read attributes: the two messages are still there, untouched by the refused receive
    const attributes = await new SQSClient({ ...as('bystander'), endpoint: enforcement.urls.sqs }).send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
    expect(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
    sqs.destroy();
  });

  it('SQS: a caller with no policy at all (unknown role) is refused', async () => {
    const sqs = new SQSClient({ ...as('stranger'), endpoint: enforcement.urls.sqs });
    await expect(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(denials).toContain(`local sqs policy: User: ${role('stranger')} is not authorized to perform: sqs:sendmessage on resource: ${QUEUE_ARN} because no identity-based policy allows the sqs:sendmessage action`);
    sqs.destroy();
  });

  it('SQS: a request the proxy cannot read is refused, not waved through', async () => {
    // Act: a form POST that names no action
    const response = await fetch(`${enforcement.urls.sqs}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=worker/20261207/us-east-1/sqs/aws4_request' }, body: 'QueueUrl=x' });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('DynamoDB: GetItem and PutItem pass; BatchGetItem, not granted, is AccessDeniedException with IAM\'s message', async () => {
    // Prepare
    const dynamoDb = new DynamoDBClient({ ...as('worker'), endpoint: enforcement.urls.dynamodb, maxAttempts: 1 });

    // Act / Assess
    await dynamoDb.send(new PutItemCommand({ TableName: 'enforced', Item: { id: { S: 'a' } } }));
    await expect(dynamoDb.send(new GetItemCommand({ TableName: 'enforced', Key: { id: { S: 'a' } } }))).resolves.toHaveProperty('Item');
    const denied = await dynamoDb.send(new BatchGetItemCommand({ RequestItems: { enforced: { Keys: [{ id: { S: 'a' } }] } } })).catch((error: unknown) => error);
    expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect((denied as Error).message).toBe(`User: ${role('worker')} is not authorized to perform: dynamodb:BatchGetItem on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:BatchGetItem action`);
    dynamoDb.destroy();
  });

  it('EventBridge: PutEvents on the granted bus passes; on another bus it is AccessDeniedException, and nothing is delivered', async () => {
    // Prepare
    const events = new EventBridgeClient({ ...as('worker'), endpoint: enforcement.urls.events });
    const entry = { Source: 'test.enforcement', DetailType: 'probe', Detail: '{}' };

    // Act / Assess
    await expect(events.send(new PutEventsCommand({ Entries: [entry] }))).resolves.toMatchObject({ FailedEntryCount: 0 });
    await expect(events.send(new PutEventsCommand({ Entries: [{ ...entry, DetailType: 'refused', EventBusName: 'other' }] }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(bus.events.map((event) => event['detail-type'])).toEqual(['probe']);
    events.destroy();
  });

  it('Lambda: Invoke of the granted function passes; of another it is 403 AccessDeniedException', async () => {
    // Prepare: signed as the functions sign their Invoke (lambda/adapters/lambda/lambda-mover-invoker.ts)
    const invoke = async (name: string) => {
      const endpoint = new URL(enforcement.urls.lambda!);
      const path = `/2015-03-31/functions/${name}/invocations`;
      const signer = new SignatureV4({ service: 'lambda', region: REGION, credentials: as('worker').credentials, sha256: Sha256 });
      const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: endpoint.hostname, port: Number(endpoint.port), path, query: {}, headers: { host: endpoint.host, 'x-amz-invocation-type': 'Event' }, body: '{}' });
      const response = await fetch(new URL(path, endpoint), { method: 'POST', headers: signed.headers as Record<string, string>, body: '{}' });
      return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: await response.text() };
    };

    // Act / Assess
    expect((await invoke('mover')).status).toBe(202);
    const denied = await invoke('someone-else');
    expect(denied).toMatchObject({ status: 403, errorType: 'AccessDeniedException' });
    expect(JSON.parse(denied.body).Message).toContain(`lambda:InvokeFunction on resource: arn:aws:lambda:${REGION}:${ACCOUNT}:function:someone-else`);
  });

  it('CloudWatch: GetMetricData (resource *) passes for the granted role and is AccessDenied for another', async () => {
    const query = { StartTime: new Date(0), EndTime: new Date(60_000), MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage' }, Period: 60, Stat: 'Maximum' } }] };
    const worker = new CloudWatchClient({ ...as('worker'), endpoint: enforcement.urls.cloudwatch });
    const bystander = new CloudWatchClient({ ...as('bystander'), endpoint: enforcement.urls.cloudwatch });
    await expect(worker.send(new GetMetricDataCommand(query))).resolves.toHaveProperty('MetricDataResults', []);
    await expect(bystander.send(new GetMetricDataCommand(query))).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    worker.destroy();
    bystander.destroy();
  });
});
