import { quote, SqsError } from './sqs-error';

/** A parsed SQS queue ARN: arn:<partition>:sqs:<region>:<12-digit account>:<queue name>. */
export interface QueueArn {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly queueName: string;
}

// Queue names: 1..80 of [A-Za-z0-9_-]; FIFO queues end in ".fifo" within the same 80.
const QUEUE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):sqs:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):((?:[A-Za-z0-9_-]{1,75}\.fifo)|[A-Za-z0-9_-]{1,80})$/;

export function tryParseQueueArn(value: string): QueueArn | undefined {
  const match = QUEUE_ARN.exec(value);
  if (!match) return undefined;
  const [, partition, region, accountId, queueName] = match as unknown as [string, string, string, string, string];
  return { arn: value, partition, region, accountId, queueName };
}

export function parseQueueArn(value: unknown, field: string): QueueArn {
  if (value === undefined || value === null || value === '') {
    throw new SqsError('MissingParameter', `${field} is required: an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>)`);
  }
  if (typeof value !== 'string') {
    throw new SqsError('InvalidParameterValue', `${field} must be a string holding an SQS queue ARN, got ${typeof value}`);
  }
  const parsed = tryParseQueueArn(value);
  if (!parsed) {
    throw new SqsError(
      'InvalidParameterValue',
      `${field} must be an SQS queue ARN like arn:aws:sqs:<region>:<12-digit account>:<queue name>, got ${quote(value)}`,
    );
  }
  return parsed;
}

/** The ARN of a queue of this account and region, by name (the partition follows from the region). */
export function queueArnOfName(region: string, accountId: string, queueName: string): string {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return `arn:${partition}:sqs:${region}:${accountId}:${queueName}`;
}
