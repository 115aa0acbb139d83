import { SqsQueueDestination } from '../../../../lambda/adapters/sqs/sqs-queue-destination';
import type { DlqMessage, FailedEntry, OutgoingMessage } from '../../../../lambda/domain/dlq-message';
import type { Delivery } from '../../../../lambda/domain/mover/message-destination';
import type { QueueMessages } from '../../../../lambda/domain/ports';
import { SqsError } from '../../../../lambda/domain/sqs-error';

/** SendMessageBatch only: each call's answer taken from `answers` in order (an error is thrown). */
function queueAnswering(answers: Array<FailedEntry[] | Error>) {
  const calls: Array<{ target: string; entries: OutgoingMessage[] }> = [];
  const messages: QueueMessages = {
    receive: async () => [],
    delete: async () => ({ failed: [] }),
    changeVisibility: async () => undefined,
    send: async (target, entries) => {
      calls.push({ target, entries: [...entries] });
      const answer = answers.shift() ?? [];
      if (answer instanceof Error) throw answer;
      return { failed: answer };
    },
  };
  return { messages, calls };
}

const delivery = (n: number, target: string, group?: string): Delivery => {
  const message: DlqMessage = { messageId: `id${n}`, receiptHandle: `r${n}`, body: `body ${n}`, messageAttributes: {}, sentTimestamp: 1, ...(group ? { messageGroupId: group } : {}) };
  return { id: `m${n}`, target, message };
};

describe('SqsQueueDestination', () => {
  it('refuses the rest of the call after a refusal, with its reason, without asking SQS again', async () => {
    // Prepare: 12 for queue a (two calls), 1 for queue b; a's second call is refused for good
    const { messages, calls } = queueAnswering([[], new SqsError('AccessDenied', 'Access to the resource is denied.', 400)]);
    const deliveries = [...Array.from({ length: 12 }, (_, n) => delivery(n, 'arn:aws:sqs:us-east-1:123456789012:a')), delivery(12, 'arn:aws:sqs:us-east-1:123456789012:b')];
    // Act
    const report = await new SqsQueueDestination(messages).deliver('task-1', deliveries);
    // Assess
    expect(calls.map((call) => [call.target.split(':').pop(), call.entries.length])).toEqual([['a', 10], ['a', 2]]);
    expect(report.accepted).toEqual(Array.from({ length: 10 }, (_, n) => `m${n}`));
    expect(report.refused).toEqual(['m10', 'm11', 'm12'].map((id) => ({ id, code: 'AccessDenied', permanent: true })));
  });

  it('refuses only the missing queue\'s deliveries and still sends to the other targets (a replay\'s dead letters name many queues)', async () => {
    // Prepare: queue a is gone, b exists
    const { messages, calls } = queueAnswering([new SqsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.', 400), []]);
    const deliveries = [delivery(0, 'arn:aws:sqs:us-east-1:123456789012:a'), delivery(1, 'arn:aws:sqs:us-east-1:123456789012:b'), delivery(2, 'arn:aws:sqs:us-east-1:123456789012:a')];
    // Act
    const report = await new SqsQueueDestination(messages).deliver('task-1', deliveries);
    // Assess
    expect(calls.map((call) => [call.target.split(':').pop(), call.entries.map((entry) => entry.id)])).toEqual([['a', ['m0', 'm2']], ['b', ['m1']]]);
    expect(report.accepted).toEqual(['m1']);
    expect(report.refused.map((entry) => [entry.id, entry.code])).toEqual([['m0', 'AWS.SimpleQueueService.NonExistentQueue'], ['m2', 'AWS.SimpleQueueService.NonExistentQueue']]);
  });

  it('sends once more at once what SQS failed on its side (a standard queue), and reports a throttled call as refused for now', async () => {
    // Prepare
    const internal: FailedEntry = { id: 'm1', code: 'InternalError', message: 'try again', senderFault: false };
    const { messages, calls } = queueAnswering([[internal], [], new SqsError('RequestThrottled', 'Rate exceeded', 400)]);
    const destination = new SqsQueueDestination(messages);
    // Act
    const first = await destination.deliver('task-1', [delivery(0, 'q'), delivery(1, 'q')]);
    const second = await destination.deliver('task-1', [delivery(2, 'q')]);
    // Assess
    expect({ first, retried: calls[1]!.entries.map((entry) => entry.id) }).toEqual({ first: { accepted: ['m0', 'm1'], refused: [] }, retried: ['m1'] });
    expect(second).toEqual({ accepted: [], refused: [{ id: 'm2', code: 'RequestThrottled', permanent: false }] });
  });

  it('sends FIFO messages with their group and a deduplication id of the task and the message, and does not resend at once', async () => {
    // Prepare
    const { messages, calls } = queueAnswering([[{ id: 'm0', code: 'InternalError', message: 'try again', senderFault: false }]]);
    // Act
    const report = await new SqsQueueDestination(messages).deliver('task-1', [delivery(0, 'q.fifo', 'g1'), delivery(1, 'q.fifo')]);
    // Assess
    expect(calls).toHaveLength(1);
    expect(calls[0]!.entries.map((entry) => [entry.messageGroupId, entry.deduplicationId])).toEqual([['g1', 'task-1:id0'], ['redrive', 'task-1:id1']]);
    expect(report.refused).toEqual([{ id: 'm0', code: 'InternalError', permanent: false }]);
  });
});
