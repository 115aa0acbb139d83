import { type MoverDependencies, runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { MOVER_BASE, MOVER_OPTIONS, selectiveTaskSetUp } from '../../../support/fake-dlq';

describe('runMoverSlice', () => {
  it('ends a task cancelled between the slice\'s last write and its hand-on, releasing what it held', async () => {
    // Prepare: 10 messages, none match (all held); the slice ends 10 s in
    const { deps, queue, holds, store, taskId } = selectiveTaskSetUp(Array.from({ length: 10 }, () => 'b'));
    let afterPut = -1;
    const put = holds.put.bind(holds);
    holds.put = async (...args) => {
      afterPut = 0;
      return put(...args);
    };
    deps.clock.now = () => {
      if (afterPut >= 0) afterPut += 1;
      if (afterPut === 2) {
        // the cancel's conditional write lands after the batch's (RUNNING → CANCELLING)
        const current = store.records.get(taskId)!;
        store.records.set(taskId, { ...current, status: TaskStatus.CANCELLING, cancelRequestedAt: new Date(MOVER_BASE + 11_000).toISOString(), version: current.version + 1 });
      }
      return new Date(afterPut >= 2 ? MOVER_BASE + 11_000 : MOVER_BASE);
    };
    const next: Array<Promise<unknown>> = [];
    const withInvoker: MoverDependencies = { ...deps, mover: { invoke: async () => void next.push(runMoverSlice(withInvoker, taskId, { ...MOVER_OPTIONS, owner: 'mover-2' }).then((s) => s.outcome)) } };
    // Act
    const summary = await runMoverSlice(withInvoker, taskId, { ...MOVER_OPTIONS, sliceEndsAt: MOVER_BASE + 10_000 });
    // Assess: settled by this slice, nothing handed on, every held message visible again
    expect({ first: summary.outcome, next: await Promise.all(next), status: store.records.get(taskId)!.status, invisible: queue.invisible() })
      .toEqual({ first: 'finished', next: [], status: TaskStatus.CANCELLED, invisible: [] });
  });

  it('stops taking batches when its lease would lapse before the next batch is done, and hands on', async () => {
    // Prepare: 30 messages; the first batch's record write stalls 70 s (the lease runs 120 s, a batch 60 s)
    const { deps, queue, store, taskId, clock } = selectiveTaskSetUp(Array.from({ length: 30 }, () => 'a'));
    const replace = store.replace.bind(store);
    let writes = 0;
    store.replace = async (expected, next) => {
      writes += 1;
      const done = await replace(expected, next);
      if (writes === 2) clock.set(MOVER_BASE + 70_000);
      return done;
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: one more batch at most after the stall, the lease freed for the next slice
    expect(summary.outcome).toBe('handed-on');
    expect(queue.sent.length).toBeLessThanOrEqual(20);
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.RUNNING, leaseExpiresAt: new Date(MOVER_BASE + 70_000).toISOString() });
  });

  it('stores its held batch under the next free number when another mover took that number', async () => {
    // Prepare: 5 skipped; another mover stores held batch 0 after this one took the lease
    const { deps, queue, holds, store, taskId } = selectiveTaskSetUp(['b', 'b', 'b', 'b', 'b']);
    const receive = queue.receive.bind(queue);
    queue.receive = async (queueArn, input) => {
      if (!holds.batches.has(`${taskId}#0`)) holds.batches.set(`${taskId}#0`, ['theirs']);
      return receive(queueArn, input);
    };
    const released: string[] = [];
    const changeVisibility = queue.changeVisibility.bind(queue);
    queue.changeVisibility = async (queueArn, handles, seconds) => {
      if (seconds === 0) released.push(...handles);
      return changeVisibility(queueArn, handles, seconds);
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, MOVER_OPTIONS);
    // Assess: neither batch overwritten: both released at the end
    expect(summary.status).toBe(TaskStatus.COMPLETED);
    expect(released.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'theirs']);
    expect({ invisible: queue.invisible(), held: holds.handles(), skipped: store.records.get(taskId)!.numberOfMessagesSkipped }).toEqual({ invisible: [], held: [], skipped: 5 });
  });
});

describe('runMoverSlice with a lease configured no longer than a batch\'s visibility', () => {
  it('still works through the queue instead of handing on before its first batch', async () => {
    // Prepare
    const { deps, store, taskId } = selectiveTaskSetUp(['a', 'b', 'a']);
    // Act
    const summary = await runMoverSlice(deps, taskId, { ...MOVER_OPTIONS, visibilitySeconds: 60, leaseSeconds: 30 });
    // Assess
    expect({ outcome: summary.outcome, moved: summary.moved, status: store.records.get(taskId)!.status }).toEqual({ outcome: 'finished', moved: 2, status: TaskStatus.COMPLETED });
  });
});
