import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';

import { eventually, useTestStack } from '../support/local-stack-fixture';
import { deduplicated, eventsOf, storedRecord } from '../support/task-items';

/**
 * Crashes between a write and what must follow it, and the next reconcile settling them. The
 * in-flight grace is 0 here so the next run takes over at once (deployed it outlasts the functions).
 */
describe('recovery from a crash', () => {
  const t = useTestStack({ functionEnv: { IN_FLIGHT_GRACE_SECONDS: '0' } });

  const taskOf = async (sourceArn: string) => (await t.get(`/tasks?sourceArn=${encodeURIComponent(sourceArn)}`)).body.tasks[0];

  it('between the cancel claim and the SQS call: the next reconcile re-issues the cancel and settles CANCELLED', async () => {
    // Prepare: SQS never hears the cancel, and the claim cannot be given back (as if the process died)
    const dlq = await t.seedDlq(20, 'crash-cancel');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    // the cancel is sent once (it is not idempotent); SQS then shows the task RUNNING
    t.sqsProxy.inject({ match: 'AmazonSQS.CancelMessageMoveTask', reset: true, times: 1 });
    t.dynamoDbProxy.inject({ match: (call) => call.target.endsWith('PutItem') && call.body.includes('lastCancelError'), status: 500, errorType: 'InternalServerError', times: 3 });
    const failed = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle, Reason: 'crash' });
    const stuck = await taskOf(dlq.dlqArn);
    const sqsBefore = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn }));

    // Act
    const settled = await eventually(async () => {
      await t.reconcile();
      return taskOf(dlq.dlqArn);
    }, (record) => record.Status === 'CANCELLED');

    // Assess
    expect(failed.status).toBe(503);
    expect(stuck.Status).toBe('CANCELLING');
    expect(sqsBefore.Results?.[0]?.Status).toBe('RUNNING');
    expect(settled).toMatchObject({ Status: 'CANCELLED', cancelledBy: 'arn:aws:iam::123456789012:role/local', cancelReason: 'crash' });
    expect(t.logs.some((line) => line.includes('re-issued a cancel that never reached SQS'))).toBe(true);
    expect(eventsOf(t.stack.eventBus.events, settled.taskId).map((event) => event['detail-type'])).toEqual([
      'Message Move Task Started',
      'Message Move Task Cancel Requested',
      'Message Move Task Cancelled',
    ]);
  });

  it('after a transition\'s write and before its event is sent: the next reconcile sends it, once', async () => {
    // Prepare: the API's PutEvents (one attempt: the outbox keeps the event) fails before reaching the bus
    const dlq = await t.seedDlq(20, 'crash-before-send');
    t.eventsProxy.inject({ match: 'AWSEvents.PutEvents', status: 500, errorType: 'InternalException', times: 1 });
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const { taskId } = await taskOf(dlq.dlqArn);
    const promised = await storedRecord(t.dynamoDb, t.stack.tableName, taskId);
    const before = eventsOf(t.stack.eventBus.events, taskId);

    // Act
    await t.reconcile();
    await t.reconcile();

    // Assess
    expect(started.status).toBe(200);
    expect(before).toHaveLength(0);
    expect(promised!.outbox!.map((event) => event.id)).toEqual([`${taskId}:started:1`]);
    const after = eventsOf(t.stack.eventBus.events, taskId);
    expect(after.map((event) => (event.detail as { eventId: string }).eventId)).toEqual([`${taskId}:started:1`]);
    expect((await storedRecord(t.dynamoDb, t.stack.tableName, taskId))!.outbox).toBeUndefined();
  });

  it('after the send and before it is recorded: the next reconcile sends it again with the same id, so a deduplicating consumer sees one', async () => {
    // Prepare: the bus takes the event, the function hears a failure (as if it died right after)
    const dlq = await t.seedDlq(20, 'crash-after-send');
    t.eventsProxy.inject({ match: 'AWSEvents.PutEvents', afterForward: true, status: 400, errorType: 'ValidationException', times: 1 });
    await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const { taskId } = await taskOf(dlq.dlqArn);
    const sentOnce = eventsOf(t.stack.eventBus.events, taskId);

    // Act
    await t.reconcile();
    await t.reconcile();

    // Assess
    expect(sentOnce).toHaveLength(1);
    const delivered = eventsOf(t.stack.eventBus.events, taskId);
    // EventBridge has no idempotent PutEvents: the redelivery carries the same stable id
    expect(delivered.map((event) => (event.detail as { eventId: string }).eventId)).toEqual([`${taskId}:started:1`, `${taskId}:started:1`]);
    expect(deduplicated(delivered)).toHaveLength(1);
    expect((await storedRecord(t.dynamoDb, t.stack.tableName, taskId))!.outbox).toBeUndefined();
  });
});
