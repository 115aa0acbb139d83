import { SqsQueueDestination } from '../../../../lambda/adapters/sqs/sqs-queue-destination';
import { archiveLineOf, archivePrefix, formatArchiveLines } from '../../../../lambda/domain/archive/archive-line';
import type { ArchiveKeys, ArchiveStore } from '../../../../lambda/domain/archive/archive-store';
import type { DlqMessage } from '../../../../lambda/domain/dlq-message';
import { runArchiveReplaySlice } from '../../../../lambda/domain/operations/run-archive-replay-slice';
import type { MoverDependencies } from '../../../../lambda/domain/operations/run-mover-slice';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';
import { FakeDlq, FakeHolds, MOVER_BASE, MOVER_OPTIONS } from '../../../support/fake-dlq';

/** The archive bucket in memory: keys listed in order, as S3 lists them. */
class InMemoryArchive implements ArchiveStore {
  readonly objects = new Map<string, string>();
  async put(key: string, text: string): Promise<void> {
    this.objects.set(key, text);
  }
  async list(prefix: string, options: { readonly max: number; readonly after?: string }): Promise<ArchiveKeys> {
    const keys = [...this.objects.keys()].filter((key) => key.startsWith(prefix) && (!options.after || key > options.after)).sort();
    return { keys: keys.slice(0, options.max), more: keys.length > options.max };
  }
  async read(key: string): Promise<string | undefined> {
    return this.objects.get(key);
  }
}

/** Every send to `target` throws `error` (the other targets are sent to). */
function refuseTarget(queue: FakeDlq, target: string, error: Error): void {
  const send = queue.send.bind(queue);
  queue.send = async (to, messages) => {
    if (to === target) throw error;
    return send(to, messages);
  };
}

const DLQ = queueArn('managed-orders-dlq');
const message = (n: number, tenant: string, overrides: Partial<DlqMessage> = {}): DlqMessage => ({
  messageId: `m${n}`,
  receiptHandle: '',
  body: `body ${n}`,
  messageAttributes: { tenant: { DataType: 'String', StringValue: tenant }, bytes: { DataType: 'Binary', BinaryValue: new Uint8Array([n, 255]) } },
  sentTimestamp: 1,
  sourceArn: queueArn('managed-orders'),
  ...overrides,
});

/** An archive task of `managed-orders-dlq` with one object per batch given, and a replay of it selecting tenant "a". */
function setUp(batches: readonly (readonly DlqMessage[])[], overrides: Parameters<typeof recordedTask>[1] = {}) {
  const base = fakeDependencies();
  const archive = new InMemoryArchive();
  const archiveTask = recordedTask('managed-orders-dlq', { taskId: 'archive-1', kind: 'archive', status: TaskStatus.COMPLETED });
  const prefix = archivePrefix(DLQ, archiveTask.taskId, new Date(archiveTask.createdAt));
  batches.forEach((batch, index) => void archive.objects.set(`${prefix}${String(index).padStart(13, '0')}-x.jsonl.gz`, formatArchiveLines(batch.map((each) => archiveLineOf(each, DLQ, 'archive-1', new Date(MOVER_BASE))))));
  const queue = new FakeDlq(queueArn('managed-orders'));
  let now = MOVER_BASE;
  const clock = { now: () => new Date(now), set: (at: number) => (now = at) };
  const deps: MoverDependencies = { ...base, clock, messages: queue, destination: new SqsQueueDestination(queue), holds: new FakeHolds(), archive };
  const replay = recordedTask('managed-orders-dlq', { taskId: 'replay-1', kind: 'archive-replay', archiveTaskId: 'archive-1', filterPolicy: '{"tenant":["a"]}', filterPolicyScope: 'MessageAttributes', numberOfMessagesSkipped: 0, numberOfMessagesUnroutable: 0, ...overrides });
  base.store.records.set(archiveTask.taskId, archiveTask);
  base.store.records.set(replay.taskId, replay);
  return { deps, queue, store: base.store, clock, keys: [...archive.objects.keys()].sort() };
}

describe('runArchiveReplaySlice', () => {
  it('sends each selected archived message to the queue it failed in, attributes byte for byte, and records counts and the cursor per object', async () => {
    // Prepare: two objects, tenants a, b, a / a
    const { deps, queue, store, keys } = setUp([[message(0, 'a'), message(1, 'b'), message(2, 'a')], [message(3, 'a')]]);

    // Act
    const summary = await runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS);

    // Assess
    expect(summary).toMatchObject({ outcome: 'finished', status: TaskStatus.COMPLETED, moved: 3, skipped: 1 });
    expect(queue.sent.map((each) => [each.target, each.message.body])).toEqual([[queueArn('managed-orders'), 'body 0'], [queueArn('managed-orders'), 'body 2'], [queueArn('managed-orders'), 'body 3']]);
    expect(queue.sent[0]!.message.messageAttributes.bytes).toEqual({ DataType: 'Binary', BinaryValue: new Uint8Array([0, 255]) });
    expect(store.records.get('replay-1')).toMatchObject({ status: TaskStatus.COMPLETED, approximateNumberOfMessagesMoved: 3, numberOfMessagesSkipped: 1, archiveCursor: keys[1] });
  });

  it('resumes after the last recorded object when a slice died between its sends and its write: that object is sent again, none skipped', async () => {
    // Prepare: the second object's write is lost (the process dies after its sends)
    const { deps, queue, store, clock } = setUp([[message(0, 'a')], [message(1, 'a')], [message(2, 'a')]]);
    const replace = store.replace.bind(store);
    let writes = 0;
    store.replace = async (expected, next) => {
      writes += 1;
      if (writes === 3) throw new Error('the process died');
      return replace(expected, next);
    };
    await expect(runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS)).rejects.toThrow('the process died');

    // Act: another mover, once the lease has lapsed
    clock.set(MOVER_BASE + 300_000);
    const summary = await runArchiveReplaySlice(deps, 'replay-1', { ...MOVER_OPTIONS, owner: 'mover-2' });

    // Assess: body 1 twice (at least once), body 0 once, counted once each
    expect(summary.status).toBe(TaskStatus.COMPLETED);
    expect(queue.sent.map((each) => each.message.body)).toEqual(['body 0', 'body 1', 'body 1', 'body 2']);
    expect(store.records.get('replay-1')!.approximateNumberOfMessagesMoved).toBe(3);
  });

  it('keeps a FIFO message\'s group, with a deduplication id of the task and the message', async () => {
    // Prepare
    const fifo = queueArn('managed-orders.fifo');
    const { deps, queue } = setUp([[message(0, 'a', { sourceArn: fifo, messageGroupId: 'g-1', messageDeduplicationId: 'original' })]]);

    // Act
    await runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS);

    // Assess
    expect(queue.sent[0]).toMatchObject({ target: fifo, message: { messageGroupId: 'g-1', deduplicationId: 'replay-1:m0' } });
  });

  it('stops at a cancel its write meets, and ends CANCELLED with the first object counted', async () => {
    // Prepare: a cancel lands with the first object's write
    const { deps, queue, store } = setUp([[message(0, 'a')], [message(1, 'a')]]);
    const replace = store.replace.bind(store);
    let cancelled = false;
    store.replace = async (expected, next) => {
      if (!cancelled && next.archiveCursor) {
        cancelled = true;
        store.records.set('replay-1', { ...expected, status: TaskStatus.CANCELLING, version: expected.version + 1 });
      }
      return replace(expected, next);
    };

    // Act
    const summary = await runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS);

    // Assess
    expect(summary.status).toBe(TaskStatus.CANCELLED);
    expect(queue.sent.map((each) => each.message.body)).toEqual(['body 0']);
    expect(store.records.get('replay-1')).toMatchObject({ status: TaskStatus.CANCELLED, approximateNumberOfMessagesMoved: 1 });
  });

  it('counts a message whose queue is gone as unroutable and goes on; fails the task on a refusal for good', async () => {
    // Prepare
    const gone = setUp([[message(0, 'a')], [message(1, 'a')]]);
    gone.queue.sendFailures.push(new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.'));
    const denied = setUp([[message(0, 'a')], [message(1, 'a')]]);
    denied.queue.sendFailures.push(new SqsError('AccessDenied', 'not allowed', 400));

    // Act
    const goneSummary = await runArchiveReplaySlice(gone.deps, 'replay-1', MOVER_OPTIONS);
    const deniedSummary = await runArchiveReplaySlice(denied.deps, 'replay-1', MOVER_OPTIONS);

    // Assess
    expect(goneSummary).toMatchObject({ status: TaskStatus.COMPLETED, moved: 1, unroutable: 1 });
    expect(deniedSummary.status).toBe(TaskStatus.FAILED);
    expect(denied.store.records.get('replay-1')).toMatchObject({ status: TaskStatus.FAILED, failureReason: 'AccessDenied' });
    expect(denied.queue.sent).toEqual([]);
  });

  it('counts what an object sent before a destination refused for good, then fails the task', async () => {
    // Prepare: one object [orders, orders, kms-q]; kms-q refuses for good (its KMS key)
    const kms = queueArn('managed-kms-q');
    const { deps, queue, store } = setUp([[message(0, 'a'), message(1, 'a'), message(2, 'a', { sourceArn: kms })]]);
    refuseTarget(queue, kms, new SqsError('KMS.AccessDeniedException', 'no access to the key', 400));

    // Act
    const summary = await runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS);

    // Assess: the two sent are counted moved
    expect(queue.sent.map((each) => each.message.body)).toEqual(['body 0', 'body 1']);
    expect(summary).toMatchObject({ status: TaskStatus.FAILED, moved: 2 });
    expect(store.records.get('replay-1')).toMatchObject({ status: TaskStatus.FAILED, failureReason: 'KMS.AccessDeniedException', approximateNumberOfMessagesMoved: 2 });
  });

  it('stops at MaxMessages', async () => {
    // Prepare
    const { deps, queue } = setUp([[message(0, 'a'), message(1, 'a')], [message(2, 'a')]], { maxMessages: 1 });

    // Act
    const summary = await runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS);

    // Assess
    expect(summary.status).toBe(TaskStatus.COMPLETED);
    expect(queue.sent.map((each) => each.message.body)).toEqual(['body 0']);
  });

  it('counts toward MaxMessages only what was sent: a match whose queue is gone does not push the object\'s next match past the cap', async () => {
    // Prepare: MaxMessages 2; object 1 [gone, a, a], object 2 [a]
    const gone = queueArn('managed-gone-q');
    const { deps, queue, store } = setUp([[message(0, 'a', { sourceArn: gone }), message(1, 'a'), message(2, 'a')], [message(3, 'a')]], { maxMessages: 2 });
    refuseTarget(queue, gone, new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.'));

    // Act
    const summary = await runArchiveReplaySlice(deps, 'replay-1', MOVER_OPTIONS);

    // Assess: the first object's two live matches are sent, none passed over; the cap is met there
    expect(queue.sent.map((each) => each.message.body)).toEqual(['body 1', 'body 2']);
    expect(summary.status).toBe(TaskStatus.COMPLETED);
    expect(store.records.get('replay-1')).toMatchObject({ approximateNumberOfMessagesMoved: 2, numberOfMessagesUnroutable: 1 });
  });
});
