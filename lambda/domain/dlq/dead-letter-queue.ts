/** What fails into a DLQ (API.md section 11): an SQS queue's redrive policy, a Lambda function, an EventBridge rule target. */
export type DlqOrigin = 'sqs' | 'lambda' | 'eventbridge';

/**
 * One owner of a Lambda or EventBridge DLQ: a function whose dead-letter queue or on-failure
 * destination it is (`arn` the function's ARN), or a rule's target (`arn` the target's ARN, `ruleArn` its rule).
 */
export interface DlqTarget {
  readonly arn: string;
  readonly kind: 'function' | 'rule-target';
  readonly ruleArn?: string;
}

/**
 * A dead-letter queue as the inventory knows it: a managed queue that some queue's redrive policy
 * names as its `deadLetterTargetArn`, with the queues that name it (its sources), or a managed queue
 * a Lambda function or an EventBridge rule target fails into (its targets).
 */
export interface DeadLetterQueue {
  readonly queueArn: string;
  readonly queueName: string;
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
  /** sorted, so two runs over the same account write the same entry */
  readonly sourceQueueArns: readonly string[];
  readonly origin: DlqOrigin;
  /** what fails into it, sorted; empty for an SQS DLQ (its sources say that) */
  readonly targets: readonly DlqTarget[];
  /** CloudWatch's ApproximateAgeOfOldestMessage, where AWS tells it */
  readonly oldestMessageAgeSeconds?: number;
}

/** One queue's attributes, as the inventory job reads them (one GetQueueAttributes call). */
export interface QueueAttributes {
  readonly queueArn: string;
  readonly queueName: string;
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
  /** the redrive policy's deadLetterTargetArn, when the queue has one */
  readonly deadLetterTargetArn?: string;
}

/**
 * The DLQs among `queues`: every managed queue some listed queue's redrive policy names, with its
 * sources. A redrive policy naming a queue that was not listed (deleted, or another account's) adds
 * nothing: the inventory shows only queues it has figures for.
 */
export function findDeadLetterQueues(queues: readonly QueueAttributes[], isManaged: (queueArn: string) => boolean): DeadLetterQueue[] {
  const byArn = new Map(queues.map((queue) => [queue.queueArn, queue]));
  const sources = new Map<string, string[]>();
  for (const queue of queues) {
    const target = queue.deadLetterTargetArn;
    if (!target || !byArn.has(target) || !isManaged(target)) continue;
    const list = sources.get(target) ?? [];
    list.push(queue.queueArn);
    sources.set(target, list);
  }
  return [...sources.entries()].map(([queueArn, sourceQueueArns]) => {
    const queue = byArn.get(queueArn)!;
    return {
      queueArn,
      queueName: queue.queueName,
      approximateNumberOfMessages: queue.approximateNumberOfMessages,
      approximateNumberOfMessagesNotVisible: queue.approximateNumberOfMessagesNotVisible,
      sourceQueueArns: [...sourceQueueArns].sort(),
      origin: 'sqs' as const,
      targets: [],
    };
  });
}

/** A redrive policy's target, or undefined when the text is no policy (SQS stores it as JSON text). */
export function deadLetterTargetOf(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  try {
    const parsed: unknown = JSON.parse(redrivePolicy);
    const target = (parsed as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
    return typeof target === 'string' && target !== '' ? target : undefined;
  } catch {
    return undefined;
  }
}

/** An entry stored before origins existed (an SQS DLQ then), read as today's shape. */
export function withOrigin(dlq: Omit<DeadLetterQueue, 'origin' | 'targets'> & Partial<Pick<DeadLetterQueue, 'origin' | 'targets'>>): DeadLetterQueue {
  return { ...dlq, origin: dlq.origin ?? 'sqs', targets: dlq.targets ?? [] };
}
