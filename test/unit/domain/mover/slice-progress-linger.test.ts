import type { MoverDependencies, MoverOptions } from '../../../../lambda/domain/mover/mover-types';
import { SliceProgress } from '../../../../lambda/domain/mover/slice-progress';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { fakeDependencies, InMemoryTaskStore, recordedTask } from '../../../support/fake-dependencies';

/** A linger the test ends by hand: each wait is kept until `release()`. */
function heldLinger() {
  const waiting: Array<() => void> = [];
  return {
    sleep: (ms: number) => {
      expect(ms).toBe(5);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

/** Lets every settled promise's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A task table counting conditional writes, which can be made to fail. */
class CountingStore extends InMemoryTaskStore {
  writes = 0;
  failure?: Error;
  /** a write waits for this before the table answers */
  answer?: Promise<void>;
  override async replace(expected: TaskRecord, next: TaskRecord): Promise<boolean> {
    this.writes += 1;
    await this.answer;
    if (this.failure) throw this.failure;
    return super.replace(expected, next);
  }
}

function setUp(loops?: number) {
  const store = new CountingStore();
  const linger = heldLinger();
  const record = recordedTask('managed-orders', { kind: 'selective', leaseOwner: 'mover-1', leaseExpiresAt: '2024-05-01T12:01:00.000Z', numberOfMessagesSkipped: 0, numberOfMessagesUnroutable: 0 });
  store.records.set(record.taskId, record);
  const options: MoverOptions = { owner: 'mover-1', visibilitySeconds: 60, leaseSeconds: 120, holdSeconds: 43_200, retentionDays: 90, sliceEndsAt: Number.MAX_SAFE_INTEGER, sleep: linger.sleep, countLingerMs: 5 };
  const deps = { ...fakeDependencies(), store } as unknown as MoverDependencies;
  return { store, linger, record, progress: new SliceProgress(deps, record, options, loops) };
}

const batch = (moved: number, skipped = 0, unroutable = 0) => ({ moved, skipped, unroutable });

describe('SliceProgress with countLingerMs', () => {
  it("lets the batches that finish while a count write lingers share that one write, with every batch's counts", async () => {
    // Prepare
    const { store, linger, progress, record } = setUp();

    // Act: one batch starts a write; three more finish while it lingers
    const adds = [progress.add(batch(10))];
    await settle();
    adds.push(progress.add(batch(10)), progress.add(batch(7, 3)), progress.add(batch(0, 9, 1)));
    await settle();
    const writesWhileLingering = store.writes;
    linger.release();
    await Promise.all(adds);

    // Assess: nothing written before the linger ended, then one write for the four batches
    expect(writesWhileLingering).toBe(0);
    expect(store.writes).toBe(1);
    const stored = store.records.get(record.taskId)!;
    expect(stored.approximateNumberOfMessagesMoved).toBe(27);
    expect(stored.numberOfMessagesSkipped).toBe(12);
    expect(stored.numberOfMessagesUnroutable).toBe(1);
  });

  it('carries a batch that finishes during a write in the next write, after its own linger', async () => {
    // Prepare: the first write under way (its linger over, the table not yet answered)
    const { store, linger, progress, record } = setUp();
    let answer = () => {};
    store.answer = new Promise((resolve) => (answer = resolve));
    const first = progress.add(batch(10));
    await settle();
    linger.release();
    await settle();
    const second = progress.add(batch(5));
    answer();
    await first;
    await settle();

    // Act
    linger.release();
    await second;

    // Assess
    expect(store.writes).toBe(2);
    expect(store.records.get(record.taskId)!.approximateNumberOfMessagesMoved).toBe(15);
  });

  it('fails every batch whose counts a failed write carried', async () => {
    // Prepare
    const { store, linger, progress } = setUp();
    store.failure = new Error('the table is unreachable');
    const adds = [progress.add(batch(10))];
    await settle();
    adds.push(progress.add(batch(10)), progress.add(batch(10)));
    await settle();

    // Act
    linger.release();
    const results = await Promise.allSettled(adds);

    // Assess: one write, and its failure reached all three callers
    expect(store.writes).toBe(1);
    expect(results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'fulfilled'))).toEqual([
      'the table is unreachable',
      'the table is unreachable',
      'the table is unreachable',
    ]);
  });

  it('writes without waiting out the linger once every running loop has a batch pending', async () => {
    // Prepare: three loops
    const { store, progress, record } = setUp(3);

    // Act: each loop adds its batch; the linger is never released by hand
    const adds = [progress.add(batch(10)), progress.add(batch(10))];
    await settle();
    const writesWithTwoPending = store.writes;
    adds.push(progress.add(batch(4, 6)));
    await Promise.all(adds);

    // Assess: nothing written while a loop could still add, then one write for the three batches
    expect(writesWithTwoPending).toBe(0);
    expect(store.writes).toBe(1);
    expect(store.records.get(record.taskId)!.approximateNumberOfMessagesMoved).toBe(24);
  });

  it('does not wait for a loop that ended, nor for one waiting on a long poll until it resumes', async () => {
    // Prepare: three loops, one of them ended, one waiting on the long poll that confirms the end of the pass
    const { store, progress, record } = setUp(3);
    progress.loopEnded();

    // Act
    const first = progress.add(batch(10));
    await settle();
    const writesBeforeTheWait = store.writes;
    progress.loopEnded();
    await first;
    progress.loopResumed();
    const second = progress.add(batch(3));
    await settle();

    // Assess: the second loop's wait let the first write go; once resumed, a write waits for it again
    expect(writesBeforeTheWait).toBe(0);
    expect(store.writes).toBe(1);
    expect(store.records.get(record.taskId)!.approximateNumberOfMessagesMoved).toBe(10);
    progress.loopEnded();
    await second;
    expect(store.writes).toBe(2);
  });
});
