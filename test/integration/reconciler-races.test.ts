import { ListMessageMoveTasksCommand } from '@aws-sdk/client-sqs';

import { eventually, useTestStack } from '../support/local-stack-fixture';
import { Faults } from '../support/recording-proxy';
import { recordFigure } from '../support/reliability-figures';
import { writesStatus } from '../support/store-writes';
import { deduplicated, eventsOf, inTransitionOrder } from '../support/task-items';

const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];
const CANCEL = 'AmazonSQS.CancelMessageMoveTask';

/** The API and the scheduled reconciler writing the same record at once, and the reconciler repairing what a fault left. */
describe('cancels and the reconciler', () => {
  // grace 0: the next reconcile may take over a write at once (deployed it outlasts the functions)
  const t = useTestStack({ functionEnv: { IN_FLIGHT_GRACE_SECONDS: '0' } }, { resetCallsBeforeEach: true });
  const taskIdOf = (handle: string) => JSON.parse(Buffer.from(handle, 'base64').toString()).taskId as string;
  const sqsTask = async (dlqArn: string) => (await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }))).Results?.[0];
  const settle = (taskId: string) =>
    eventually(async () => {
      await t.reconcile();
      return (await t.get(`/tasks/${taskId}`)).body;
    }, (record) => FINAL.includes(record.Status), 20_000);

  it('ends each record in the state SQS reports, with one event per transition, when cancels race the COMPLETED transition', async () => {
    // Prepare: 8 small redrives that finish on SQS's first tick (about 1 s); cancels land before, at and after it
    const redrives = await Promise.all(
      Array.from({ length: 8 }, async (_, at) => {
        const dlq = await t.seedDlq(3, `race-complete-${at}`);
        const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 10 });
        expect(started.status).toBe(200);
        return { at, dlqArn: dlq.dlqArn, handle: started.body.TaskHandle as string, taskId: taskIdOf(started.body.TaskHandle) };
      }),
    );
    // Act: each redrive, after its own delay, gets a cancel and two reconciles at once
    const outcomes = await Promise.all(
      redrives.map(async (redrive) => {
        await new Promise((resolve) => setTimeout(resolve, 450 + redrive.at * 100));
        const [cancel] = await Promise.all([t.post('/CancelMessageMoveTask', { TaskHandle: redrive.handle }), t.reconcile(), t.reconcile()]);
        return { ...redrive, cancel };
      }),
    );
    const settled = await Promise.all(outcomes.map(async (outcome) => ({ ...outcome, record: await settle(outcome.taskId) })));
    // Assess
    const endings = new Map<string, number>();
    for (const { cancel, record, dlqArn, taskId } of settled) {
      const inSqs = await eventually(() => sqsTask(dlqArn), (task) => FINAL.includes(task?.Status ?? ''));
      expect(record.Status).toBe(inSqs!.Status);
      expect(record.ApproximateNumberOfMessagesMoved).toBe(inSqs!.ApproximateNumberOfMessagesMoved);
      expect([200, 400]).toContain(cancel.status);
      if (cancel.status === 400) expect(cancel.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
      const types = inTransitionOrder(deduplicated(eventsOf(t.stack.eventBus.events, taskId))).map((event) => event['detail-type']);
      expect(new Set(types).size).toBe(types.length);
      expect(types[0]).toBe('Message Move Task Started');
      expect(types.at(-1)).toBe(record.Status === 'COMPLETED' ? 'Message Move Task Completed' : 'Message Move Task Cancelled');
      // a cancel SQS took is announced, whatever SQS ends in: a task can finish moving while it is CANCELLING
      if (cancel.status === 200) expect(types).toContain('Message Move Task Cancel Requested');
      if (record.Status === 'CANCELLED') expect(types).toContain('Message Move Task Cancel Requested');
      endings.set(`${record.Status} (cancel ${cancel.status})`, (endings.get(`${record.Status} (cancel ${cancel.status})`) ?? 0) + 1);
    }
    recordFigure(__filename, {
      area: 'concurrency',
      scenario: 'cancel + 2 reconciles at once, around SQS\'s COMPLETED transition, 8 redrives',
      concurrentRequests: 24,
      held: `every record ends in SQS's state with SQS's count; one event per transition (endings: ${[...endings].map(([name, count]) => `${count} ${name}`).join(', ')})`,
    });
  }, 60_000);

  it('settles a cancel whose count could not be recorded after SQS accepted it, on the next reconcile', async () => {
    // Prepare
    const dlq = await t.seedDlq(30, 'ddb-after-sqs');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const taskId = taskIdOf(started.body.TaskHandle);
    t.dynamoDbProxy.inject({ match: (call) => writesStatus(call, 'CANCELLING', 'CANCELLING'), ...Faults.reset(3) });
    const cancelled = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle, Reason: 'ddb down after sqs' });
    const before = (await t.get(`/tasks/${taskId}`)).body;
    // Act
    const record = await settle(taskId);
    // Assess
    expect(cancelled.status).toBe(200);
    expect(before.Status).toBe('CANCELLING');
    const inSqs = await sqsTask(dlq.dlqArn);
    expect(record).toMatchObject({ Status: 'CANCELLED', cancelReason: 'ddb down after sqs', ApproximateNumberOfMessagesMoved: inSqs!.ApproximateNumberOfMessagesMoved });
    expect(t.sqsProxy.count(CANCEL)).toBe(1);
    const types = inTransitionOrder(deduplicated(eventsOf(t.stack.eventBus.events, taskId))).map((event) => event['detail-type']);
    expect(types).toEqual(['Message Move Task Started', 'Message Move Task Cancel Requested', 'Message Move Task Cancelled']);
    recordFigure(__filename, { area: 'faults', scenario: 'DynamoDB unreachable after SQS accepted the cancel, then a reconcile', faults: `${t.dynamoDbProxy.faultsApplied} DynamoDB calls reset`, held: 'caller 200; record CANCELLING, then CANCELLED with SQS\'s count on the next reconcile; 1 SQS cancel; Started, Cancel Requested, Cancelled once each' });
  });
});
