import type { DeadLetterQueue } from '../../lambda/domain/dlq/dead-letter-queue';

/** An SQS DLQ of the test account as the inventory lists it, with what a test needs on top. */
export function sqsDlq(name: string, messages: number, extra: Partial<DeadLetterQueue> = {}): DeadLetterQueue {
  return {
    queueArn: `arn:aws:sqs:us-east-1:123456789012:${name}`,
    queueName: name,
    approximateNumberOfMessages: messages,
    approximateNumberOfMessagesNotVisible: 0,
    sourceQueueArns: [],
    origin: 'sqs',
    targets: [],
    ...extra,
  };
}
