import { runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { queueArn } from '../../../support/fake-dependencies';
import { MOVER_BASE, MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

describe('runMoverSlice', () => {
  it('never sends a match back into its own DLQ: a task recorded with DestinationArn = SourceArn ends, moving nothing', async () => {
    // Prepare: 3 matches; a record that names its DLQ as its destination (a start before the check existed)
    const { deps, queue, store, taskId } = selectiveTaskSetUp(['a', 'a', 'a'], { destinationArn: queueArn('managed-orders-dlq') });
    let calls = 0;
    deps.clock.now = () => new Date(MOVER_BASE + calls++ * 10);
    // Act: one slice of at most 30 s of (fake) time
    const summary = await runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, sliceEndsAt: MOVER_BASE + 30_000 });
    // Assess: one pass, nothing sent into the DLQ, every message visible again
    expect({ outcome: summary.outcome, status: store.records.get(taskId)!.status, sent: queue.sent.length, unroutable: summary.unroutable })
      .toEqual({ outcome: 'finished', status: TaskStatus.COMPLETED, sent: 0, unroutable: 3 });
    expect(queue.invisible()).toEqual([]);
  });

  it('does not send a message whose DLQ source is the DLQ itself back into it', async () => {
    // Prepare: no DestinationArn; one message claims to have failed in the DLQ itself
    const { deps, queue, store, taskId } = selectiveTaskSetUp([]);
    queue.add('a', { sourceArn: queueArn('managed-orders-dlq') });
    queue.add('a');
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess
    expect({ status: store.records.get(taskId)!.status, moved: summary.moved, unroutable: summary.unroutable, targets: queue.sent.map((sent) => sent.target) })
      .toEqual({ status: TaskStatus.COMPLETED, moved: 1, unroutable: 1, targets: [queueArn('managed-orders')] });
  });
});
