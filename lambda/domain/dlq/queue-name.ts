import { quote, SqsError } from '../sqs-error';

const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;

/** A queue name from a /dlqs/{queueName}/... path, as SQS allows them; anything else is refused. */
export function parseQueueName(queueName: string): string {
  if (!QUEUE_NAME.test(queueName)) {
    throw new SqsError('InvalidParameterValue', `The path must name a queue (1 to 80 of A-Z a-z 0-9 _ -, FIFO queues ending in .fifo), got ${quote(queueName)}`);
  }
  return queueName;
}
