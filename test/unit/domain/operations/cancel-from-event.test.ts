import type { IncomingEvent } from '../../../../lambda/domain/event-requests';
import { cancelFromEvent } from '../../../../lambda/domain/operations/cancel-from-event';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { ACCOUNT, type FakeDependencies,fakeDependencies, queueArn, recordedTask, REGION } from '../../../support/fake-dependencies';

const RULE = 'cancel-rule';
const SENDER_ACCOUNT = '210987654321';
const SENDERS = { homeAccount: ACCOUNT, homeRegion: REGION, senderAccounts: [ACCOUNT, SENDER_ACCOUNT] };
const cancelEvent = (detail: unknown, source = 'com.example.deploy-pipeline', account = ACCOUNT): IncomingEvent => ({
  source,
  account,
  region: REGION,
  detailType: 'Cancel Message Move Task',
  detail,
  ruleName: RULE,
});
const alarmEvent = (alarmName: string, value = 'ALARM'): IncomingEvent => ({
  source: 'aws.cloudwatch',
  account: ACCOUNT,
  region: REGION,
  detailType: 'CloudWatch Alarm State Change',
  detail: { alarmName, state: { value, reason: 'Threshold Crossed' } },
  ruleName: 'breaker-rule',
});
const ALARMS = { 'orders-errors': [queueArn('managed-orders-dlq')], 'payments-errors': [queueArn('managed-payments-dlq'), queueArn('managed-refunds-dlq')] };

describe('cancelFromEvent', () => {
  let deps: FakeDependencies;
  beforeEach(() => {
    deps = fakeDependencies();
  });

  describe('by task handle', () => {
    it('cancels a RUNNING task, recording the sending account and rule as who, the source apart, and the reason', async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle, Reason: 'rollback' }), {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'cancelled', taskId: task.taskId, approximateNumberOfMessagesMoved: 7 });
      expect(deps.sqs.cancelled).toEqual([task.taskHandle]);
      expect(await deps.store.get(task.taskId)).toMatchObject({
        status: 'CANCELLING',
        cancelledBy: `account ${ACCOUNT} via rule ${RULE}`,
        cancelEventSource: 'com.example.deploy-pipeline',
        cancelReason: 'rollback',
      });
    });

    it('succeeds quietly for a repeat of the same event, without a second SQS cancel', async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);
      const event = cancelEvent({ TaskHandle: task.taskHandle });

      // Act
      const first = await cancelFromEvent(deps, event, {}, SENDERS);
      const second = await cancelFromEvent(deps, event, {}, SENDERS);

      // Assess
      expect(first.outcome).toBe('cancelled');
      expect(second).toEqual({ outcome: 'already-cancelled', taskId: task.taskId, status: 'CANCELLING' });
      expect(deps.sqs.cancelled).toHaveLength(1);
    });

    it.each(['CANCELLED', 'CANCELLING'] as const)('succeeds quietly for a task already %s', async (status) => {
      // Prepare
      const task = recordedTask('managed-orders-dlq', { status });
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }), {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'already-cancelled', taskId: task.taskId, status });
      expect(deps.sqs.cancelled).toEqual([]);
    });

    it.each(['COMPLETED', 'FAILED'] as const)('drops an event for a %s task, saying so', async (status) => {
      // Prepare
      const task = recordedTask('managed-orders-dlq', { status });
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }), {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'dropped', taskId: task.taskId, reason: expect.stringContaining(`is ${status}`) });
      expect(deps.sqs.cancelled).toEqual([]);
    });

    it('drops an event for an unknown task', async () => {
      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: encodeTaskHandle('nope', queueArn('managed-x')) }), {}, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'dropped', reason: expect.stringMatching(/No task with this TaskHandle/) });
    });

    it('drops an event for a queue this controller does not manage, before any write', async () => {
      // Prepare
      const task = recordedTask('unmanaged-dlq');
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }), {}, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'dropped', reason: expect.stringMatching(/does not manage/) });
      expect((await deps.store.get(task.taskId))?.status).toBe('RUNNING');
    });

    it('drops an event SQS refuses (the task finished in SQS first) and gives the claim back', async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);
      deps.sqs.failures.push(new SqsError('InvalidParameterValue', 'Only active tasks can be cancelled.'));

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }), {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'dropped', taskId: task.taskId, reason: 'Only active tasks can be cancelled.' });
      expect((await deps.store.get(task.taskId))?.status).toBe('RUNNING');
    });

    it.each([
      ['SQS unavailable (5xx)', new SqsError('ServiceUnavailable', 'SQS failed to answer', 503)],
      ['SQS throttling', new SqsError('RequestThrottled', 'Request is throttled.', 400)],
      ['a network failure', new Error('socket hang up')],
    ])('throws on %s, so the event is retried, with the claim given back', async (_, failure) => {
      // Prepare: SQS did not act; asked afterwards, it shows the task still RUNNING
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);
      deps.sqs.failures.push(failure);
      deps.sqs.entries.push({ taskHandle: task.taskHandle, status: 'RUNNING', sourceArn: task.sourceArn, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });

      // Act
      const attempt = cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }), {}, SENDERS);

      // Assess
      await expect(attempt).rejects.toBe(failure);
      expect((await deps.store.get(task.taskId))?.status).toBe('RUNNING');
    });

    it('throws when the task table fails (DynamoDB throttling), so the event is retried', async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);
      const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' });
      jest.spyOn(deps.store, 'replace').mockRejectedValueOnce(throttled);

      // Act / Assess
      await expect(cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }), {}, SENDERS)).rejects.toBe(throttled);
      expect(deps.sqs.cancelled).toEqual([]);
    });
  });

  describe('who sent it', () => {
    it('records an allowed account of another sender as cancelledBy', async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: task.taskHandle }, 'aws.partner.fake', SENDER_ACCOUNT), {}, SENDERS);

      // Assess
      expect(outcome.outcome).toBe('cancelled');
      expect(await deps.store.get(task.taskId)).toMatchObject({ cancelledBy: `account ${SENDER_ACCOUNT} via rule ${RULE}`, cancelEventSource: 'aws.partner.fake' });
    });

    it.each([
      ['an account not allowed', { account: '999999999999' }, /sender not allowed: account "999999999999" is not an allowed sender of cancel events/],
      ['no account (not delivered by EventBridge)', { account: undefined }, /sender not allowed: the event names no sending account/],
      ['another region', { region: 'eu-west-1' }, /sender not allowed: the event comes from region "eu-west-1"/],
      ['an alarm from another allowed sender account', { source: 'aws.cloudwatch', detailType: 'CloudWatch Alarm State Change', account: SENDER_ACCOUNT }, /is not an allowed sender of alarm events/],
    ])('drops an event from %s, without touching the task', async (_case, override, reason) => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);
      const event = { ...cancelEvent({ TaskHandle: task.taskHandle }), ...override } as IncomingEvent;

      // Act
      const outcome = await cancelFromEvent(deps, event, {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'dropped', reason: expect.stringMatching(reason) });
      expect(deps.sqs.cancelled).toEqual([]);
      expect((await deps.store.get(task.taskId))?.status).toBe('RUNNING');
    });
  });

  describe('by queue', () => {
    it("cancels the queue's active task", async () => {
      // Prepare
      const old = recordedTask('managed-orders-dlq', { taskId: 'old', status: 'COMPLETED', createdAt: '2024-05-01T10:00:00.000Z' });
      const active = recordedTask('managed-orders-dlq', { taskId: 'active' });
      await deps.store.create(old);
      await deps.store.create(active);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ SourceArn: active.sourceArn }), {}, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'cancelled', taskId: 'active' });
      expect(deps.sqs.cancelled).toEqual([active.taskHandle]);
    });

    it('succeeds quietly when the active task is already CANCELLING', async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq', { status: 'CANCELLING' });
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ SourceArn: task.sourceArn }), {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'already-cancelled', taskId: task.taskId, status: 'CANCELLING' });
      expect(deps.sqs.cancelled).toEqual([]);
    });

    it('ignores a queue with no active task', async () => {
      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ SourceArn: queueArn('managed-idle-dlq') }), {}, SENDERS);

      // Assess
      expect(outcome).toEqual({ outcome: 'ignored', reason: 'no active task is recorded or running for queue managed-idle-dlq' });
    });

    it('cancels, and adopts, a task SQS runs that the table does not know yet (started in the console)', async () => {
      // Prepare
      const source = queueArn('managed-console-dlq');
      const handle = encodeTaskHandle('console-task', source);
      deps.sqs.entries.push({ taskHandle: handle, status: 'RUNNING', sourceArn: source, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ SourceArn: source }), {}, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'cancelled', taskId: 'console-task' });
      expect(deps.sqs.cancelled).toEqual([handle]);
      expect(await deps.store.get('console-task')).toMatchObject({ origin: 'adopted', status: 'CANCELLING' });
    });

    it('drops, with the reason, an event whose queue SQS refuses to list (AccessDenied), and ignores a missing queue', async () => {
      // Prepare
      deps.sqs.list = async () => {
        throw new SqsError('AccessDenied', 'not authorized to perform sqs:ListMessageMoveTasks');
      };
      // Act
      const denied = await cancelFromEvent(deps, cancelEvent({ SourceArn: queueArn('managed-locked-dlq') }), {}, SENDERS);
      deps.sqs.list = async () => {
        throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
      };
      const missing = await cancelFromEvent(deps, cancelEvent({ SourceArn: queueArn('managed-gone-dlq') }), {}, SENDERS);
      // Assess
      expect(denied).toEqual({ outcome: 'dropped', reason: expect.stringMatching(/AccessDenied: not authorized/) });
      expect(missing).toMatchObject({ outcome: 'ignored' });
    });

    it('ignores a queue whose newest task in SQS has finished', async () => {
      // Prepare
      const source = queueArn('managed-done-dlq');
      deps.sqs.entries.push({ status: 'COMPLETED', sourceArn: source, approximateNumberOfMessagesMoved: 3, startedTimestamp: 1 });

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ SourceArn: source }), {}, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'ignored' });
      expect(deps.sqs.cancelled).toEqual([]);
    });

    it.each([
      ['an unmanaged queue', queueArn('unmanaged-dlq'), /does not manage/],
      ['a queue of another account', 'arn:aws:sqs:us-east-1:111122223333:managed-dlq', /account 111122223333/],
    ])('drops %s without reading the table', async (_, arn, reason) => {
      // Prepare
      const find = jest.spyOn(deps.store, 'findActiveTask');

      // Act
      const outcome = await cancelFromEvent(deps, cancelEvent({ SourceArn: arn }), {}, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'dropped', reason: expect.stringMatching(reason) });
      expect(find).not.toHaveBeenCalled();
    });
  });

  describe('from an alarm (the circuit breaker)', () => {
    it("cancels the mapped DLQ's active task with the alarm as the reason", async () => {
      // Prepare
      const task = recordedTask('managed-orders-dlq');
      await deps.store.create(task);

      // Act
      const outcome = await cancelFromEvent(deps, alarmEvent('orders-errors'), ALARMS, SENDERS);

      // Assess
      expect(outcome.outcome).toBe('cancelled');
      expect(await deps.store.get(task.taskId)).toMatchObject({
        cancelledBy: `account ${ACCOUNT} via rule breaker-rule`,
        cancelReason: 'alarm orders-errors went to ALARM: Threshold Crossed',
      });
    });

    it("cancels the active task of every DLQ one alarm guards", async () => {
      // Prepare
      const payments = recordedTask('managed-payments-dlq');
      const refunds = recordedTask('managed-refunds-dlq');
      await deps.store.create(payments);
      await deps.store.create(refunds);

      // Act
      const outcome = await cancelFromEvent(deps, alarmEvent('payments-errors'), ALARMS, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'several', outcomes: [{ outcome: 'cancelled', taskId: payments.taskId }, { outcome: 'cancelled', taskId: refunds.taskId }] });
      expect(deps.sqs.cancelled).toEqual([payments.taskHandle, refunds.taskHandle]);
    });

    it.each([
      ['an unmapped alarm', alarmEvent('other-alarm'), /not mapped to a DLQ/],
      ['an OK state', alarmEvent('orders-errors', 'OK'), /changed to "OK", not ALARM/],
    ])('ignores %s', async (_, event, reason) => {
      // Prepare
      await deps.store.create(recordedTask('managed-orders-dlq'));

      // Act
      const outcome = await cancelFromEvent(deps, event, ALARMS, SENDERS);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'ignored', reason: expect.stringMatching(reason) });
      expect(deps.sqs.cancelled).toEqual([]);
    });
  });

  it('drops a malformed detail with the validation message as the reason', async () => {
    // Act
    const outcome = await cancelFromEvent(deps, cancelEvent({ TaskHandle: 42 }), {}, SENDERS);

    // Assess
    expect(outcome).toEqual({ outcome: 'dropped', reason: 'malformed event: detail.TaskHandle must be a string, got number' });
  });
});
