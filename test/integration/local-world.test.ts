import { resolve } from 'node:path';

import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionEventInvokeConfigCommand, InvokeCommand, LambdaClient, ListFunctionEventInvokeConfigsCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';

import type { StackDescription } from '../../local/template/describe-stack';
import { readWorldFile } from '../../local/world/world-file';
import { eventually, useTestStack } from '../support/local-stack-fixture';

const WORLD = readWorldFile(resolve(__dirname, '../fixtures/world/world.json'));
const LIST_ROLE = 'world-inventory-test';

/** a role that may make the inventory's list calls, as the discovery's grants would allow them */
const withListRole = (description: StackDescription): StackDescription => ({
  ...description,
  functions: {
    ...description.functions,
    lister: {
      ...description.functions.inventory!,
      roleName: LIST_ROLE,
      roleArn: `arn:aws:iam::123456789012:role/${LIST_ROLE}`,
      identityPolicies: [{ name: 'lists', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['lambda:ListFunctions', 'lambda:GetFunctionEventInvokeConfig', 'lambda:ListFunctionEventInvokeConfigs', 'events:ListRules', 'events:ListTargetsByRule'], Resource: '*' }] } }],
    },
  },
});

/** API.md section 11: the local world's functions and rules fail into their queues in AWS's formats. */
describe('the local world', () => {
  const t = useTestStack({ world: WORLD, worldRetryDelayMs: 100, alterDescription: withListRole });
  const client = <C>(make: new (config: object) => C, url: () => string, accessKeyId = 'local'): (() => C) => {
    let made: C | undefined;
    return () => (made ??= new make({ endpoint: url(), region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'local' } }));
  };
  const lambda = client(LambdaClient, () => t.stack.lambdaUrl);
  const events = client(EventBridgeClient, () => t.stack.eventsUrl);
  const listLambda = client(LambdaClient, () => t.stack.lambdaUrl, LIST_ROLE);
  const listEvents = client(EventBridgeClient, () => t.stack.functionEnvs.inventory.AWS_ENDPOINT_URL_EVENTBRIDGE!, LIST_ROLE);
  const queueUrl = (name: string) => `${t.stack.sqsUrl}/${t.stack.accountId}/${name}`;
  const arn = (name: string) => `arn:aws:sqs:us-east-1:${t.stack.accountId}:${name}`;
  const receiveNow = async (name: string): Promise<Message[]> =>
    (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(name), MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }))).Messages ?? [];
  // the emulator's long poll does not wake when a message arrives: poll instead
  const receive = (name: string): Promise<Message[]> => eventually(() => receiveNow(name), (messages) => messages.length > 0);

  beforeAll(async () => {
    for (const name of ['orders-failures', 'billing-dlq', 'audit-log', 'shipping-dlq']) await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
  });
  afterAll(() => {
    for (const made of [lambda(), events(), listLambda(), listEvents()]) made.destroy();
  });

  it('sends an asynchronous event that failed every attempt to the on-failure destination as an invocation record', async () => {
    // Act
    const accepted = await lambda().send(new InvokeCommand({ FunctionName: 'orders-consumer', InvocationType: 'Event', Payload: JSON.stringify({ orderId: 'o-1' }) }));
    const [message] = await receive('orders-failures');

    // Assess
    expect(accepted.StatusCode).toBe(202);
    const record = JSON.parse(message!.Body!);
    expect(Object.keys(record).sort()).toEqual(['requestContext', 'requestPayload', 'responseContext', 'responsePayload', 'timestamp', 'version']);
    expect(record.version).toBe('1.0');
    expect(Date.parse(record.timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(record.requestContext).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionArn: `arn:aws:lambda:us-east-1:${t.stack.accountId}:function:orders-consumer:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2 });
    expect(record.requestPayload).toEqual({ orderId: 'o-1' });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    // the last attempt ran under the request id of the first: Lambda keeps it across retries
    expect(record.responsePayload).toEqual({ errorType: 'TypeError', errorMessage: `cannot process order o-1 (request ${record.requestContext.requestId})`, trace: [] });
  });

  it('sends a failed asynchronous event to the dead-letter queue as it was, with RequestID, ErrorCode and ErrorMessage', async () => {
    // Act
    await lambda().send(new InvokeCommand({ FunctionName: 'billing-consumer', InvocationType: 'Event', Payload: JSON.stringify({ orderId: 'b-1' }) }));
    const [message] = await receive('billing-dlq');

    // Assess
    expect(JSON.parse(message!.Body!)).toEqual({ orderId: 'b-1' });
    expect(message!.MessageAttributes).toEqual({
      RequestID: { DataType: 'String', StringValue: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: expect.stringMatching(/^cannot process order b-1 \(request [0-9a-f-]{36}\)$/) },
    });
  });

  it("answers a RequestResponse invoke with the handler's result, or its error with X-Amz-Function-Error", async () => {
    // Act
    const ok = await lambda().send(new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ a: 1 }) }));
    const failed = await lambda().send(new InvokeCommand({ FunctionName: 'billing-consumer', Payload: JSON.stringify({ orderId: 'x' }) }));

    // Assess
    expect([ok.StatusCode, ok.FunctionError, JSON.parse(Buffer.from(ok.Payload!).toString())]).toEqual([200, undefined, { received: { a: 1 }, region: 'us-east-1', sqs: true }]);
    expect([failed.StatusCode, failed.FunctionError, JSON.parse(Buffer.from(failed.Payload!).toString())]).toEqual([200, 'Unhandled', { errorType: 'TypeError', errorMessage: expect.stringContaining('cannot process order x'), trace: [] }]);
  });

  it("delivers a rule's event to the target whose queue exists once, to a function target asynchronously, and to the missing queue's dead-letter queue", async () => {
    // Act
    const put = await events().send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ orderId: 'r-1' }) }] }));
    const [dead] = await receive('shipping-dlq');
    const delivered = await receive('audit-log');
    // the function target accepted it; the function failed it into its own dead-letter queue
    const [functionDead] = await receive('billing-dlq');

    // Assess
    expect(put.FailedEntryCount).toBe(0);
    const event = JSON.parse(dead!.Body!);
    expect(Object.keys(event).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
    expect([event.id, event.source, event['detail-type'], event.detail]).toEqual([put.Entries![0]!.EventId, 'shop.orders', 'Order Placed', { orderId: 'r-1' }]);
    expect(JSON.parse(functionDead!.Body!)).toEqual(event);
    const attribute = (name: string) => dead!.MessageAttributes?.[name]?.StringValue;
    expect([attribute('RULE_ARN'), attribute('TARGET_ARN'), attribute('ERROR_CODE'), attribute('RETRY_ATTEMPTS'), attribute('EXHAUSTED_RETRY_CONDITION')]).toEqual([
      `arn:aws:events:us-east-1:${t.stack.accountId}:rule/order-placed`,
      arn('shipping-queue'),
      'NO_RESOURCE',
      '0',
      undefined,
    ]);
    expect(attribute('ERROR_MESSAGE')).toContain('does not exist');
    expect(delivered.map((message) => JSON.parse(message.Body!).id)).toEqual([event.id]);
    await t.stack.world!.idle();
    expect(await receiveNow('audit-log')).toEqual([]);
  });

  it('lists the functions, their dead-letter queues and destinations, the rules and their targets through the SDK clients, for a role allowed to', async () => {
    // Act
    const functions = (await listLambda().send(new ListFunctionsCommand({}))).Functions ?? [];
    const invokeConfig = await listLambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'orders-consumer' }));
    const listed = await listLambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'orders-consumer' }));
    const rules = await listEvents().send(new ListRulesCommand({}));
    const targets = await listEvents().send(new ListTargetsByRuleCommand({ Rule: 'order-placed' }));
    const denied = await lambda().send(new ListFunctionsCommand({})).catch((error: Error) => error.name);

    // Assess
    const byName = Object.fromEntries(functions.map((fn) => [fn.FunctionName, fn]));
    expect(byName['billing-consumer']).toMatchObject({ FunctionArn: `arn:aws:lambda:us-east-1:${t.stack.accountId}:function:billing-consumer`, DeadLetterConfig: { TargetArn: arn('billing-dlq') } });
    expect(byName['orders-consumer']?.DeadLetterConfig).toBeUndefined();
    expect(byName[t.stack.description.functions.mover!.functionName]).toBeDefined();
    expect(invokeConfig).toMatchObject({ FunctionArn: `arn:aws:lambda:us-east-1:${t.stack.accountId}:function:orders-consumer:$LATEST`, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: arn('orders-failures') } } });
    expect(invokeConfig.LastModified).toBeInstanceOf(Date);
    expect(listed.FunctionEventInvokeConfigs?.map((config) => config.DestinationConfig?.OnFailure?.Destination)).toEqual([arn('orders-failures')]);
    expect(rules.Rules?.find((rule) => rule.Name === 'order-placed')).toMatchObject({ Arn: `arn:aws:events:us-east-1:${t.stack.accountId}:rule/order-placed`, EventBusName: 'default', State: 'ENABLED' });
    expect(targets.Targets).toEqual([
      { Id: 'audit', Arn: arn('audit-log'), RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } },
      { Id: 'billing', Arn: `arn:aws:lambda:us-east-1:${t.stack.accountId}:function:billing-consumer`, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } },
      { Id: 'shipping', Arn: arn('shipping-queue'), DeadLetterConfig: { Arn: arn('shipping-dlq') }, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86_400 } },
    ]);
    expect(denied).toBe('AccessDeniedException');
  });

  it('pages ListFunctions with Marker and NextMarker', async () => {
    // Act
    const first = await listLambda().send(new ListFunctionsCommand({ MaxItems: 2 }));
    const second = await listLambda().send(new ListFunctionsCommand({ MaxItems: 50, Marker: first.NextMarker! }));

    // Assess
    const names = [...first.Functions!, ...second.Functions!].map((fn) => fn.FunctionName!);
    expect(first.Functions).toHaveLength(2);
    expect(second.NextMarker).toBeUndefined();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['billing-consumer', 'echo', 'orders-consumer']));
  });
});
