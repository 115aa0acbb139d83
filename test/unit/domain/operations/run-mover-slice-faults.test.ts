import { runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

const KMS_DENIED = () => new SqsError('KMS.AccessDeniedException', 'The ciphertext refers to a customer master key that does not exist or you do not have access to', 400);
const THROTTLED = () => new SqsError('RequestThrottled', 'Rate exceeded', 400);
const deepBody = (depth: number) => {
  const deep = '{"c":'.repeat(depth) + '1' + '}'.repeat(depth);
  return `{"a.b":${deep},"a":{"b":${deep}}}`;
};

describe('runMoverSlice', () => {
  it('ends FAILED with SQS\'s code when the DLQ refuses the mover for good (KMS), instead of re-driving it forever', async () => {
    // Prepare
    const { deps, queue, store, taskId } = selectiveTaskSetUp(['a', 'b']);
    queue.receiveFailures.push(KMS_DENIED());
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess
    expect(summary).toMatchObject({ outcome: 'finished', status: TaskStatus.FAILED });
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.FAILED, failureReason: 'KMS.AccessDeniedException' });
  });

  it('ends FAILED when a delete is refused for good, after releasing what it held', async () => {
    // Prepare: 2 skipped, 2 matches; DeleteMessageBatch answers AccessDenied
    const { deps, queue, holds, store, taskId } = selectiveTaskSetUp(['a', 'b', 'a', 'b']);
    queue.deleteFailures.push(new SqsError('AccessDenied', 'Access to the resource is denied.', 400));
    // Act
    await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: the skipped messages are visible again; the sent ones come back after their visibility timeout
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.FAILED, failureReason: 'AccessDenied' });
    expect({ invisible: queue.invisible().sort(), held: holds.handles() }).toEqual({ invisible: ['m0', 'm2'], held: [] });
  });

  it('ends FAILED even when releasing the held messages is refused too, logging what stays hidden', async () => {
    // Prepare
    const { deps, queue, store, taskId, logged } = selectiveTaskSetUp(['b', 'b', 'a']);
    const deleteMessages = queue.delete.bind(queue);
    queue.delete = async (queueArn, handles) => {
      queue.alwaysFailing = KMS_DENIED();
      return deleteMessages(queueArn, handles);
    };
    // Act
    await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.FAILED, failureReason: 'KMS.AccessDeniedException' });
    expect(logged.map((line) => line.message)).toContain('held messages not released; they are visible again once their hold lapses');
  });

  it('leaves the task RUNNING for a re-drive when SQS throttles (a fault that may pass)', async () => {
    // Prepare
    const { deps, queue, store, taskId } = selectiveTaskSetUp(['a']);
    queue.receiveFailures.push(THROTTLED());
    // Act
    const slice = runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess
    await expect(slice).rejects.toThrow(/Rate exceeded/);
    expect(store.records.get(taskId)!.status).toBe(TaskStatus.RUNNING);
  });

  it('stops the other loops when one fails', async () => {
    // Prepare: 200 messages, 4 loops; the first receive fails with a fault that may pass
    const { deps, queue, taskId } = selectiveTaskSetUp(Array.from({ length: 200 }, () => 'b'));
    queue.receiveFailures.push(new SqsError('ServiceUnavailable', 'SQS failed to answer; try again', 503));
    // Act
    await expect(runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, loops: 4 })).rejects.toThrow(/try again/);
    // Assess: the other three loops stopped after their batch instead of working through the queue
    expect(queue.visible.length).toBeGreaterThanOrEqual(200 - 3 * 10);
  });

  it('skips a poison body the matcher cannot read, and ends the pass', async () => {
    // Prepare: a MessageBody policy; one body spells one path both ways, 12,000 deep
    const { deps, queue, store, taskId } = selectiveTaskSetUp([], { filterPolicy: '{"tenant":["a"]}', filterPolicyScope: 'MessageBody' });
    queue.add('x', { body: deepBody(12_000) });
    queue.add('x', { body: '{"tenant":"a"}' });
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess
    expect({ status: summary.status, moved: summary.moved, skipped: summary.skipped, invisible: queue.invisible() }).toEqual({ status: TaskStatus.COMPLETED, moved: 1, skipped: 1, invisible: [] });
    expect(store.records.get(taskId)!.status).toBe(TaskStatus.COMPLETED);
  });

  it('counts a moved message once when SQS did not take its delete and it comes back in the pass', async () => {
    // Prepare: 4 matches; the delete of the second is not taken, so it comes back
    const { deps, queue, store, taskId } = selectiveTaskSetUp(['a', 'a', 'a', 'a']);
    queue.undeletable.add('r1');
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: sent twice (at least once), counted once
    expect({ status: summary.status, sent: queue.sent.map((sent) => sent.message.body), visible: queue.visible.length }).toEqual({
      status: TaskStatus.COMPLETED, sent: ['body 0', 'body 1', 'body 2', 'body 3', 'body 1'], visible: 0,
    });
    expect(store.records.get(taskId)!.approximateNumberOfMessagesMoved).toBe(4);
  });
});
