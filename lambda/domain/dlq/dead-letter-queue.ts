/**
 * A dead-letter queue as the inventory knows it: a managed queue that some queue's redrive policy
 * names as its `deadLetterTargetArn`, with the queues that name it (its sources).
 */
export interface DeadLetterQueue {
  readonly queueArn: string;
  readonly queueName: string;
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
  /** sorted, so two runs over the same account write the same entry */
  readonly sourceQueueArns: readonly string[];
  /** CloudWatch's ApproximateAgeOfOldestMessage, where AWS tells it */
  readonly oldestMessageAgeSeconds?: number;
  /** the DLQ's MessageRetentionPeriod; absent in inventories stored before it was read */
  readonly retentionSeconds?: number;
  /** the oldest SentTimestamp the inventory has sampled (epoch ms; message-expiry.ts) */
  readonly oldestSentTimestamp?: number;
  /** ISO-8601: when SQS deletes the oldest message (message-expiry.ts) */
  readonly oldestMessageExpiresAt?: string;
}

/** One queue's attributes, as the inventory job reads them (one GetQueueAttributes call). */
export interface QueueAttributes {
  readonly queueArn: string;
  readonly queueName: string;
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
  /** the redrive policy's deadLetterTargetArn, when the queue has one */
  readonly deadLetterTargetArn?: string;
  /** MessageRetentionPeriod, seconds */
  readonly retentionSeconds?: number;
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
      ...(queue.retentionSeconds !== undefined ? { retentionSeconds: queue.retentionSeconds } : {}),
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
