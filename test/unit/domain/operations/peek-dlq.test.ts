import type { DlqInventory } from '../../../../lambda/domain/dlq/dlq-inventory';
import type { MessageSampler } from '../../../../lambda/domain/dlq/dlq-ports';
import type { PeekedMessage } from '../../../../lambda/domain/dlq/peeked-message';
import { type PeekDependencies,peekDlq, PEEKED_DETAIL_TYPE } from '../../../../lambda/domain/operations/peek-dlq';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { FakeMessageMoveService, InMemoryTaskStore } from '../../../support/fake-dependencies';

const ACCOUNT = '123456789012';
const DLQ_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`;

/** A DLQ of `count` messages; received ones stay hidden until released, as in SQS. */
class FakeSampler implements MessageSampler {
  readonly hidden = new Set<string>();
  readonly released: string[] = [];
  releaseFailures = 0;
  receiveError?: Error;
  constructor(private readonly count: number, readonly isDlq = true, readonly exists = true, readonly onwardTarget?: string) {}

  async queueUrl(name: string) {
    return this.exists ? `http://sqs/${ACCOUNT}/${name}` : undefined;
  }
  async isDeadLetterQueue() {
    return this.isDlq;
  }
  async deadLetterTargetOf() {
    return this.onwardTarget;
  }
  /** the next short polls answer nothing, as SQS's short poll can when it asks servers without messages */
  emptyShortPolls = 0;
  readonly waits: number[] = [];
  async receive(_url: string, max: number, _visibility: number, waitSeconds = 0): Promise<PeekedMessage[]> {
    this.waits.push(waitSeconds);
    if (waitSeconds === 0 && this.emptyShortPolls > 0) {
      this.emptyShortPolls -= 1;
      return [];
    }
    if (this.receiveError && this.hidden.size > 0) throw this.receiveError;
    const ids = Array.from({ length: this.count }, (_, at) => `m${at}`).filter((id) => !this.hidden.has(id)).slice(0, max);
    for (const id of ids) this.hidden.add(id);
    return ids.map((id) => ({ messageId: id, receiptHandle: `r-${id}`, body: id, bodyTruncated: false, sentTimestamp: 1, approximateReceiveCount: 1, messageAttributes: {} }));
  }
  async release(_url: string, receipts: readonly string[]) {
    if (this.releaseFailures > 0) {
      this.releaseFailures -= 1;
      return [...receipts];
    }
    for (const receipt of receipts) {
      this.released.push(receipt);
      this.hidden.delete(receipt.slice(2));
    }
    return [];
  }
}

function depsWith(sampler: FakeSampler, managed = [`arn:aws:sqs:us-east-1:${ACCOUNT}:orders-*`]) {
  const published: Array<{ detailType: string; detail: Record<string, unknown> }> = [];
  const errors: Array<Record<string, unknown>> = [];
  const store = new InMemoryTaskStore();
  const sqs = new FakeMessageMoveService();
  const deps: PeekDependencies = {
    store,
    sqs,
    scope: new QueueScope({ accountId: ACCOUNT, region: 'us-east-1', managedQueues: managed }),
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    log: { warn: () => undefined, error: (_message, details) => errors.push(details) },
    sampler,
    inventory: { save: async () => true, load: async (): Promise<DlqInventory | undefined> => undefined },
    activity: { publishActivity: async (event) => void published.push(event) },
  };
  return { deps, store, sqs, published, errors };
}

describe('peekDlq', () => {
  it('answers up to MaxMessages, releases every one, and emits the Peeked event without bodies', async () => {
    // Prepare
    const sampler = new FakeSampler(25);
    const { deps, published } = depsWith(sampler);

    // Act
    const result = await peekDlq(deps, { queueName: 'orders-dlq', maxMessages: 15 }, 'alice');

    // Assess
    expect(result.messages).toHaveLength(15);
    expect(result.queueArn).toBe(DLQ_ARN);
    expect(sampler.hidden.size).toBe(0);
    expect(sampler.released).toHaveLength(15);
    expect(published).toEqual([
      expect.objectContaining({ detailType: PEEKED_DETAIL_TYPE, detail: expect.objectContaining({ QueueArn: DLQ_ARN, Count: 15, PeekedBy: 'alice' }) }),
    ]);
    expect(JSON.stringify(published)).not.toContain('"Body"');
  });

  it('stops at an empty receive when the DLQ holds fewer messages', async () => {
    const sampler = new FakeSampler(3);
    const result = await peekDlq(depsWith(sampler).deps, { queueName: 'orders-dlq', maxMessages: 100 }, 'alice');
    expect(result.messages.map((message) => message.messageId)).toEqual(['m0', 'm1', 'm2']);
  });

  it('releases what it received when a later receive fails', async () => {
    // Prepare
    const sampler = new FakeSampler(30);
    sampler.receiveError = new SqsError('ServiceUnavailable', 'down', 503);

    // Act
    const peek = peekDlq(depsWith(sampler).deps, { queueName: 'orders-dlq', maxMessages: 30 }, 'alice');

    // Assess
    await expect(peek).rejects.toThrow('down');
    expect(sampler.hidden.size).toBe(0);
  });

  it('tries a release SQS did not take once more, then logs what stays hidden', async () => {
    // Prepare
    const sampler = new FakeSampler(5);
    sampler.releaseFailures = 2;
    const { deps, errors } = depsWith(sampler);

    // Act
    await peekDlq(deps, { queueName: 'orders-dlq', maxMessages: 5 }, 'alice');

    // Assess
    expect(errors).toEqual([expect.objectContaining({ queueName: 'orders-dlq', notReleased: 5 })]);
  });

  it('refuses a queue outside the scope with UnsupportedOperation, before any SQS call', async () => {
    const sampler = new FakeSampler(5);
    const peek = peekDlq(depsWith(sampler, [`arn:aws:sqs:us-east-1:${ACCOUNT}:payments-*`]).deps, { queueName: 'orders-dlq', maxMessages: 5 }, 'alice');
    await expect(peek).rejects.toMatchObject({ code: 'UnsupportedOperation' });
  });

  it('answers ResourceNotFoundException for an unknown queue', async () => {
    await expect(peekDlq(depsWith(new FakeSampler(0, true, false)).deps, { queueName: 'orders-dlq', maxMessages: 5 }, 'alice')).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('refuses a chained DLQ (its own redrive policy) with InvalidParameterValue saying why, without receiving', async () => {
    // Prepare
    const sampler = new FakeSampler(5, true, true, `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-last-dlq`);
    // Act
    const peek = peekDlq(depsWith(sampler).deps, { queueName: 'orders-dlq', maxMessages: 5 }, 'alice');
    // Assess
    await expect(peek).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringMatching(/chained dead-letter queue: its own RedrivePolicy sends messages on to .*orders-last-dlq.*maxReceiveCount/) });
    expect(sampler.waits).toEqual([]);
  });

  it('answers InvalidParameterValue for a queue that is no DLQ', async () => {
    await expect(peekDlq(depsWith(new FakeSampler(5, false)).deps, { queueName: 'orders-dlq', maxMessages: 5 }, 'alice')).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringMatching(/not a dead-letter queue/) });
  });

  it.each([TaskStatus.RUNNING, TaskStatus.CANCELLING])('refuses while a redrive is %s, receiving nothing', async (status) => {
    // Prepare
    const sampler = new FakeSampler(5);
    const { deps, store } = depsWith(sampler);
    await store.create({ taskId: 't1', taskHandle: 'h', sourceArn: DLQ_ARN, status, approximateNumberOfMessagesMoved: 0, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', startedBy: 'bob', origin: 'api', version: 1 });

    // Act
    const peek = peekDlq(deps, { queueName: 'orders-dlq', maxMessages: 5 }, 'alice');

    // Assess
    await expect(peek).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringContaining('t1') });
    expect(sampler.released).toEqual([]);
  });

  it('refuses while SQS runs a task of the DLQ that the table does not know (started outside the controller), without receiving', async () => {
    // Prepare
    const sampler = new FakeSampler(5);
    const { deps, sqs } = depsWith(sampler);
    sqs.entries.push({ status: TaskStatus.RUNNING, sourceArn: DLQ_ARN, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    // Act
    const peek = peekDlq(deps, { queueName: 'orders-dlq', maxMessages: 10 }, 'alice');
    // Assess
    await expect(peek).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringContaining('is active in SQS') });
    expect(sampler.waits).toEqual([]);
  });

  it('confirms an empty short poll with a 1-second long poll before answering nothing', async () => {
    // Prepare: 3 messages, but the first short poll happens to ask servers without any
    const sampler = new FakeSampler(3);
    sampler.emptyShortPolls = 1;
    const { deps } = depsWith(sampler);
    // Act
    const result = await peekDlq(deps, { queueName: 'orders-dlq', maxMessages: 10 }, 'alice');
    // Assess
    expect(result.messages.map((message) => message.messageId)).toEqual(['m0', 'm1', 'm2']);
    expect(sampler.waits.slice(0, 2)).toEqual([0, 1]);
  });
});
