// A DLQ and its held batches in memory, for the selective mover's and starts' unit tests.
import { SqsQueueDestination } from '../../lambda/adapters/sqs/sqs-queue-destination';
import type { DlqMessage, FailedEntry, OutgoingMessage } from '../../lambda/domain/dlq-message';
import type { MoverDependencies, MoverOptions } from '../../lambda/domain/operations/run-mover-slice';
import type { HoldStore, QueueMessages } from '../../lambda/domain/ports';
import type { TaskRecord } from '../../lambda/domain/task-record';
import { fakeDependencies, queueArn, recordedTask } from './fake-dependencies';

/** A DLQ in memory: received messages stay invisible until released (visibility 0) or deleted. */
export class FakeDlq implements QueueMessages {
  readonly visible: DlqMessage[] = [];
  readonly inFlight = new Map<string, DlqMessage>();
  readonly sent: Array<{ target: string; message: OutgoingMessage }> = [];
  /** each SendMessageBatch call, by its entries */
  readonly sendCalls: OutgoingMessage[][] = [];
  /** the next calls of each kind throw these, in order */
  readonly receiveFailures: Error[] = [];
  readonly deleteFailures: Error[] = [];
  readonly sendFailures: Error[] = [];
  /** every receive, delete and visibility change throws this while set */
  alwaysFailing?: Error;
  /** a sent message whose target is this queue lands in it as a new message */
  constructor(readonly arn: string) {}
  private next = 0;

  add(tenant: string, overrides: Partial<DlqMessage> = {}): DlqMessage {
    const n = this.next++;
    const message: DlqMessage = {
      messageId: `m${n}`,
      receiptHandle: `r${n}`,
      body: `body ${n}`,
      messageAttributes: { tenant: { DataType: 'String', StringValue: tenant } },
      sentTimestamp: 1,
      sourceArn: this.arn.replace(/-dlq$/, ''),
      ...overrides,
    };
    this.visible.push(message);
    return message;
  }

  async receive(_queue: string, input: { max: number }): Promise<DlqMessage[]> {
    const failure = this.alwaysFailing ?? this.receiveFailures.shift();
    if (failure) throw failure;
    const batch = this.visible.splice(0, input.max);
    for (const message of batch) this.inFlight.set(message.receiptHandle, message);
    return batch;
  }

  async send(target: string, messages: readonly OutgoingMessage[]): Promise<{ failed: FailedEntry[] }> {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    this.sendCalls.push([...messages]);
    for (const message of messages) {
      this.sent.push({ target, message });
      if (target === this.arn) this.add(message.messageAttributes.tenant?.StringValue ?? '', { body: message.body });
    }
    return { failed: [] };
  }

  /** handles SQS will not delete once: the message stays, and comes back at once (its visibility lapsed) */
  readonly undeletable = new Set<string>();

  async delete(_queue: string, handles: readonly string[]): Promise<{ failed: FailedEntry[] }> {
    const failure = this.alwaysFailing ?? this.deleteFailures.shift();
    if (failure) throw failure;
    const failed: FailedEntry[] = [];
    for (const handle of handles) {
      const message = this.inFlight.get(handle);
      this.inFlight.delete(handle);
      if (!this.undeletable.delete(handle) || !message) continue;
      this.visible.push({ ...message, receiptHandle: `${handle}-again` });
      failed.push({ id: handle, code: 'ReceiptHandleIsInvalid', message: 'The receipt handle has expired.', senderFault: true });
    }
    return { failed };
  }

  async changeVisibility(_queue: string, handles: readonly string[], seconds: number): Promise<void> {
    if (this.alwaysFailing) throw this.alwaysFailing;
    if (seconds > 0) return; // stays in flight (invisible) for `seconds`
    for (const handle of handles) {
      const message = this.inFlight.get(handle);
      if (!message) continue;
      this.inFlight.delete(handle);
      this.visible.push(message);
    }
  }

  /** message ids still hidden */
  invisible(): string[] {
    return [...this.inFlight.values()].map((message) => message.messageId);
  }
}

/** Held batches in memory, with the store's condition: a batch number is written once. */
export class FakeHolds implements HoldStore {
  readonly batches = new Map<string, string[]>();
  /** the next puts throw these, in order */
  readonly putFailures: Error[] = [];

  async put(taskId: string, batch: number, handles: readonly string[]): Promise<boolean> {
    const failure = this.putFailures.shift();
    if (failure) throw failure;
    const key = `${taskId}#${batch}`;
    if (this.batches.has(key)) return false;
    this.batches.set(key, [...handles]);
    return true;
  }

  async get(taskId: string, batch: number) {
    return this.batches.get(`${taskId}#${batch}`);
  }

  /** reads, as the store counts them: one per getMany */
  getManyCalls = 0;

  async getMany(taskId: string, batches: readonly number[]) {
    this.getManyCalls += 1;
    const found = new Map<number, string[]>();
    for (const batch of batches) {
      const handles = this.batches.get(`${taskId}#${batch}`);
      if (handles) found.set(batch, handles);
    }
    return found;
  }

  async remove(taskId: string, batch: number) {
    this.batches.delete(`${taskId}#${batch}`);
  }

  /** every held handle, whatever its batch */
  handles(): string[] {
    return [...this.batches.values()].flat();
  }
}

export const MOVER_BASE = Date.parse('2024-05-01T12:00:00.000Z');
export const MOVER_OPTIONS: MoverOptions = { owner: 'mover-1', visibilitySeconds: 60, leaseSeconds: 120, holdSeconds: 43_200, retentionDays: 90, sliceEndsAt: Number.MAX_SAFE_INTEGER, sleep: async () => undefined, loops: 1 };

/** A selective task on `managed-orders-dlq` that moves tenant "a", its DLQ holding one message per tenant given. */
export function selectiveTaskSetUp(tenants: readonly string[], overrides: Partial<TaskRecord> = {}) {
  const base = fakeDependencies();
  const queue = new FakeDlq(queueArn('managed-orders-dlq'));
  for (const tenant of tenants) queue.add(tenant);
  const holds = new FakeHolds();
  let now = MOVER_BASE;
  const clock = { now: () => new Date(now), set: (at: number) => (now = at) };
  const deps: MoverDependencies = { ...base, clock, messages: queue, destination: new SqsQueueDestination(queue), holds };
  const record = recordedTask('managed-orders-dlq', { kind: 'selective', filterPolicy: '{"tenant":["a"]}', filterPolicyScope: 'MessageAttributes', numberOfMessagesSkipped: 0, numberOfMessagesUnroutable: 0, ...overrides });
  base.store.records.set(record.taskId, record);
  return { deps, queue, holds, store: base.store, taskId: record.taskId, clock, logged: base.logged };
}
