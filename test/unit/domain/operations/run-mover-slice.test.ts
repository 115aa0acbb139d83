import { SqsQueueDestination } from '../../../../lambda/adapters/sqs/sqs-queue-destination';
import type { DlqMessage, FailedEntry, OutgoingMessage } from '../../../../lambda/domain/dlq-message';
import { type MoverDependencies, type MoverOptions,runMoverSlice } from '../../../../lambda/domain/operations/run-mover-slice';
import type { HoldStore, QueueMessages } from '../../../../lambda/domain/ports';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';

/** A DLQ in memory: received messages are invisible until released or deleted. */
class FakeQueue implements QueueMessages {
  readonly visible: DlqMessage[] = [];
  readonly inFlight = new Map<string, DlqMessage>();
  readonly sent: OutgoingMessage[] = [];
  onBatch?: () => Promise<void>;

  constructor(tenants: readonly string[]) {
    tenants.forEach((tenant, index) =>
      this.visible.push({ messageId: `m${index}`, receiptHandle: `r${index}`, body: `body ${index}`, messageAttributes: { tenant: { DataType: 'String', StringValue: tenant } }, sentTimestamp: 1, sourceArn: queueArn('orders') }),
    );
  }

  async receive(_queue: string, input: { max: number }): Promise<DlqMessage[]> {
    const batch = this.visible.splice(0, input.max);
    for (const message of batch) this.inFlight.set(message.receiptHandle, message);
    await this.onBatch?.();
    return batch;
  }

  async send(_queue: string, messages: readonly OutgoingMessage[]): Promise<{ failed: FailedEntry[] }> {
    this.sent.push(...messages);
    return { failed: [] };
  }

  async delete(_queue: string, handles: readonly string[]): Promise<{ failed: FailedEntry[] }> {
    for (const handle of handles) this.inFlight.delete(handle);
    return { failed: [] };
  }

  async changeVisibility(_queue: string, handles: readonly string[], seconds: number): Promise<void> {
    if (seconds > 0) return;
    for (const handle of handles) {
      const message = this.inFlight.get(handle);
      if (!message) continue;
      this.inFlight.delete(handle);
      this.visible.push(message);
    }
  }
}

class FakeHolds implements HoldStore {
  readonly batches = new Map<string, string[]>();
  async put(taskId: string, batch: number, handles: readonly string[]) {
    this.batches.set(`${taskId}#${batch}`, [...handles]);
    return true;
  }
  async get(taskId: string, batch: number) {
    return this.batches.get(`${taskId}#${batch}`);
  }
  async getMany(taskId: string, batches: readonly number[]) {
    return new Map(batches.flatMap((batch) => (this.batches.has(`${taskId}#${batch}`) ? [[batch, this.batches.get(`${taskId}#${batch}`)!] as const] : [])));
  }
  async remove(taskId: string, batch: number) {
    this.batches.delete(`${taskId}#${batch}`);
  }
}

const OPTIONS: MoverOptions = { owner: 'mover-1', visibilitySeconds: 60, leaseSeconds: 120, holdSeconds: 43_200, retentionDays: 90, sliceEndsAt: Number.MAX_SAFE_INTEGER, sleep: async () => undefined, loops: 1 };

function setUp(tenants: readonly string[]) {
  const base = fakeDependencies();
  const queue = new FakeQueue(tenants);
  const holds = new FakeHolds();
  const deps: MoverDependencies = { ...base, messages: queue, destination: new SqsQueueDestination(queue), holds };
  const record = recordedTask('managed-orders', { kind: 'selective', filterPolicy: '{"tenant":["a"]}', filterPolicyScope: 'MessageAttributes', numberOfMessagesSkipped: 0, numberOfMessagesUnroutable: 0 });
  base.store.records.set(record.taskId, record);
  return { deps, queue, holds, store: base.store, taskId: record.taskId };
}

describe('runMoverSlice', () => {
  it('moves the matches, counts exactly, and releases every held message when the pass ends', async () => {
    // Prepare: 25 messages, 9 of tenant a
    const { deps, queue, holds, store, taskId } = setUp(Array.from({ length: 25 }, (_, index) => (index % 3 === 0 ? 'a' : 'b')));
    // Act
    const summary = await runMoverSlice(deps, taskId, OPTIONS);
    // Assess
    expect(summary).toMatchObject({ outcome: 'finished', status: 'COMPLETED', moved: 9, skipped: 16 });
    expect(queue.sent.map((message) => message.body)).toEqual(Array.from({ length: 9 }, (_, index) => `body ${index * 3}`));
    expect(queue.visible).toHaveLength(16);
    expect(queue.inFlight.size).toBe(0);
    expect(holds.batches.size).toBe(0);
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.COMPLETED, approximateNumberOfMessagesMoved: 9, numberOfMessagesSkipped: 16, leaseOwner: undefined });
  });

  it('stops within the batch a cancel was claimed in, and releases what it held', async () => {
    // Prepare: the cancel's conditional write lands while the second batch is in flight
    const { deps, queue, store, taskId } = setUp(Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? 'a' : 'b')));
    let batches = 0;
    queue.onBatch = async () => {
      batches += 1;
      if (batches !== 2) return;
      const current = store.records.get(taskId)!;
      store.records.set(taskId, { ...current, status: TaskStatus.CANCELLING, version: current.version + 1 });
    };
    // Act
    const summary = await runMoverSlice(deps, taskId, OPTIONS);
    // Assess
    // the third receive overlapped the second batch's write, which met the cancel: it is released, nothing of it sent
    expect(batches).toBe(3);
    expect(summary.status).toBe('CANCELLED');
    expect(queue.sent).toHaveLength(10);
    expect(queue.visible).toHaveLength(40);
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.CANCELLED, approximateNumberOfMessagesMoved: 10, numberOfMessagesSkipped: 10 });
  });

  it('leaves a task another mover holds a live lease on', async () => {
    // Prepare
    const { deps, queue, store, taskId } = setUp(['a']);
    store.records.set(taskId, { ...store.records.get(taskId)!, leaseOwner: 'mover-0', leaseExpiresAt: '2999-01-01T00:00:00.000Z' });
    // Act
    const summary = await runMoverSlice(deps, taskId, OPTIONS);
    // Assess
    expect(summary.outcome).toBe('leased-elsewhere');
    expect(queue.sent).toEqual([]);
  });

  it.each([
    ['before its delete: the batch is sent again, not counted again', false, 35],
    ['after its delete, before the next write', true, 25],
  ])('counts every message once when the mover dies %s', async (_, deleteFirst, sends) => {
    // Prepare: 25 matches; the second batch's delete is where the process dies
    const { deps, queue, store, taskId } = setUp(Array.from({ length: 25 }, () => 'a'));
    const deleteMessages = queue.delete.bind(queue);
    let deletes = 0;
    queue.delete = async (queueArn, handles) => {
      deletes += 1;
      if (deletes !== 2) return deleteMessages(queueArn, handles);
      if (deleteFirst) await deleteMessages(queueArn, handles);
      throw new Error('process killed');
    };
    // Act: the crash; the lease lapses and what was in flight is visible again; a fresh mover resumes
    await expect(runMoverSlice(deps, taskId, OPTIONS)).rejects.toThrow('process killed');
    const crashed = store.records.get(taskId)!;
    store.records.set(taskId, { ...crashed, leaseExpiresAt: '2000-01-01T00:00:00.000Z' });
    queue.visible.push(...queue.inFlight.values());
    queue.inFlight.clear();
    const summary = await runMoverSlice(deps, taskId, { ...OPTIONS, owner: 'mover-2' });
    // Assess
    expect(crashed).toMatchObject({ approximateNumberOfMessagesMoved: 20, sentNotDeleted: expect.arrayContaining(['m10', 'm19']) });
    expect(summary.status).toBe('COMPLETED');
    expect(store.records.get(taskId)).toMatchObject({ approximateNumberOfMessagesMoved: 25, sentNotDeleted: undefined });
    expect(queue.sent).toHaveLength(sends);
    expect(new Set(queue.sent.map((message) => message.body)).size).toBe(25);
    expect(queue.visible).toEqual([]);
  });

  it('hands on past its slice\'s end with no sent ids left in doubt, so the record does not grow from slice to slice', async () => {
    // Prepare: the slice's time runs out after the first batch
    const { deps, queue, store, taskId } = setUp(Array.from({ length: 30 }, () => 'a'));
    let now = Date.parse('2024-05-01T12:00:00.000Z');
    queue.onBatch = async () => {
      now += 60_000;
    };
    const clocked: MoverDependencies = { ...deps, clock: { now: () => new Date(now) } };
    // Act
    const summary = await runMoverSlice(clocked, taskId, { ...OPTIONS, sliceEndsAt: Date.parse('2024-05-01T12:00:30.000Z') });
    // Assess
    expect(summary.outcome).toBe('handed-on');
    expect(store.records.get(taskId)).toMatchObject({ status: TaskStatus.RUNNING, approximateNumberOfMessagesMoved: summary.moved, sentNotDeleted: undefined });
    expect(summary.moved).toBeGreaterThan(0);
    expect(queue.inFlight.size).toBe(0);
  });
});
