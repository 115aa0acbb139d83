import { deadLetterTargetOf, findDeadLetterQueues, type QueueAttributes } from '../../../../lambda/domain/dlq/dead-letter-queue';

const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;
const queue = (name: string, messages = 0, target?: string): QueueAttributes => ({
  queueArn: arn(name),
  queueName: name,
  approximateNumberOfMessages: messages,
  approximateNumberOfMessagesNotVisible: 0,
  ...(target ? { deadLetterTargetArn: arn(target) } : {}),
});

describe('findDeadLetterQueues', () => {
  it('finds each managed queue a redrive policy names, with its sources sorted', () => {
    // Prepare
    const queues = [queue('orders-dlq', 5), queue('orders-b', 0, 'orders-dlq'), queue('orders-a', 0, 'orders-dlq'), queue('plain', 3)];

    // Act
    const dlqs = findDeadLetterQueues(queues, () => true);

    // Assess
    expect(dlqs).toEqual([
      { queueArn: arn('orders-dlq'), queueName: 'orders-dlq', approximateNumberOfMessages: 5, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [arn('orders-a'), arn('orders-b')], origin: 'sqs', targets: [] },
    ]);
  });

  it('leaves out DLQs outside the scope and targets that were not listed', () => {
    // Prepare
    const queues = [queue('other-dlq'), queue('src', 0, 'other-dlq'), queue('src2', 0, 'deleted-dlq')];

    // Act
    const dlqs = findDeadLetterQueues(queues, (queueArn) => queueArn.endsWith(':managed-dlq'));

    // Assess
    expect(dlqs).toEqual([]);
  });

  it('lists an empty DLQ too', () => {
    expect(findDeadLetterQueues([queue('empty-dlq'), queue('src', 0, 'empty-dlq')], () => true)).toHaveLength(1);
  });
});

describe('deadLetterTargetOf', () => {
  it.each([
    ['{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:d","maxReceiveCount":3}', 'arn:aws:sqs:us-east-1:123456789012:d'],
    [undefined, undefined],
    ['', undefined],
    ['not json', undefined],
    ['null', undefined],
    ['{"deadLetterTargetArn":5}', undefined],
  ])('reads %p as %p', (policy, expected) => {
    expect(deadLetterTargetOf(policy)).toBe(expected);
  });
});
