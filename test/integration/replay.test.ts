import { resolve } from 'node:path';

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { readWorldFile } from '../../local/world/world-file';
import { eventually, useTestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';
import { count, receiveAllVisible } from '../support/selective-dlq';

const WORLD = readWorldFile(resolve(__dirname, '../fixtures/world/replay-world.json'));
const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];
const ORDERS = ['o-1', 'o-2', 'o-3'];

/**
 * API.md section 11 on the local world, under enforcement: a function fails into its on-failure
 * destination and another into its dead-letter queue, a rule target whose queue is missing into its
 * DLQ; after the fix each replay reaches only the target that failed, with the original payload.
 */
describe('replay on the local world', () => {
  const t = useTestStack({ world: WORLD, worldRetryDelayMs: 50 });
  const account = () => t.stack.accountId;
  const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${account()}:${name}`;
  const queueUrl = (name: string) => `${t.stack.sqsUrl}/${account()}/${name}`;
  const functionArn = (name: string) => `arn:aws:lambda:us-east-1:${account()}:function:${name}`;
  let lambda: LambdaClient;
  let events: EventBridgeClient;

  const start = async (body: Record<string, unknown>) => {
    const answer = await t.post('/StartMessageMoveTask', { Reason: 'the fix is in', ...body });
    if (answer.status !== 200) throw new Error(`start refused: ${answer.text}`);
    return answer.body as Record<string, any>;
  };
  const taskIdOf = (handle: string) => JSON.parse(Buffer.from(handle, 'base64').toString()).taskId as string;
  const ended = (taskId: string) => eventually(async () => (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>, (record) => FINAL.includes(record.Status as string), 20_000);
  const replay = async (dlq: string, body: Record<string, unknown> = {}) => ended(taskIdOf((await start({ SourceArn: queueArn(dlq), ...body })).TaskHandle));
  /** every visible message's body, received and deleted: what a consumer of the queue gets */
  const take = async (name: string): Promise<any[]> => {
    const messages = await receiveAllVisible(t.sqs, queueUrl(name));
    for (let at = 0; at < messages.length; at += 10) {
      await t.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl(name), Entries: messages.slice(at, at + 10).map((message, n) => ({ Id: String(n), ReceiptHandle: message.ReceiptHandle! })) }));
    }
    return messages.map((message) => JSON.parse(message.Body!));
  };

  /** a Lambda dead-letter message's attributes (docs/local-world.md) */
  const lambdaDeadLetter = (requestId: string) => ({
    RequestID: { DataType: 'String', StringValue: requestId },
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ErrorMessage: { DataType: 'String', StringValue: 'the ledger queue does not exist' },
  });
  /** an on-failure record of the orders function, in Lambda's format (test/fixtures/world/aws-lambda-on-failure-record.json) */
  const onFailureRecord = (orderId: string) =>
    JSON.stringify({
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId: `r-${orderId}`, functionArn: `${functionArn('orders')}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { source: 'shop.orders', 'detail-type': 'Order Placed', detail: { orderId } },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'the ledger queue does not exist' },
    });
  beforeAll(async () => {
    const client = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    lambda = new LambdaClient({ ...client, endpoint: t.stack.lambdaUrl });
    events = new EventBridgeClient({ ...client, endpoint: t.stack.eventsUrl });
    // the application's dead-letter queues and one target exist; the ledger and the shipping queue do not, yet
    for (const name of ['orders-failures', 'billing-dlq', 'shipping-dlq', 'audit-log']) await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await events.send(new PutEventsCommand({ Entries: ORDERS.map((orderId) => ({ Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ orderId }) })) }));
    await lambda.send(new InvokeCommand({ FunctionName: 'billing', InvocationType: 'Event', Payload: JSON.stringify({ invoice: 'i-1' }) }));
    await t.stack.world!.idle();
  });
  afterAll(() => {
    lambda.destroy();
    events.destroy();
  });

  it('lists the failed targets as DLQs with their origin once the inventory has run', async () => {
    // Act
    await t.stack.refreshInventory();
    const dlqs = await eventually(
      async () => ((await t.get('/dlqs')).body.dlqs ?? []) as { QueueName: string; Origin: string; Targets: unknown[]; ApproximateNumberOfMessages: number }[],
      (list) => ['orders-failures', 'billing-dlq', 'shipping-dlq'].every((name) => list.some((dlq) => dlq.QueueName === name)),
    );

    // Assess
    const byName = Object.fromEntries(dlqs.map((dlq) => [dlq.QueueName, [dlq.Origin, dlq.Targets]]));
    expect(byName['orders-failures']).toEqual(['lambda', [{ Arn: functionArn('orders'), Kind: 'function' }]]);
    expect(byName['billing-dlq']).toEqual(['lambda', [{ Arn: functionArn('billing'), Kind: 'function' }]]);
    expect(byName['shipping-dlq']).toEqual(['eventbridge', [{ Arn: queueArn('shipping-queue'), Kind: 'rule-target', RuleArn: `arn:aws:events:us-east-1:${account()}:rule/order-placed` }]]);
    expect([await count(t.sqs, queueUrl('orders-failures')), await count(t.sqs, queueUrl('shipping-dlq')), await count(t.sqs, queueUrl('billing-dlq'))]).toEqual([3, 3, 1]);
    // the rule's other target got each event once
    expect((await take('audit-log')).map((event) => event.detail.orderId).sort()).toEqual(ORDERS);
  });

  it('answers a dry run with where each sampled message would go', async () => {
    // Act
    const dry = await start({ SourceArn: queueArn('shipping-dlq'), DryRun: true });
    const cli = await runCli(['start', 'orders-failures', '--dry-run', '--reason', 'where would they go'], { REDRIVE_API_URL: t.stack.apiUrl });

    // Assess
    expect(dry.Routes).toHaveLength(3);
    expect(dry.Routes.every((route: any) => route.Format === 'eventbridge-dlq' && route.Kind === 'queue' && route.TargetArn === queueArn('shipping-queue'))).toBe(true);
    // an on-failure record names the version that ran: the replay invokes that one
    expect(cli.stdout.match(/function arn:\S+/g)).toEqual(Array(3).fill(`function ${functionArn('orders')}:$LATEST`));
    expect([await count(t.sqs, queueUrl('shipping-dlq')), await count(t.sqs, queueUrl('orders-failures'))]).toEqual([3, 3]);
  });

  it('after the fix, re-invokes each function with its original payload once and sends the events to the one target that failed', async () => {
    // Prepare: the fix
    for (const name of ['ledger', 'shipping-queue']) await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const env = { REDRIVE_API_URL: t.stack.apiUrl };

    // Act: one replay with the CLI, as an operator would
    const onFailure = await replay('orders-failures');
    const cli = await runCli(['start', 'billing-dlq', '--reason', 'the ledger exists'], env);
    const deadLetter = await ended(/task id\s+(\S+)/.exec(cli.stdout)?.[1] ?? 'none');
    const shipping = await replay('shipping-dlq');
    await t.stack.world!.idle();
    const tasks = await runCli(['tasks', '--queue', 'billing-dlq'], env);

    // Assess
    expect([onFailure, deadLetter, shipping].map((task) => [task.Status, task.Kind, task.ApproximateNumberOfMessagesMoved, task.NumberOfMessagesUnroutable])).toEqual([
      ['COMPLETED', 'replay', 3, 0],
      ['COMPLETED', 'replay', 1, 0],
      ['COMPLETED', 'replay', 3, 0],
    ]);
    expect(cli.stdout).toContain('Started a replay of billing-dlq');
    expect(tasks.stdout).toMatch(/KIND[\s\S]*billing-dlq\s+COMPLETED\s+replay/);
    const ledger = (await take('ledger')) as { function: string; event: any }[];
    expect(ledger.filter((entry) => entry.function === 'orders').map((entry) => entry.event.detail.orderId).sort()).toEqual(ORDERS);
    expect(ledger.filter((entry) => entry.function === 'billing').map((entry) => entry.event)).toEqual([{ invoice: 'i-1' }]);
    const shipped = await take('shipping-queue');
    expect(shipped.map((event) => event.detail.orderId).sort()).toEqual(ORDERS);
    expect(shipped.every((event) => event.source === 'shop.orders' && event['detail-type'] === 'Order Placed')).toBe(true);
    expect(ledger).toHaveLength(4);
    expect(await take('audit-log')).toEqual([]);
    for (const dlq of ['orders-failures', 'billing-dlq', 'shipping-dlq']) expect(await count(t.sqs, queueUrl(dlq))).toBe(0);
  });

  it('stops a replay cancelled while RUNNING: each replayed message invoked once, the count exact, the rest still in the DLQ', async () => {
    // Prepare: 12 Lambda dead-letter messages (the ledger exists since the fix), replayed 2 a second
    const invoices = Array.from({ length: 12 }, (_, n) => `c-${n + 1}`);
    for (const invoice of invoices) await t.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('billing-dlq'), MessageBody: JSON.stringify({ invoice }), MessageAttributes: lambdaDeadLetter(invoice) }));
    const { TaskHandle: handle } = await start({ SourceArn: queueArn('billing-dlq'), MaxNumberOfMessagesPerSecond: 2 });
    const taskId = taskIdOf(handle);
    await eventually(async () => (await t.get(`/tasks/${taskId}`)).body as Record<string, any>, (record) => record.ApproximateNumberOfMessagesMoved >= 2);

    // Act
    const cancel = await t.post('/CancelMessageMoveTask', { TaskHandle: handle, Reason: 'wrong fix' });
    const task = await ended(taskId);
    await t.stack.world!.idle();

    // Assess: what the function got and what the DLQ keeps are the 12, each once
    expect(cancel.status).toBe(200);
    expect([task.Status, task.Kind, task.NumberOfMessagesUnroutable]).toEqual(['CANCELLED', 'replay', 0]);
    const invoked = ((await take('ledger')) as { function: string; event: { invoice: string } }[]).map((entry) => entry.event.invoice);
    const left = (await receiveAllVisible(t.sqs, queueUrl('billing-dlq'))).map((message) => JSON.parse(message.Body!).invoice as string);
    expect(invoked).toHaveLength(task.ApproximateNumberOfMessagesMoved as number);
    expect(new Set(invoked).size).toBe(invoked.length);
    expect([...invoked, ...left].sort()).toEqual([...invoices].sort());
    expect(invoked.length).toBeLessThan(12);
    // stopped within a batch (2 a second) of the count the cancel answered
    expect(invoked.length - (cancel.body.ApproximateNumberOfMessagesMoved as number)).toBeLessThanOrEqual(2);
    await take('billing-dlq');
  });

  it('resumes a replay whose mover was killed before its deletes: COMPLETED, every record re-invoked at least once, counted once, the DLQ empty', async () => {
    // Prepare: 10 on-failure records; no DeleteMessageBatch answers, so the mover dies after Lambda accepted a batch
    const orders = Array.from({ length: 10 }, (_, n) => `k-${n + 1}`);
    for (const orderId of orders) await t.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('orders-failures'), MessageBody: onFailureRecord(orderId) }));
    t.sqsProxy.inject({ match: 'AmazonSQS.DeleteMessageBatch', times: 1000, holdWhile: new Promise<void>(() => undefined) });
    const taskId = taskIdOf((await start({ SourceArn: queueArn('orders-failures') })).TaskHandle);
    await eventually(async () => t.sqsProxy.count('AmazonSQS.DeleteMessageBatch'), (calls) => calls >= 1);

    // Act: the process dies; the reconciler's schedule resumes the task once its lease lapses
    t.stack.mover.kill();
    t.sqsProxy.reset();
    const task = await eventually(async () => {
      await t.reconcile();
      return (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>;
    }, (record) => FINAL.includes(record.Status as string), 40_000);
    await t.stack.world!.idle();

    // Assess: at least once (a batch Lambda accepted before the kill is invoked again), never lost; the count is exact
    expect([task.Status, task.ApproximateNumberOfMessagesMoved, task.NumberOfMessagesUnroutable]).toEqual(['COMPLETED', 10, 0]);
    const invoked = ((await take('ledger')) as { function: string; event: { detail: { orderId: string } } }[]).map((entry) => entry.event.detail.orderId);
    expect(new Set(invoked)).toEqual(new Set(orders));
    expect(invoked.length).toBeGreaterThanOrEqual(10);
    expect(await count(t.sqs, queueUrl('orders-failures'))).toBe(0);
  });

  it('keeps a message whose target queue is gone in the DLQ, counted unroutable, and replays the others', async () => {
    // Prepare: one dead letter for a retired queue, one for the shipping queue
    await t.sqs.send(new CreateQueueCommand({ QueueName: 'retired-queue' }));
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl('retired-queue') }));
    const deadLetter = (orderId: string, target: string) =>
      t.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl('shipping-dlq'),
          MessageBody: JSON.stringify({ version: '0', id: `e-${orderId}`, 'detail-type': 'Order Placed', source: 'shop.orders', account: account(), time: new Date().toISOString(), region: 'us-east-1', resources: [], detail: { orderId } }),
          MessageAttributes: {
            RULE_ARN: { DataType: 'String', StringValue: `arn:aws:events:us-east-1:${account()}:rule/order-placed` },
            TARGET_ARN: { DataType: 'String', StringValue: queueArn(target) },
            ERROR_CODE: { DataType: 'String', StringValue: 'NO_RESOURCE' },
            ERROR_MESSAGE: { DataType: 'String', StringValue: 'the queue does not exist' },
            RETRY_ATTEMPTS: { DataType: 'String', StringValue: '0' },
          },
        }),
      );
    await deadLetter('gone-1', 'retired-queue');
    await deadLetter('o-4', 'shipping-queue');

    // Act
    const task = await replay('shipping-dlq');

    // Assess
    expect([task.Status, task.ApproximateNumberOfMessagesMoved, task.NumberOfMessagesUnroutable]).toEqual(['COMPLETED', 1, 1]);
    const left = await receiveAllVisible(t.sqs, queueUrl('shipping-dlq'));
    expect(left.map((message) => JSON.parse(message.Body!).detail.orderId)).toEqual(['gone-1']);
    expect((await take('shipping-queue')).map((event) => event.detail.orderId)).toEqual(['o-4']);
  });

  it('peeks and decides one message of a Lambda or EventBridge DLQ: a retry and an edit reach the function that failed, a discard is archived', async () => {
    // Prepare: two Lambda dead letters of billing (the ledger exists since the fix), one EventBridge dead letter of the shipping target
    const send = async (queue: string, body: string, attributes: Record<string, { DataType: string; StringValue: string }>) =>
      (await t.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: body, MessageAttributes: attributes }))).MessageId!;
    const retried = await send('billing-dlq', JSON.stringify({ invoice: 'd-1' }), lambdaDeadLetter('d-1'));
    const edited = await send('billing-dlq', JSON.stringify({ invoice: 'd-2' }), lambdaDeadLetter('d-2'));
    const discarded = await send('shipping-dlq', JSON.stringify({ detail: { orderId: 'd-3' } }), {
      RULE_ARN: { DataType: 'String', StringValue: `arn:aws:events:us-east-1:${account()}:rule/order-placed` },
      TARGET_ARN: { DataType: 'String', StringValue: queueArn('shipping-queue') },
    });
    // peek shows them (the dashboard offers the decisions from peek), though no SQS redrive policy names these DLQs
    const peeked = await t.post('/dlqs/billing-dlq/peek', { MaxMessages: 10 });
    expect([peeked.status, (peeked.body.Messages ?? []).map((message: { MessageId: string }) => message.MessageId)]).toEqual([200, expect.arrayContaining([retried, edited])]);
    const decide = (queue: string, messageId: string, body: Record<string, unknown>) => t.post(`/dlqs/${queue}/messages/${messageId}`, { Reason: 'one at a time', ...body });

    // Act
    const retry = await decide('billing-dlq', retried, { Action: 'retry' });
    const edit = await decide('billing-dlq', edited, { Action: 'edit', Body: JSON.stringify({ invoice: 'd-2-fixed' }) });
    const discard = await decide('shipping-dlq', discarded, { Action: 'discard' });
    const withAttributes = await decide('billing-dlq', retried, { Action: 'edit', Body: '{}', MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } } });
    await t.stack.world!.idle();

    // Assess: each done; the function got the retried event and the edited one, never the original; nothing else was sent
    expect([retry, edit, discard].map((answer) => [answer.status, answer.body.Outcome ?? answer.text])).toEqual([[200, 'done'], [200, 'done'], [200, 'done']]);
    // the target that failed receives the event alone: an edit of attributes there is refused before anything is received
    expect([withAttributes.status, withAttributes.body.message]).toEqual([400, expect.stringContaining('edit the Body only')]);
    const ledger = (await take('ledger')) as { function: string; event: { invoice: string } }[];
    expect(ledger.map((entry) => [entry.function, entry.event.invoice]).sort()).toEqual([['billing', 'd-1'], ['billing', 'd-2-fixed']]);
    expect(await take('shipping-queue')).toEqual([]);
    // gone from their DLQs (earlier tests' leftovers may still be hidden there)
    const visible = async (queue: string) => (await receiveAllVisible(t.sqs, queueUrl(queue))).map((message) => message.MessageId);
    expect([...(await visible('billing-dlq')), ...(await visible('shipping-dlq'))]).not.toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^(${retried}|${edited}|${discarded})$`))]));
    const archived = async (taskId: string) => ((await t.get(`/archives/${taskId}/messages`)).body.Messages as { MessageId: string; Body: string }[]).map((line) => [line.MessageId, line.Body]);
    expect(await archived(edit.body.TaskId)).toEqual([[edited, JSON.stringify({ invoice: 'd-2' })]]);
    expect(await archived(discard.body.TaskId)).toEqual([[discarded, JSON.stringify({ detail: { orderId: 'd-3' } })]]);
  });
});
