import type { DeadLetterQueue } from '../dlq/dead-letter-queue';

/**
 * Nothing expires unseen (API.md section 12, `archiveBeforeExpiry`): which DLQs hold messages SQS
 * deletes within the window, and the SentTimestamp bound that selects only those. A standard DLQ's
 * message expires at SentTimestamp + retention (SQS keeps its original enqueue time), so the messages
 * that expire before `now + window` are those sent before `now + window − retention`. On a FIFO DLQ
 * the clock restarts at the move, later than SentTimestamp: the same bound then selects a message no
 * later than SQS would delete it, and possibly earlier (docs/decisions.md).
 */
export interface ExpiringDlq {
  readonly queueArn: string;
  /** epoch ms: archive (and delete) what was sent before this */
  readonly sentBefore: number;
  /** ISO-8601: when the oldest goes */
  readonly oldestExpiresAt: string;
}

export function expiringDlqs(dlqs: readonly DeadLetterQueue[], windowSeconds: number, now: number): ExpiringDlq[] {
  const horizon = now + windowSeconds * 1000;
  return dlqs.flatMap((dlq) => {
    if (!dlq.oldestMessageExpiresAt || dlq.retentionSeconds === undefined || dlq.approximateNumberOfMessages === 0) return [];
    if (Date.parse(dlq.oldestMessageExpiresAt) > horizon) return [];
    return [{ queueArn: dlq.queueArn, sentBefore: horizon - dlq.retentionSeconds * 1000, oldestExpiresAt: dlq.oldestMessageExpiresAt }];
  });
}

/** The task's Reason: why the controller archived and deleted without being asked. */
export function expiryReason(expiring: ExpiringDlq, windowSeconds: number): string {
  return `archiveBeforeExpiry: messages of this DLQ expire within ${windowSeconds} s (the oldest at ${expiring.oldestExpiresAt}); archived, then deleted, so none is lost to retention unrecorded`;
}
