import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ListMessageMoveTasksCommand, SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';
import { count, receiveAllVisible, seedDlqWith, type SeedMessage } from '../support/selective-dlq';

const tenant = (value: string) => ({ tenant: { DataType: 'String', StringValue: value } });
/** `n` messages, every `every`-th of tenant a, the others of tenant b */
const tenants = (n: number, every: number): SeedMessage[] =>
  Array.from({ length: n }, (_, index) => ({ body: `message ${index + 1}`, attributes: { ...tenant(index % every === 0 ? 'a' : 'b'), n: { DataType: 'Number', StringValue: String(index + 1) } } }));
const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];

/** The controller's own mover on the local stack: the bundled API, mover and reconciler, the real SDK clients. */
describe('selective redrive', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  async function start(body: Record<string, unknown>): Promise<{ handle: string; taskId: string }> {
    const answer = await t.post('/StartMessageMoveTask', body);
    expect(answer.status).toBe(200);
    const handle = answer.body.TaskHandle as string;
    return { handle, taskId: JSON.parse(Buffer.from(handle, 'base64').toString()).taskId as string };
  }

  const task = async (taskId: string) => (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>;
  const ended = (taskId: string, timeoutMs = 20_000) => eventually(() => task(taskId), (record) => FINAL.includes(record.Status as string), timeoutMs);

  it('moves only the matching messages, with body and attributes, counts exactly, and leaves the rest visible', async () => {
    // Prepare: 30 messages, 10 of tenant a
    const dlq = await seedDlqWith(t.sqs, 'sel-match', tenants(30, 3));
    // Act
    const { taskId } = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] }, Reason: 'tenant a fixed' });
    const record = await ended(taskId);
    // Assess
    expect(record).toMatchObject({
      Status: 'COMPLETED', Kind: 'selective', FilterPolicy: '{"tenant":["a"]}', FilterPolicyScope: 'MessageAttributes',
      ApproximateNumberOfMessagesMoved: 10, NumberOfMessagesSkipped: 20, NumberOfMessagesUnroutable: 0, startReason: 'tenant a fixed',
    });
    const moved = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    const left = await receiveAllVisible(t.sqs, dlq.dlqUrl);
    expect(moved).toHaveLength(10);
    expect(left).toHaveLength(20);
    expect(moved.every((message) => message.MessageAttributes?.tenant?.StringValue === 'a')).toBe(true);
    expect(left.every((message) => message.MessageAttributes?.tenant?.StringValue === 'b')).toBe(true);
    const first = moved.find((message) => message.Body === 'message 1')!;
    expect(first.MessageAttributes).toEqual({ tenant: { DataType: 'String', StringValue: 'a' }, n: { DataType: 'Number', StringValue: '1' } });
  });

  it('a filter that matches nothing moves nothing and leaves every message visible after the task', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-none', tenants(25, 1));
    // Act
    const { taskId } = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['nobody'] } });
    const record = await ended(taskId);
    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 0, NumberOfMessagesSkipped: 25 });
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(25);
    expect(await count(t.sqs, dlq.sourceUrl)).toBe(0);
  });

  it('a canary moves exactly MaxMessages and leaves the rest', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-canary', tenants(40, 1));
    // Act
    const { taskId } = await start({ SourceArn: dlq.dlqArn, MaxMessages: 7 });
    const record = await ended(taskId);
    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 7, MaxMessages: 7 });
    expect(await receiveAllVisible(t.sqs, dlq.sourceUrl)).toHaveLength(7);
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(33);
  });

  it('keeps FIFO group order and the group id', async () => {
    // Prepare: two groups interleaved
    const messages = Array.from({ length: 20 }, (_, index) => ({ body: `${index % 2 ? 'x' : 'y'}-${index}`, group: index % 2 ? 'x' : 'y', attributes: tenant('a') }));
    const dlq = await seedDlqWith(t.sqs, 'sel-fifo', messages, true);
    // Act
    const { taskId } = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] } });
    const record = await ended(taskId);
    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 20 });
    const moved = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    for (const group of ['x', 'y']) {
      const inGroup = moved.filter((message) => message.Attributes?.MessageGroupId === group).map((message) => message.Body);
      expect(inGroup).toEqual(messages.filter((message) => message.group === group).map((message) => message.body));
    }
  });

  it('DryRun answers Sampled, Matched and Unroutable, moves nothing, and leaves every message visible', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-dry', tenants(30, 3));
    // Act
    const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, FilterPolicy: JSON.stringify({ tenant: ['a'] }), DryRun: true });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ Sampled: 30, Matched: 10, Unroutable: 0 });
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(30);
    expect((await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks).toEqual([]);
  });

  it('lists the selective task beside SQS\'s own in ListMessageMoveTasks and refuses a second task of either kind', async () => {
    // Prepare: a slow selective task
    const dlq = await seedDlqWith(t.sqs, 'sel-list', tenants(30, 1));
    const { handle, taskId } = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] }, MaxNumberOfMessagesPerSecond: 2 });
    // Act
    const native = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn });
    const selective = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxMessages: 1 });
    const listed = await t.post('/ListMessageMoveTasks', { SourceArn: dlq.dlqArn, MaxResults: 10 });
    // Assess
    expect(native.status).toBe(400);
    expect(native.body.message).toMatch(/already a task running/);
    expect(selective.status).toBe(400);
    expect(listed.body.Results).toEqual([expect.objectContaining({ TaskHandle: handle, Status: 'RUNNING', SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 2 })]);
    expect((await t.post('/CancelMessageMoveTask', { TaskHandle: handle })).status).toBe(200);
    expect(await ended(taskId)).toMatchObject({ Status: 'CANCELLED' });
  });

  it('lets one of 10 concurrent selective starts on one DLQ run, and frees the DLQ once it ends', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-race', tenants(20, 1));
    // Act
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] }, MaxNumberOfMessagesPerSecond: 2 })));
    // Assess
    const started = answers.filter((answer) => answer.status === 200);
    expect(started).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/already a task running/);
    }
    expect((await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks).toHaveLength(1);
    const handle = started[0]!.body.TaskHandle as string;
    expect((await t.post('/CancelMessageMoveTask', { TaskHandle: handle })).status).toBe(200);
    await ended(JSON.parse(Buffer.from(handle, 'base64').toString()).taskId as string);
    // the claim needs no release: a task that ended no longer holds it
    const next = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] } });
    expect(await ended(next.taskId)).toMatchObject({ Status: 'COMPLETED' });
  });

  it('lets one of 12 concurrent starts on one DLQ run, native and selective mixed; the others get SQS\'s refusal', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-mixed', tenants(20, 1));
    const native = { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 };
    const selective = { SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] }, MaxNumberOfMessagesPerSecond: 1 };
    // Act
    const answers = await Promise.all(Array.from({ length: 12 }, (_, at) => t.post('/StartMessageMoveTask', at % 2 ? native : selective)));
    // Assess
    const started = answers.filter((answer) => answer.status === 200);
    expect(started).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      expect(refused.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: expect.stringMatching(/already a task running/) });
    }
    const handle = started[0]!.body.TaskHandle as string;
    const recorded = (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks as Array<Record<string, unknown>>;
    expect(recorded).toHaveLength(1);
    // a selective winner left SQS without a task of its own; a native winner is SQS's only one
    const inSqs = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 10 }));
    expect(inSqs.Results ?? []).toHaveLength(recorded[0]!.Kind === 'selective' ? 0 : 1);
    expect((await t.post('/CancelMessageMoveTask', { TaskHandle: handle })).status).toBe(200);
    if (recorded[0]!.Kind === 'selective') await ended(recorded[0]!.taskId as string);
  });

  it('a native task holds the DLQ against a selective start until it ends, then frees it', async () => {
    // Prepare: a native task SQS runs at 1 message a second
    const dlq = await seedDlqWith(t.sqs, 'sel-after-native', tenants(4, 1));
    const first = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    expect(first.status).toBe(200);
    // Act
    const whileRunning = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxMessages: 1 });
    await eventually(
      () => t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 1 })),
      (listed) => listed.Results?.[0]?.Status === 'COMPLETED',
      30_000,
    );
    const after = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxMessages: 2 });
    // Assess
    expect(whileRunning.status).toBe(400);
    expect(whileRunning.body.message).toMatch(/already a task running/);
    expect(after.status).toBe(200);
    expect(await ended(JSON.parse(Buffer.from(after.body.TaskHandle as string, 'base64').toString()).taskId as string)).toMatchObject({ Status: 'COMPLETED', Kind: 'selective' });
    // SQS moved all four back to their source
    expect(await receiveAllVisible(t.sqs, dlq.sourceUrl)).toHaveLength(4);
  });

  it('a cancel mid-run stops it within a batch: nothing lost, the rest visible, counts exact', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-cancel', tenants(60, 2));
    const { handle, taskId } = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] }, MaxNumberOfMessagesPerSecond: 5 });
    await eventually(() => task(taskId), (record) => (record.ApproximateNumberOfMessagesMoved as number) >= 5);
    // Act
    const cancel = await t.post('/CancelMessageMoveTask', { TaskHandle: handle });
    const record = await ended(taskId);
    // Assess
    expect(cancel.status).toBe(200);
    expect(record.Status).toBe('CANCELLED');
    const moved = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    const left = await receiveAllVisible(t.sqs, dlq.dlqUrl);
    expect(moved.length + left.length).toBe(60);
    expect(moved).toHaveLength(record.ApproximateNumberOfMessagesMoved as number);
    // stopped within one batch (at most 5 a batch at this rate) of the count the cancel answered
    expect(moved.length - (cancel.body.ApproximateNumberOfMessagesMoved as number)).toBeLessThanOrEqual(5);
    expect(moved.length).toBeLessThan(30);
  });

  it('of 100 concurrent cancels exactly one is accepted and the task ends CANCELLED', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-cancels', tenants(30, 1));
    const { handle, taskId } = await start({ SourceArn: dlq.dlqArn, MaxMessages: 30, MaxNumberOfMessagesPerSecond: 1 });
    // Act
    const answers = await Promise.all(Array.from({ length: 100 }, () => t.post('/CancelMessageMoveTask', { TaskHandle: handle })));
    // Assess
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => `${answer.status} ${answer.body?.__type}`)).toEqual(
      Array.from({ length: 99 }, () => '400 com.amazonaws.sqs#InvalidParameterValue'),
    );
    const record = await ended(taskId);
    expect(record).toMatchObject({ Status: 'CANCELLED', cancelledBy: 'arn:aws:iam::123456789012:role/local' });
    const moved = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    expect(moved.length + (await receiveAllVisible(t.sqs, dlq.dlqUrl)).length).toBe(30);
  });

  it('a destination deleted mid-task fails the task with its reason and leaves the rest in the DLQ', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-dest', tenants(40, 1));
    const destinationUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: `sel-dest-target-${Date.now()}` }))).QueueUrl!;
    const destinationArn = (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: destinationUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const { taskId } = await start({ SourceArn: dlq.dlqArn, DestinationArn: destinationArn, MaxMessages: 40, MaxNumberOfMessagesPerSecond: 5 });
    const running = await eventually(() => task(taskId), (record) => (record.ApproximateNumberOfMessagesMoved as number) >= 5);
    // Act
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: destinationUrl }));
    const record = await ended(taskId);
    // Assess
    expect(running.Status).toBe('RUNNING');
    expect(record).toMatchObject({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue' });
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(40 - (record.ApproximateNumberOfMessagesMoved as number));
  });

  it('is listed by SQS\'s own client through the API', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-sdk', tenants(10, 1));
    const { taskId } = await start({ SourceArn: dlq.dlqArn, FilterPolicy: { tenant: ['a'] } });
    await ended(taskId);
    const client = new SQSClient({ endpoint: t.stack.apiUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS });
    // Act
    const listed = await client.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 10 }));
    client.destroy();
    // Assess
    expect(listed.Results).toEqual([expect.objectContaining({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 10 })]);
  });

  it('the CLI dry-runs a filter, then starts a canary of the matching messages', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-cli', tenants(30, 3));
    const name = dlq.dlqArn.split(':').pop()!;
    const env = { REDRIVE_API_URL: t.stack.apiUrl };
    // Act
    const dry = await runCli(['start', name, '--filter', '{"tenant":["a"]}', '--dry-run', '--reason', 'sample'], env);
    const started = await runCli(['start', name, '--filter', '{"tenant":["a"]}', '--max-messages', '4', '--reason', 'canary', '--json'], env);
    // Assess
    expect(dry).toMatchObject({ code: 0, stdout: '10 of 30 sampled match; nothing was moved.\n' });
    expect(started.code).toBe(0);
    const record = await ended(JSON.parse(started.stdout).taskId as string);
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 4, MaxMessages: 4, FilterPolicy: '{"tenant":["a"]}' });
    expect((await receiveAllVisible(t.sqs, dlq.sourceUrl)).map((message) => message.MessageAttributes?.tenant?.StringValue)).toEqual(['a', 'a', 'a', 'a']);
  });

  it('refuses a bad filter policy with a 400 before anything moves', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'sel-bad', tenants(5, 1));
    // Act
    const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, FilterPolicy: { tenant: [{ 'no-such-operator': 1 }] } });
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
    expect((await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks).toEqual([]);
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(5);
  });
});
