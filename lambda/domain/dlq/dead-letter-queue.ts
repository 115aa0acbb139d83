import type { InputTransformation } from '../replay/rule-target-settings';

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
  /** a rule target's input transformation (ListTargetsByRule), which a replay cannot reproduce */
  readonly inputTransformation?: InputTransformation;
  /** a FIFO queue target's SqsParameters.MessageGroupId, which a replay sends with */
  readonly messageGroupId?: string;
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
  /** the DLQ's MessageRetentionPeriod; absent in inventories stored before it was read */
  readonly retentionSeconds?: number;
  /** the oldest SentTimestamp the inventory has sampled (epoch ms; message-expiry.ts) */
  readonly oldestSentTimestamp?: number;
  /** ISO-8601: the inventory run that last sampled its SentTimestamps (a kept oldestSentTimestamp can be older than what is there since) */
  readonly sentTimestampsSampledAt?: string;
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
 * sources, and every managed queue a function or rule target fails into (`owners`, by queue ARN). A
 * policy or owner naming a queue that was not listed (deleted, or another account's) adds nothing:
 * the inventory shows only queues it has figures for.
 */
export function findDeadLetterQueues(
  queues: readonly QueueAttributes[],
  isManaged: (queueArn: string) => boolean,
  owners: ReadonlyMap<string, readonly DlqTarget[]> = new Map(),
): DeadLetterQueue[] {
  const byArn = new Map(queues.map((queue) => [queue.queueArn, queue]));
  const sources = new Map<string, string[]>();
  for (const queue of queues) {
    const target = queue.deadLetterTargetArn;
    if (!target || !byArn.has(target) || !isManaged(target)) continue;
    const list = sources.get(target) ?? [];
    list.push(queue.queueArn);
    sources.set(target, list);
  }
  const found = new Set([...sources.keys(), ...[...owners.keys()].filter((arn) => byArn.has(arn) && isManaged(arn))]);
  return [...found].map((queueArn) => {
    const queue = byArn.get(queueArn)!;
    const sourceQueueArns = [...(sources.get(queueArn) ?? [])].sort();
    const targets = [...(owners.get(queueArn) ?? [])].sort(compareTargets);
    return {
      queueArn,
      queueName: queue.queueName,
      approximateNumberOfMessages: queue.approximateNumberOfMessages,
      approximateNumberOfMessagesNotVisible: queue.approximateNumberOfMessagesNotVisible,
      sourceQueueArns,
      origin: originOf(sourceQueueArns, targets),
      targets,
      ...(queue.retentionSeconds !== undefined ? { retentionSeconds: queue.retentionSeconds } : {}),
    };
  });
}

/**
 * One origin per queue: SQS when a redrive policy names it (SQS's own move task serves it), else
 * Lambda when a function fails into it, else EventBridge. A queue shared by functions and rule
 * targets is `lambda` and lists both: the replay routes each message by what it says.
 */
function originOf(sourceQueueArns: readonly string[], targets: readonly DlqTarget[]): DlqOrigin {
  if (sourceQueueArns.length > 0 || targets.length === 0) return 'sqs';
  return targets.some((target) => target.kind === 'function') ? 'lambda' : 'eventbridge';
}

function compareTargets(a: DlqTarget, b: DlqTarget): number {
  return a.kind.localeCompare(b.kind) || a.arn.localeCompare(b.arn) || (a.ruleArn ?? '').localeCompare(b.ruleArn ?? '');
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
