import { cancelTask } from '../../../../lambda/domain/operations/cancel-task';
import { parseCancelRequest } from '../../../../lambda/domain/requests';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { nextRecord } from '../../../../lambda/domain/transitions';
import { type FakeDependencies,fakeDependencies, recordedTask } from '../../../support/fake-dependencies';

const actor = { by: 'bob', reason: 'consumer broken', origin: 'api' as const };

describe('cancelTask', () => {
  let deps: FakeDependencies;
  let handle: string;
  beforeEach(async () => {
    deps = fakeDependencies();
    const task = recordedTask('managed-orders-dlq', { taskId: 'task-1', startedTimestamp: 1714561200000 });
    handle = task.taskHandle;
    await deps.store.create(task);
  });
  const cancel = () => cancelTask(deps, parseCancelRequest({ TaskHandle: handle }), actor);

  it('claims, cancels in SQS and records who, why and the count', async () => {
    // Act
    const result = await cancel();
    // Assess
    expect(result.approximateNumberOfMessagesMoved).toBe(7);
    expect(deps.sqs.cancelled).toEqual([handle]);
    expect(await deps.store.get('task-1')).toMatchObject({ status: 'CANCELLING', cancelledBy: 'bob', cancelReason: 'consumer broken', approximateNumberOfMessagesMoved: 7 });
  });

  it('lets only one of many racing cancels reach SQS', async () => {
    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, cancel));
    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(deps.sqs.cancelled).toHaveLength(1);
  });

  it('refuses a task that is not RUNNING, naming its status, without calling SQS', async () => {
    await deps.store.create(recordedTask('managed-done-dlq', { taskId: 'task-2', status: 'COMPLETED' }));
    const done = (await deps.store.get('task-2'))!.taskHandle;
    await expect(cancelTask(deps, parseCancelRequest({ TaskHandle: done }), actor)).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringMatching(/is COMPLETED/) });
    expect(deps.sqs.cancelled).toHaveLength(0);
  });

  it('answers ResourceNotFoundException for a task the table does not know', async () => {
    const unknown = encodeTaskHandle('task-9', 'arn:aws:sqs:us-east-1:123456789012:managed-orders-dlq');
    await expect(cancelTask(deps, parseCancelRequest({ TaskHandle: unknown }), actor)).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    expect(deps.sqs.cancelled).toHaveLength(0);
  });

  it('refuses a handle for another account before touching the table', async () => {
    const claim = jest.spyOn(deps.store, 'get');
    const foreign = encodeTaskHandle('task-1', 'arn:aws:sqs:us-east-1:444455556666:managed-orders-dlq');
    await expect(cancelTask(deps, parseCancelRequest({ TaskHandle: foreign }), actor)).rejects.toMatchObject({ code: 'InvalidAddress' });
    expect(claim).not.toHaveBeenCalled();
  });

  it('gives the claim back and says why when SQS refuses, so a retry can succeed', async () => {
    // Prepare
    deps.sqs.failures.push(new SqsError('RequestThrottled', 'slow down'));
    // Act / Assess
    await expect(cancel()).rejects.toMatchObject({ code: 'RequestThrottled' });
    const released = await deps.store.get('task-1');
    expect(released).toMatchObject({ status: 'RUNNING', lastCancelError: expect.stringMatching(/cancel by bob at .* failed: RequestThrottled: slow down/) });
    expect(released?.cancelledBy).toBeUndefined();
    await expect(cancel()).resolves.toMatchObject({ approximateNumberOfMessagesMoved: 7 });
  });

  it('still answers the count when SQS took the cancel but the count could not be written', async () => {
    const replace = deps.store.replace.bind(deps.store);
    // the claim is written; the write after SQS took the cancel fails
    jest.spyOn(deps.store, 'replace').mockImplementationOnce(replace).mockRejectedValue(new Error('table unavailable'));
    await expect(cancel()).resolves.toMatchObject({ approximateNumberOfMessagesMoved: 7 });
    expect(deps.logged.map((entry) => entry.message)).toContain('cancel accepted by SQS but its count was not recorded');
  });

  it('announces Cancel Requested once SQS took the cancel, and records it sent', async () => {
    // Act
    await cancel();
    // Assess
    expect(deps.events.published.map((event) => [event.id, event.detailType])).toEqual([['task-1:cancel-requested:2', 'Message Move Task Cancel Requested']]);
    expect(deps.events.published[0]!.record).toMatchObject({ status: 'CANCELLING', cancelledBy: 'bob' });
    expect((await deps.store.get('task-1'))!.outbox).toBeUndefined();
  });

  it('withdraws the Cancel Requested event when SQS refuses', async () => {
    deps.sqs.failures.push(new SqsError('RequestThrottled', 'slow down'));
    await expect(cancel()).rejects.toMatchObject({ code: 'RequestThrottled' });
    expect(deps.events.published).toHaveLength(0);
    expect((await deps.store.get('task-1'))!.outbox).toBeUndefined();
  });

  it('keeps the event in the outbox when EventBridge fails, for the reconciler', async () => {
    deps.events.failures.push(new Error('EventBridge unavailable'));
    await expect(cancel()).resolves.toMatchObject({ approximateNumberOfMessagesMoved: 7 });
    const stored = await deps.store.get('task-1');
    expect(stored).toMatchObject({ status: 'CANCELLING', approximateNumberOfMessagesMoved: 7 });
    expect(stored!.outbox!.map((event) => event.id)).toEqual(['task-1:cancel-requested:2']);
  });

  it('adopts a task the table does not know when SQS shows it RUNNING, then cancels it', async () => {
    // Prepare
    const source = 'arn:aws:sqs:us-east-1:123456789012:managed-console-dlq';
    const outside = encodeTaskHandle('task-outside', source);
    deps.sqs.entries.push({ taskHandle: outside, status: 'RUNNING', sourceArn: source, approximateNumberOfMessagesMoved: 2, startedTimestamp: 1234 });
    // Act
    const result = await cancelTask(deps, parseCancelRequest({ TaskHandle: outside }), actor);
    // Assess
    expect(result.approximateNumberOfMessagesMoved).toBe(7);
    expect(await deps.store.get('task-outside')).toMatchObject({ origin: 'adopted', startedBy: 'unknown', startedTimestamp: 1234, status: 'CANCELLING', cancelledBy: 'bob' });
    expect(deps.events.published.map((event) => event.detailType)).toEqual(['Message Move Task Started', 'Message Move Task Cancel Requested']);
  });

  describe('when SQS fails without a definite refusal (5xx, timeout)', () => {
    const source = 'arn:aws:sqs:us-east-1:123456789012:managed-orders-dlq';
    const sqsFault = () => new SqsError('ServiceUnavailable', 'SQS failed to answer (InternalError); try again', 503);

    it('answers success when SQS shows the task CANCELLING: the cancel happened, its answer was lost', async () => {
      // Prepare: SQS acted; its entry no longer carries the handle, so it is matched by StartedTimestamp
      deps.sqs.failures.push(sqsFault());
      deps.sqs.entries.push({ status: 'CANCELLING', sourceArn: source, approximateNumberOfMessagesMoved: 4, startedTimestamp: 1714561200000 });
      // Act
      const result = await cancel();
      // Assess
      expect(result.approximateNumberOfMessagesMoved).toBe(4);
      expect(await deps.store.get('task-1')).toMatchObject({ status: 'CANCELLING', cancelledBy: 'bob', approximateNumberOfMessagesMoved: 4 });
      expect(deps.events.published.map((event) => event.id)).toEqual(['task-1:cancel-requested:2']);
    });

    it('gives the claim back and answers the error when SQS shows the task still RUNNING', async () => {
      // Prepare
      deps.sqs.failures.push(sqsFault());
      deps.sqs.entries.push({ taskHandle: handle, status: 'RUNNING', sourceArn: source, approximateNumberOfMessagesMoved: 1, startedTimestamp: 1714561200000 });
      // Act / Assess
      await expect(cancel()).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
      expect(await deps.store.get('task-1')).toMatchObject({ status: 'RUNNING', lastCancelError: expect.stringMatching(/ServiceUnavailable/) });
      expect(deps.events.published).toHaveLength(0);
    });

    it('leaves the record CANCELLING and answers 503 "outcome unknown" when SQS cannot be asked either', async () => {
      // Prepare
      deps.sqs.failures.push(sqsFault());
      deps.sqs.listFailures.push(new SqsError('ServiceUnavailable', 'SQS could not be reached', 503));
      // Act / Assess
      await expect(cancel()).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503, message: expect.stringMatching(/outcome is unknown.*reconciler settles it/) });
      const stored = await deps.store.get('task-1');
      expect(stored).toMatchObject({ status: 'CANCELLING', cancelledBy: 'bob' });
      expect(stored!.outbox!.map((event) => event.id)).toEqual(['task-1:cancel-requested:2']);
    });
  });

  it('gives the claim back without asking SQS when SQS refuses: the task is no longer active', async () => {
    // Prepare
    deps.sqs.failures.push(new SqsError('InvalidParameterValue', 'Only active tasks can be cancelled.'));
    const list = jest.spyOn(deps.sqs, 'list');
    // Act / Assess
    await expect(cancel()).rejects.toMatchObject({ code: 'InvalidParameterValue', message: 'Only active tasks can be cancelled.' });
    expect(list).not.toHaveBeenCalled();
    expect(await deps.store.get('task-1')).toMatchObject({ status: 'RUNNING', lastCancelError: expect.stringMatching(/Only active tasks/) });
  });

  it('releases the claim even when a reconciler progress write landed during the SQS call', async () => {
    // Prepare: while SQS is asked, a reconciler records progress (a new version), then SQS refuses
    jest.spyOn(deps.sqs, 'cancel').mockImplementationOnce(async () => {
      const current = (await deps.store.get('task-1'))!;
      await deps.store.replace(current, nextRecord(current, { approximateNumberOfMessagesMoved: 3 }, '2024-05-01T12:00:01.000Z'));
      throw new SqsError('RequestThrottled', 'slow down');
    });
    // Act
    await expect(cancel()).rejects.toMatchObject({ code: 'RequestThrottled' });
    // Assess: RUNNING, the progress kept, the claim's event withdrawn: nothing left for the reconciler to re-issue
    const released = await deps.store.get('task-1');
    expect(released).toMatchObject({ status: 'RUNNING', approximateNumberOfMessagesMoved: 3, lastCancelError: expect.stringMatching(/RequestThrottled/) });
    expect(released!.cancelRequestedAt).toBeUndefined();
    expect(released!.outbox).toBeUndefined();
  });

  describe('adoption of a task the table does not know', () => {
    const outside = encodeTaskHandle('task-outside', 'arn:aws:sqs:us-east-1:123456789012:managed-console-dlq');
    const cancelOutside = () => cancelTask(deps, parseCancelRequest({ TaskHandle: outside }), actor);

    it('passes on SQS refusals other than a missing queue, instead of calling them "not found"', async () => {
      // Prepare
      deps.sqs.listFailures.push(new SqsError('RequestThrottled', 'slow down'), new SqsError('AccessDenied', 'not authorized to list'));
      // Act / Assess
      await expect(cancelOutside()).rejects.toMatchObject({ code: 'RequestThrottled' });
      await expect(cancelOutside()).rejects.toMatchObject({ code: 'AccessDenied' });
      expect(deps.sqs.cancelled).toHaveLength(0);
    });

    it('answers ResourceNotFoundException when the queue does not exist', async () => {
      // Prepare
      deps.sqs.listFailures.push(new SqsError('QueueDoesNotExist', 'The specified queue does not exist.'));
      // Act / Assess
      await expect(cancelOutside()).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    });
  });
});
