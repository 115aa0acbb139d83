import { randomUUID } from 'node:crypto';

import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';

import { CANCEL_DETAIL_TYPE, CONTROLLER_EVENT_BUS } from '../../lambda/config/event-patterns';
import { encodeTaskHandle, tryParseTaskHandle } from '../../lambda/domain/task-handle';
import { LOCAL_CANCEL_RULE, LOCAL_CIRCUIT_BREAKER_RULE, LOCAL_CREDENTIALS } from '../../local/local-stack';
import { seedDlq, type SeededDlq } from '../../local/seed-dlq';
import { eventually, useTestStack } from '../support/local-stack-fixture';
import { logLinesWithMessage } from '../support/log-lines';

// the circuit breaker maps this file's alarm to a DLQ created (under this name) by its test
const suffix = randomUUID().slice(0, 8);
const MAPPED_ALARM = `orders-consumer-errors-${suffix}`;
const BREAKER_QUEUE = `breaker-${suffix}`;
const BREAKER_DLQ_ARN = `arn:aws:sqs:us-east-1:123456789012:${BREAKER_QUEUE}-dlq`;

describe('cancelling a redrive with an EventBridge event', () => {
  const t = useTestStack({ circuitBreakerAlarms: { [MAPPED_ALARM]: [BREAKER_DLQ_ARN] } });
  let events: EventBridgeClient;
  beforeAll(() => {
    events = new EventBridgeClient({ endpoint: t.stack.eventsUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(() => {
    events.destroy();
  });

  /** a RUNNING redrive (1 message a second, so it outlives the test) and its record's id */
  async function startRedrive(dlq: SeededDlq): Promise<{ handle: string; taskId: string }> {
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    expect(started.status).toBe(200);
    const listed = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);
    return { handle: started.body.TaskHandle, taskId: listed.body.tasks[0].taskId };
  }

  /** PutEvents, then wait until every rule target it triggered has finished */
  async function put(...entries: PutEventsRequestEntry[]): Promise<void> {
    const output = await events.send(new PutEventsCommand({ Entries: entries }));
    expect(output.FailedEntryCount).toBe(0);
    await t.stack.eventBus.idle();
  }

  const cancelEvent = (detail: unknown, source = 'com.example.deploy-pipeline'): PutEventsRequestEntry => ({
    Source: source,
    EventBusName: CONTROLLER_EVENT_BUS,
    DetailType: CANCEL_DETAIL_TYPE,
    Detail: JSON.stringify(detail),
  });

  const alarmEvent = (alarmName: string, state: string): PutEventsRequestEntry => ({
    Source: 'aws.cloudwatch',
    DetailType: 'CloudWatch Alarm State Change',
    Resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
    Detail: JSON.stringify({
      alarmName,
      state: { value: state, reason: 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).', timestamp: new Date().toISOString() },
      previousState: { value: 'OK' },
    }),
  });

  const cancelCalls = (handle: string) =>
    t.sqsProxy.calls.filter((call) => call.target === 'AmazonSQS.CancelMessageMoveTask' && call.body.includes(handle)).length;

  /** the events function's structured log lines with this message */
  const logged = (message: string) => logLinesWithMessage(t.logs, message);

  it('cancels by task handle, recording the sending account and rule as cancelledBy and the source apart', async () => {
    // Prepare
    const { handle, taskId } = await startRedrive(await t.seedDlq(10, 'ev-handle'));

    // Act
    await put(cancelEvent({ TaskHandle: handle, Reason: 'deploy 42 rolls back' }));

    // Assess
    const record = (await t.get(`/tasks/${taskId}`)).body;
    expect(record.Status).toMatch(/^(CANCELLING|CANCELLED)$/);
    expect(record.cancelledBy).toBe(`account 123456789012 via rule ${LOCAL_CANCEL_RULE}`);
    expect(record.cancelEventSource).toBe('com.example.deploy-pipeline');
    expect(record.cancelReason).toBe('deploy 42 rolls back');
    expect(cancelCalls(handle)).toBe(1);
  });

  it("cancels by queue: the queue's active task", async () => {
    // Prepare
    const dlq = await t.seedDlq(10, 'ev-queue');
    const { handle, taskId } = await startRedrive(dlq);

    // Act
    await put(cancelEvent({ SourceArn: dlq.dlqArn }));

    // Assess
    expect((await t.get(`/tasks/${taskId}`)).body.Status).toMatch(/^(CANCELLING|CANCELLED)$/);
    expect(cancelCalls(handle)).toBe(1);
  });

  it('takes the same event twice, in turn and at once, with one SQS cancel and no error', async () => {
    // Prepare
    const dlq = await t.seedDlq(10, 'ev-twice');
    const { handle, taskId } = await startRedrive(dlq);
    const event = cancelEvent({ TaskHandle: handle, Reason: 'redelivered' });

    // Act
    await put(event, event);
    await put(event);
    await put(cancelEvent({ SourceArn: dlq.dlqArn }));

    // Assess
    expect(cancelCalls(handle)).toBe(1);
    const outcomes = logged('event').filter((entry) => entry.taskId === taskId).map((entry) => entry.outcome);
    expect(outcomes.sort()).toEqual(['already-cancelled', 'already-cancelled', 'already-cancelled', 'cancelled']);
    expect(t.logs.filter((line) => line.includes(`rule ${LOCAL_CANCEL_RULE}: delivery failed`))).toEqual([]);
    expect((await t.get(`/tasks/${taskId}`)).body.cancelReason).toBe('redelivered');
  });

  it("stops the mapped DLQ's redrive when the mapped alarm goes to ALARM", async () => {
    // Prepare
    const dlq = await seedDlq(t.sqs, BREAKER_QUEUE, 10);
    expect(dlq.dlqArn).toBe(BREAKER_DLQ_ARN);
    const { handle, taskId } = await startRedrive(dlq);

    // Act
    await put(alarmEvent(MAPPED_ALARM, 'ALARM'));

    // Assess
    const record = (await t.get(`/tasks/${taskId}`)).body;
    expect(record.Status).toMatch(/^(CANCELLING|CANCELLED)$/);
    expect(record.cancelledBy).toBe(`account 123456789012 via rule ${LOCAL_CIRCUIT_BREAKER_RULE}`);
    expect(record.cancelReason).toBe(`alarm ${MAPPED_ALARM} went to ALARM: Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).`);
    expect(cancelCalls(handle)).toBe(1);
  });

  it('does nothing for an unmapped alarm or for a mapped alarm going back to OK', async () => {
    // Prepare
    const dlq = await t.seedDlq(10, 'ev-alarm-other');
    const { handle, taskId } = await startRedrive(dlq);
    const invocationsBefore = logged('event').length + logged('event dropped').length;
    const eventsBefore = t.stack.eventBus.events.length;

    // Act
    await put(alarmEvent(`some-other-alarm-${suffix}`, 'ALARM'), alarmEvent(MAPPED_ALARM, 'OK'), alarmEvent(MAPPED_ALARM, 'INSUFFICIENT_DATA'));

    // Assess
    expect(t.stack.eventBus.events.length - eventsBefore).toBe(3);
    expect(logged('event').length + logged('event dropped').length).toBe(invocationsBefore);
    expect((await t.get(`/tasks/${taskId}`)).body.Status).toBe('RUNNING');
    expect(cancelCalls(handle)).toBe(0);
  });

  it.each([
    ['no TaskHandle or SourceArn', {}, /detail.TaskHandle \(a task handle\) or detail.SourceArn \(a DLQ ARN\) is required/],
    ['both TaskHandle and SourceArn', { TaskHandle: 'x', SourceArn: 'y' }, /either TaskHandle or SourceArn, not both/],
    ['a handle that is no handle', { TaskHandle: 'not-a-handle' }, /detail.TaskHandle "not-a-handle" is not a task handle: expected base64/],
    ['a queue ARN that is no ARN', { SourceArn: 'orders-dlq' }, /detail.SourceArn must be an SQS queue ARN/],
    ['a Reason that is no string', { SourceArn: 'arn:aws:sqs:us-east-1:123456789012:x', Reason: 7 }, /Reason must be a string/],
    ['a detail that is no object', 'cancel everything', /detail must be a JSON object/],
  ])('drops a malformed detail (%s) with the reason logged, and calls no SQS', async (_, detail, reason) => {
    // Prepare
    const cancelsBefore = t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask');
    const marker = `com.example.malformed-${randomUUID().slice(0, 8)}`;

    // Act
    await put(cancelEvent(detail, marker));

    // Assess
    const drops = logged('event dropped').filter((entry) => entry.source === marker);
    expect(drops).toHaveLength(1);
    expect(drops[0]!.reason).toMatch(/^malformed event: /);
    expect(drops[0]!.reason).toMatch(reason);
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(cancelsBefore);
  });

  it.each([
    ['an unknown task', () => ({ TaskHandle: encodeTaskHandle(randomUUID(), 'arn:aws:sqs:us-east-1:123456789012:nowhere-dlq') }), /No task with this TaskHandle is recorded/],
    ['a queue of another account', () => ({ SourceArn: 'arn:aws:sqs:us-east-1:111122223333:orders-dlq' }), /account 111122223333/],
  ])('drops an event for %s with the reason logged', async (_, detail, reason) => {
    // Prepare
    const marker = `com.example.unknown-${randomUUID().slice(0, 8)}`;

    // Act
    await put(cancelEvent(detail(), marker));

    // Assess
    const drops = logged('event dropped').filter((entry) => entry.source === marker);
    expect(drops).toHaveLength(1);
    expect(drops[0]!.reason).toMatch(reason);
  });

  it('cancels by queue a redrive started outside the controller that the reconciler has not adopted yet', async () => {
    // Prepare: started on SQS directly, as in the console; the reconciler does not run in these tests
    const dlq = await t.seedDlq(10, 'ev-console');
    const { TaskHandle } = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const taskId = tryParseTaskHandle(TaskHandle!)!.taskId;
    expect((await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks).toEqual([]);

    // Act
    await put(cancelEvent({ SourceArn: dlq.dlqArn, Reason: 'stop the console redrive' }));

    // Assess
    expect(cancelCalls(TaskHandle!)).toBe(1);
    const record = await t.get(`/tasks/${taskId}`);
    expect(record.body).toMatchObject({ origin: 'adopted', Status: expect.stringMatching(/^CANCELL(ING|ED)$/), cancelReason: 'stop the console redrive' });
    await eventually(
      async () => (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 1 }))).Results?.[0]?.Status,
      (status) => status === 'CANCELLING' || status === 'CANCELLED',
    );
  });

  it('ignores a cancel by queue when the queue has no active task', async () => {
    // Prepare
    const dlq = await t.seedDlq(1, 'ev-idle');
    const marker = `com.example.idle-${randomUUID().slice(0, 8)}`;

    // Act
    await put(cancelEvent({ SourceArn: dlq.dlqArn }, marker));

    // Assess
    const lines = logged('event').filter((entry) => entry.source === marker);
    expect(lines).toMatchObject([{ outcome: 'ignored', reason: expect.stringMatching(/no active task is recorded or running for queue/) }]);
  });

  it("drops an event for a task SQS has finished, with SQS's reason, and leaves the record to the reconciler", async () => {
    // Prepare
    const dlq = await t.seedDlq(2, 'ev-done');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 100 });
    await eventually(
      () => t.post('/ListMessageMoveTasks', { SourceArn: dlq.dlqArn }),
      (listed) => listed.body.Results?.[0]?.Status === 'COMPLETED',
    );
    const marker = `com.example.done-${randomUUID().slice(0, 8)}`;

    // Act
    await put(cancelEvent({ TaskHandle: started.body.TaskHandle }, marker));

    // Assess
    const drops = logged('event dropped').filter((entry) => entry.source === marker);
    expect(drops).toHaveLength(1);
    expect(drops[0]!.reason).toMatch(/Only active tasks can be cancelled/);
    const listed = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);
    expect(listed.body.tasks[0]).toMatchObject({ Status: 'RUNNING', lastCancelError: expect.stringMatching(/Only active tasks/) });
  });

  it('throws on a transient SQS failure, so the platform retries, and the retry cancels', async () => {
    // Prepare
    const { handle, taskId } = await startRedrive(await t.seedDlq(10, 'ev-retry'));
    // one answer: the cancel is sent once (not idempotent), SQS shows the task RUNNING, the function throws
    t.sqsProxy.inject({ match: (call) => call.target === 'AmazonSQS.CancelMessageMoveTask' && call.body.includes(handle), times: 1, status: 503, errorType: 'ServiceUnavailable' });

    // Act
    await put(cancelEvent({ TaskHandle: handle }));
    const afterFailure = (await t.get(`/tasks/${taskId}`)).body;
    await put(cancelEvent({ TaskHandle: handle }));

    // Assess
    expect(t.logs.some((line) => line.includes(`rule ${LOCAL_CANCEL_RULE}: delivery failed`))).toBe(true);
    expect(afterFailure.Status).toBe('RUNNING');
    expect(afterFailure.lastCancelError).toMatch(/ServiceUnavailable/);
    expect((await t.get(`/tasks/${taskId}`)).body.Status).toMatch(/^(CANCELLING|CANCELLED)$/);
    expect(cancelCalls(handle)).toBe(2);
  });
});
