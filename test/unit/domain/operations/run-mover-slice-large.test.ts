import { runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { MAX_BATCH_BYTES, messageSize } from '../../../../lambda/domain/send-batches';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

describe('runMoverSlice', () => {
  it('moves ten 150 KB matches in SendMessageBatch calls of at most 1 MiB each', async () => {
    // Prepare
    const { deps, queue, taskId } = selectiveTaskSetUp([]);
    for (let n = 0; n < 10; n += 1) queue.add('a', { body: `${n}`.padEnd(150_000, 'x') });
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess
    expect({ status: summary.status, moved: summary.moved, invisible: queue.invisible(), visible: queue.visible.length }).toEqual({ status: TaskStatus.COMPLETED, moved: 10, invisible: [], visible: 0 });
    expect(queue.sendCalls.length).toBeGreaterThan(1);
    for (const call of queue.sendCalls) expect(call.reduce((sum, entry) => sum + messageSize(entry), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(queue.sent.map((sent) => sent.message.body[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
