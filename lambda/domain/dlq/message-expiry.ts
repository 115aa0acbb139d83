import type { DeadLetterQueue } from './dead-letter-queue';

/**
 * When SQS deletes a DLQ's oldest message. SQS dates it differently by queue type
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html):
 * "For standard queues, the expiration of a message is always based on its original enqueue timestamp.
 * When a message is moved to a dead-letter queue, the enqueue timestamp is unchanged." and "For FIFO
 * queues, the enqueue timestamp resets when the message is moved to a dead-letter queue." The same page
 * says ApproximateAgeOfOldestMessage "indicates when the message moved to the dead-letter queue": exact
 * for a FIFO DLQ, too young for a standard one, so a standard DLQ's expiry is dated by SentTimestamp.
 */
export interface ExpiryFacts {
  readonly retentionSeconds: number;
  /** the oldest SentTimestamp the inventory has seen in this DLQ (epoch ms) */
  readonly oldestSentTimestamp?: number;
  /** CloudWatch's ApproximateAgeOfOldestMessage: since the move into the DLQ */
  readonly oldestMessageAgeSeconds?: number;
  readonly fifo: boolean;
}

/** Epoch ms at which SQS deletes the oldest message, or undefined when nothing dates it. */
export function oldestMessageExpiresAt(facts: ExpiryFacts, asOf: number): number | undefined {
  const retentionMs = facts.retentionSeconds * 1000;
  // FIFO: the clock restarted at the move, which is what CloudWatch's age measures
  if (facts.fifo && facts.oldestMessageAgeSeconds !== undefined) return asOf - facts.oldestMessageAgeSeconds * 1000 + retentionMs;
  // standard (or FIFO without CloudWatch): the original send; on FIFO this errs early, never late
  if (facts.oldestSentTimestamp !== undefined) return facts.oldestSentTimestamp + retentionMs;
  return undefined;
}

/**
 * Whether this run samples a DLQ's SentTimestamps (one ReceiveMessage, nothing hidden): only a DLQ that
 * holds messages and is no chained DLQ (a receive counts toward its own maxReceiveCount), and only when
 * what is known may be stale: nothing known yet, more messages than at the last run (a newcomer on a
 * standard DLQ can be older than any message seen), or the oldest seen must have expired by now.
 */
export function sampleIsDue(current: DeadLetterQueue, previous: DeadLetterQueue | undefined, chained: boolean, asOf: number): boolean {
  if (chained || current.approximateNumberOfMessages === 0) return false;
  const known = keptOldestSent(current, previous, asOf);
  if (known === undefined) return true;
  return current.approximateNumberOfMessages > (previous?.approximateNumberOfMessages ?? 0);
}

/**
 * The oldest SentTimestamp still worth keeping from the last run: none once the DLQ read empty (all
 * gone), none once it must have expired (SQS deleted it). A kept value may name a message deleted
 * since (moved, discarded): the expiry shown then errs early, never late, until it lapses.
 */
export function keptOldestSent(current: DeadLetterQueue, previous: DeadLetterQueue | undefined, asOf: number): number | undefined {
  const sent = previous?.oldestSentTimestamp;
  if (sent === undefined || current.approximateNumberOfMessages + current.approximateNumberOfMessagesNotVisible === 0) return undefined;
  const retention = current.retentionSeconds ?? previous?.retentionSeconds;
  if (retention !== undefined && sent + retention * 1000 <= asOf) return undefined;
  return sent;
}

/**
 * The DLQ with its oldest SentTimestamp (the kept one or the sample's, whichever is older) and expiry,
 * and when its SentTimestamps were last sampled (`sampledAt`, ISO-8601: this run's or the last one's).
 */
export function withExpiry(dlq: DeadLetterQueue, kept: number | undefined, sampled: number | undefined, asOf: number, sampledAt?: string): DeadLetterQueue {
  const seen = [kept, sampled].filter((value): value is number => value !== undefined);
  const oldestSentTimestamp = seen.length > 0 ? Math.min(...seen) : undefined;
  const base = { ...dlq, ...(oldestSentTimestamp !== undefined ? { oldestSentTimestamp } : {}), ...(sampledAt !== undefined ? { sentTimestampsSampledAt: sampledAt } : {}) };
  if (dlq.retentionSeconds === undefined || dlq.approximateNumberOfMessages === 0) return base;
  const at = oldestMessageExpiresAt({
    retentionSeconds: dlq.retentionSeconds,
    oldestSentTimestamp,
    oldestMessageAgeSeconds: dlq.oldestMessageAgeSeconds,
    fifo: dlq.queueArn.endsWith('.fifo'),
  }, asOf);
  return at === undefined ? base : { ...base, oldestMessageExpiresAt: new Date(at).toISOString() };
}
