import { queueRoles } from '../../../lambda/domain/queue-role';

const arn = (name: string) => `arn:aws:sqs:eu-west-1:111122223333:${name}`;

describe('queueRoles', () => {
  it('calls a queue another listed queue sends its failures to a DLQ, and a queue with a redrive policy a source', () => {
    // Prepare
    const queues = [
      { queueArn: arn('orders'), deadLetterTargetArn: arn('orders-dlq') },
      { queueArn: arn('orders-dlq') },
      { queueArn: arn('payments'), deadLetterTargetArn: arn('payments-dlq') },
      { queueArn: arn('plain') },
      // a DLQ with a DLQ of its own is still a DLQ: SQS accepts it as a source
      { queueArn: arn('chained-dlq'), deadLetterTargetArn: arn('last-dlq') },
      { queueArn: arn('chained'), deadLetterTargetArn: arn('chained-dlq') },
    ];

    // Act
    const roles = queueRoles(queues);

    // Assess
    expect(Object.fromEntries(roles)).toEqual({
      [arn('orders')]: 'source',
      [arn('orders-dlq')]: 'dlq',
      [arn('payments')]: 'source',
      [arn('chained-dlq')]: 'dlq',
      [arn('chained')]: 'source',
    });
  });
});
