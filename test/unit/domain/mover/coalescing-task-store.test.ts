import { CoalescingTaskStore } from '../../../../lambda/domain/mover/coalescing-task-store';
import type { MoverDependencies, MoverOptions } from '../../../../lambda/domain/mover/mover-types';
import { SliceProgress } from '../../../../lambda/domain/mover/slice-progress';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { nextRecord } from '../../../../lambda/domain/transitions';
import { fakeDependencies, InMemoryTaskStore, recordedTask } from '../../../support/fake-dependencies';

const OPTIONS: MoverOptions = { owner: 'mover-1', visibilitySeconds: 60, leaseSeconds: 120, holdSeconds: 43_200, retentionDays: 90, sliceEndsAt: Number.MAX_SAFE_INTEGER, sleep: async () => undefined };

/** A linger the test ends by hand: each wait is kept until `release()`. */
function heldLinger() {
  const waiting: Array<() => void> = [];
  return {
    sleep: (ms: number) => {
      expect(ms).toBe(5);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    get waiting() {
      return waiting.length;
    },
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

/** Lets every settled promise's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A store counting conditional writes, which can be made to fail. */
class CountingStore extends InMemoryTaskStore {
  writes = 0;
  failure?: Error;
  override async replace(expected: TaskRecord, next: TaskRecord): Promise<boolean> {
    this.writes += 1;
    if (this.failure) throw this.failure;
    return super.replace(expected, next);
  }
}

function leasedTask(): TaskRecord {
  return recordedTask('managed-orders', { kind: 'selective', leaseOwner: 'mover-1', leaseExpiresAt: '2024-05-01T12:01:00.000Z', numberOfMessagesSkipped: 0, numberOfMessagesUnroutable: 0 });
}

function setUp() {
  const base = fakeDependencies();
  const inner = new CountingStore();
  const linger = heldLinger();
  const store = new CoalescingTaskStore(inner, { sleep: linger.sleep });
  const record = leasedTask();
  inner.records.set(record.taskId, record);
  const deps = { ...base, store } as unknown as MoverDependencies;
  return { inner, linger, store, record, progress: new SliceProgress(deps, record, OPTIONS) };
}

describe('CoalescingTaskStore', () => {
  it("lets the batches that finish while a count write lingers share the next write, with every batch's counts", async () => {
    // Prepare
    const { inner, linger, progress, record } = setUp();

    // Act: one batch starts a write; three more finish while it lingers
    const first = progress.add({ moved: 10, skipped: 0, unroutable: 0 });
    await settle();
    const others = [progress.add({ moved: 10, skipped: 0, unroutable: 0 }), progress.add({ moved: 7, skipped: 3, unroutable: 0 }), progress.add({ moved: 0, skipped: 9, unroutable: 1 })];
    await settle();
    const writesWhileLingering = inner.writes;
    linger.release();
    await first;
    await settle();
    linger.release();
    await Promise.all(others);

    // Assess: nothing written before the linger ended; then two writes carried four batches, exactly
    expect(writesWhileLingering).toBe(0);
    expect(inner.writes).toBe(2);
    const stored = inner.records.get(record.taskId)!;
    expect(stored.approximateNumberOfMessagesMoved).toBe(27);
    expect(stored.numberOfMessagesSkipped).toBe(12);
    expect(stored.numberOfMessagesUnroutable).toBe(1);
    expect(stored.leaseExpiresAt! > record.leaseExpiresAt!).toBe(true);
  });

  it('fails every batch whose counts a failed write carried', async () => {
    // Prepare
    const { inner, linger, progress } = setUp();
    const first = progress.add({ moved: 10, skipped: 0, unroutable: 0 });
    await settle();
    const others = [progress.add({ moved: 10, skipped: 0, unroutable: 0 }), progress.add({ moved: 10, skipped: 0, unroutable: 0 })];
    await settle();
    linger.release();
    await first;
    await settle();

    // Act: the write carrying the two waiting batches fails
    inner.failure = new Error('the table is unreachable');
    linger.release();
    const results = await Promise.allSettled(others);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((result) => (result as PromiseRejectedResult).reason.message)).toEqual(['the table is unreachable', 'the table is unreachable']);
  });

  it.each([
    ['a new owner takes the lease', (record: TaskRecord) => nextRecord(record, { leaseOwner: 'mover-2', leaseExpiresAt: '2024-05-01T12:03:00.000Z' }, '2024-05-01T12:00:00.000Z')],
    ['the owner hands the task on (the lease ends now)', (record: TaskRecord) => nextRecord(record, { leaseExpiresAt: '2024-05-01T12:00:00.000Z' }, '2024-05-01T12:00:00.000Z')],
    ['the task ends', (record: TaskRecord) => nextRecord(record, { status: TaskStatus.COMPLETED, leaseOwner: undefined, leaseExpiresAt: undefined }, '2024-05-01T12:00:00.000Z')],
    ['a cancel claims the task', (record: TaskRecord) => nextRecord(record, { status: TaskStatus.CANCELLING }, '2024-05-01T12:00:00.000Z')],
  ])('writes at once when %s', async (_name, change) => {
    // Prepare
    const { inner, linger, store, record } = setUp();

    // Act
    const written = await store.replace(record, change(record));

    // Assess
    expect(written).toBe(true);
    expect(inner.writes).toBe(1);
    expect(linger.waiting).toBe(0);
  });

  it('answers a count write as the table does: false when another write came first', async () => {
    // Prepare
    const { inner, linger, store, record } = setUp();
    inner.records.set(record.taskId, { ...record, version: record.version + 1 });

    // Act
    const answer = store.replace(record, nextRecord(record, { approximateNumberOfMessagesMoved: 10, leaseExpiresAt: '2024-05-01T12:02:00.000Z' }, '2024-05-01T12:00:00.000Z'));
    await settle();
    linger.release();

    // Assess
    expect(await answer).toBe(false);
  });
});
