import { ListMessageMoveTasksCommand, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';

import { CONTROLLER_OUTBOUND_BUS } from '../../lambda/config/event-patterns';
import { bundlePath } from '../../lib/lambda-bundling';
import { LambdaHost } from '../../local/lambda-host';
import { eventually, useTestStack } from '../support/local-stack-fixture';
import { eventsOf, storedRecord } from '../support/task-items';

describe('the reconciler', () => {
  const t = useTestStack();

  const task = async (taskId: string) => (await t.get(`/tasks/${taskId}`)).body;
  const reconcileUntil = (taskId: string, status: string) =>
    eventually(async () => {
      await t.reconcile();
      return task(taskId);
    }, (record) => record.Status === status);

  it('brings a small redrive to COMPLETED with the exact count moved, and announces start and end once', async () => {
    // Prepare
    const dlq = await t.seedDlq(20, 'complete');

    // Act
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 100, Reason: 'small' });
    const taskId = (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks[0].taskId as string;
    const record = await reconcileUntil(taskId, 'COMPLETED');

    // Assess
    expect(started.status).toBe(200);
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 20, startedBy: 'arn:aws:iam::123456789012:role/local', startReason: 'small', origin: 'api' });
    expect(Date.parse(record.completedAt)).toBeGreaterThan(0);
    const stored = await storedRecord(t.dynamoDb, t.stack.tableName, taskId);
    // DynamoDB TTL: 90 days (the default retention) after completion
    expect(stored!.expiresAt).toBe(Math.floor(Date.parse(record.completedAt) / 1000) + 90 * 86_400);
    expect(stored!.outbox).toBeUndefined();
    const events = eventsOf(t.stack.eventBus.events, taskId);
    expect(events.map((event) => event['detail-type'])).toEqual(['Message Move Task Started', 'Message Move Task Completed']);
    // on the controller's own outbound bus, where only its functions may put events (lib/outbound-event-bus.ts)
    expect(events.map((event) => event['event-bus-name'])).toEqual([CONTROLLER_OUTBOUND_BUS, CONTROLLER_OUTBOUND_BUS]);
    expect(events[1]!.detail).toMatchObject({ eventId: `${taskId}:completed:${stored!.version - 1}`, Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 20 });
  });

  it('settles a cancelled redrive to CANCELLED; an active task never expires', async () => {
    // Prepare
    const dlq = await t.seedDlq(20, 'cancel');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const taskId = (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks[0].taskId as string;
    const whileActive = await storedRecord(t.dynamoDb, t.stack.tableName, taskId);

    // Act
    const cancelled = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle, Reason: 'enough' });
    const record = await reconcileUntil(taskId, 'CANCELLED');

    // Assess
    expect(cancelled.status).toBe(200);
    expect(whileActive!.expiresAt).toBeUndefined();
    expect(record).toMatchObject({ Status: 'CANCELLED', cancelledBy: 'arn:aws:iam::123456789012:role/local', cancelReason: 'enough' });
    expect(eventsOf(t.stack.eventBus.events, taskId).map((event) => event['detail-type'])).toEqual([
      'Message Move Task Started',
      'Message Move Task Cancel Requested',
      'Message Move Task Cancelled',
    ]);
  });

  it('adopts a task started directly on SQS when asked to cancel it', async () => {
    // Prepare
    const dlq = await t.seedDlq(20, 'adopt-cancel');
    const { TaskHandle } = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 }));

    // Act
    const cancelled = await t.post('/CancelMessageMoveTask', { TaskHandle, Reason: 'started by hand' });
    const page = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);

    // Assess
    expect(cancelled.status).toBe(200);
    expect(page.body.tasks).toHaveLength(1);
    expect(page.body.tasks[0]).toMatchObject({ origin: 'adopted', Status: 'CANCELLING', startedBy: 'unknown', cancelledBy: 'arn:aws:iam::123456789012:role/local', cancelReason: 'started by hand' });
    const taskId = page.body.tasks[0].taskId as string;
    expect(eventsOf(t.stack.eventBus.events, taskId).map((event) => event['detail-type'])).toEqual([
      'Message Move Task Started',
      'Message Move Task Cancel Requested',
    ]);
    expect((await reconcileUntil(taskId, 'CANCELLED')).origin).toBe('adopted');
  });

  it('adopts a task started directly on SQS on its next run, and follows it to its end', async () => {
    // Prepare
    const dlq = await t.seedDlq(20, 'adopt-run');
    await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 10 }));

    // Act
    const summary = await t.reconcile();
    const page = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);

    // Assess
    expect(summary.adopted).toBeGreaterThanOrEqual(1);
    expect(page.body.tasks).toHaveLength(1);
    expect(page.body.tasks[0]).toMatchObject({ origin: 'adopted', Status: 'RUNNING' });
    const taskId = page.body.tasks[0].taskId as string;
    const record = await reconcileUntil(taskId, 'COMPLETED');
    expect(record.ApproximateNumberOfMessagesMoved).toBe(20);
    expect(eventsOf(t.stack.eventBus.events, taskId).map((event) => event['detail-type'])).toEqual([
      'Message Move Task Started',
      'Message Move Task Completed',
    ]);
  });

  it('emits each transition exactly once when two reconcilers run at once', async () => {
    // Prepare: three redrives that have ended in SQS but not yet in the table
    const second = await LambdaHost.start({ bundle: bundlePath('reconciler'), env: t.stack.functionEnvs.reconciler, onLog: (line) => t.logs.push(line) });
    try {
      const dlqs = await Promise.all([1, 2, 3].map(() => t.seedDlq(10, 'overlap')));
      for (const dlq of dlqs) await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 100 });
      await eventually(
        () => Promise.all(dlqs.map((dlq) => t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn })))),
        (lists) => lists.every((list) => list.Results?.[0]?.Status === 'COMPLETED'),
      );
      const taskIds = await Promise.all(dlqs.map(async (dlq) => (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks[0].taskId as string));

      // Act: both runs read the active tasks before either writes (a barrier at the proxy)
      t.dynamoDbProxy.inject({ match: (call) => call.body.includes('by-status') && call.body.includes('"RUNNING"'), holdUntil: 2, times: 2 });
      const runs = await Promise.all([t.reconcile(), second.invoke<Record<string, number>>({ 'detail-type': 'Scheduled Event', source: 'aws.events' })]);
      const again = await Promise.all([t.reconcile(), second.invoke<Record<string, number>>({ 'detail-type': 'Scheduled Event', source: 'aws.events' })]);

      // Assess
      // both runs saw the three tasks active: they overlapped, and the conditional writes split the work
      expect(runs.every((run) => run.active! >= 3)).toBe(true);
      expect(runs.reduce((sum, run) => sum + run.written!, 0)).toBe(3);
      for (const taskId of taskIds) {
        expect((await task(taskId)).Status).toBe('COMPLETED');
        const completed = eventsOf(t.stack.eventBus.events, taskId).filter((event) => event['detail-type'] === 'Message Move Task Completed');
        expect(completed).toHaveLength(1);
      }
      expect(runs.reduce((sum, run) => sum + run.eventsSent!, 0)).toBe(3);
      expect(again.reduce((sum, run) => sum + run.eventsSent!, 0)).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
