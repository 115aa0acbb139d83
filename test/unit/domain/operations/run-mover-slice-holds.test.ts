import { runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { MOVER_BASE, MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

const TRANSIENT = () => new SqsError('ServiceUnavailable', 'SQS failed to answer (InternalError); try again', 503);

describe('runMoverSlice', () => {
  it('releases every skipped message when the task ends, also after a batch whose delete failed', async () => {
    // Prepare: one batch of 10, 5 match; the delete of the moved 5 fails once (after the SDK's retries)
    const { deps, queue, store, taskId, clock } = selectiveTaskSetUp(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
    queue.deleteFailures.push(TRANSIENT());
    // Act: the first slice fails; the sent-but-undeleted messages reappear after their 60 s visibility
    await expect(runMoverSlice(deps, taskId, MOVER_OPTIONS)).rejects.toThrow(/SQS failed/);
    for (const [handle, message] of [...queue.inFlight]) {
      if (message.messageAttributes.tenant!.StringValue !== 'a') continue;
      queue.inFlight.delete(handle);
      queue.visible.push(message);
    }
    // ... and the reconciler re-drives the task once the lease has lapsed
    clock.set(MOVER_BASE + 10 * 60_000);
    const summary = await runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, owner: 'mover-2' });
    // Assess: the task ended; every skipped message is visible again, no held batch is left
    expect({ status: summary.status, invisible: queue.invisible() }).toEqual({ status: TaskStatus.COMPLETED, invisible: [] });
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.COMPLETED, numberOfMessagesSkipped: 5 });
  });

  it('stores held handles before hiding them: a failed store hides nothing for the pass', async () => {
    // Prepare: 3 skipped, 2 matches; the held batch's write fails (the table answered 503)
    const { deps, queue, holds, taskId } = selectiveTaskSetUp(['b', 'a', 'b', 'a', 'b']);
    holds.putFailures.push(TRANSIENT());
    const hidden: string[][] = [];
    const changeVisibility = queue.changeVisibility.bind(queue);
    queue.changeVisibility = async (queueArn, handles, seconds) => {
      if (seconds > 0) hidden.push([...handles]);
      return changeVisibility(queueArn, handles, seconds);
    };
    // Act
    await expect(runMoverSlice(deps, taskId, MOVER_OPTIONS)).rejects.toThrow(/SQS failed/);
    // Assess: nothing was hidden for the pass, nothing was sent, and every message of the batch is visible again
    expect({ hidden, sent: queue.sent.length, invisible: queue.invisible(), stored: holds.handles() }).toEqual({ hidden: [], sent: 0, invisible: [], stored: [] });
  });

  it('releases the unsent matches of a batch whose send keeps throwing, and leaves the task RUNNING for a re-drive', async () => {
    // Prepare: 2 skipped, 3 matches; every send throws something the mover does not expect
    const { deps, queue, holds, store, taskId } = selectiveTaskSetUp(['b', 'a', 'b', 'a', 'a']);
    let sends = 0;
    queue.send = async () => {
      sends += 1;
      throw new TypeError('boom');
    };
    // Act
    const slice = runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: three batches tried three times each, then the slice gives up; the matches are visible again,
    // the held ones stored (whoever ends the task releases them), the task not ended by a fault that may pass
    await expect(slice).rejects.toThrow(/refused 3 batches in a row \(InternalError\)/);
    expect({ sends, visible: queue.visible.map((message) => message.messageId).sort(), held: holds.handles().sort(), status: store.records.get(taskId)!.status })
      .toEqual({ sends: 9, visible: ['m1', 'm3', 'm4'], held: ['r0', 'r2'], status: TaskStatus.RUNNING });
  });
});

describe('runMoverSlice with more loops asked than the held-batch scan covers', () => {
  it('runs at most 8 loops, so every held batch a crash leaves is found and released', async () => {
    // Prepare: 200 skipped messages, 20 loops asked; receives overlap
    const { deps, queue, store, taskId } = selectiveTaskSetUp(Array.from({ length: 200 }, () => 'b'));
    let inFlight = 0;
    let most = 0;
    const receive = queue.receive.bind(queue);
    queue.receive = async (queueArn, input) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return receive(queueArn, input);
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, loops: 20 });
    // Assess
    expect(most).toBe(8);
    expect({ status: summary.status, skipped: store.records.get(taskId)!.numberOfMessagesSkipped, invisible: queue.invisible() }).toEqual({ status: TaskStatus.COMPLETED, skipped: 200, invisible: [] });
  });
});
