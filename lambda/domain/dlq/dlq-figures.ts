import type { DlqFigures } from '../controller-metrics';
import type { DeadLetterQueue } from './dead-letter-queue';

/**
 * One DLQ's metric figures at a run. `oldestMessageExpiresAt` is the inventory's expiry date where it
 * knows one (read structurally: it comes with the DLQ's retention, API.md section 12).
 */
export function dlqFigures(dlq: DeadLetterQueue & { readonly oldestMessageExpiresAt?: string }, newMessages: number, asOf: string): DlqFigures {
  const expires = dlq.oldestMessageExpiresAt === undefined ? Number.NaN : Date.parse(dlq.oldestMessageExpiresAt);
  return {
    deadLetterMessages: dlq.approximateNumberOfMessages,
    newDeadLetterMessages: newMessages,
    ...(dlq.oldestMessageAgeSeconds === undefined ? {} : { oldestDeadLetterAgeSeconds: dlq.oldestMessageAgeSeconds }),
    ...(Number.isNaN(expires) ? {} : { secondsUntilOldestExpires: Math.max(0, Math.round((expires - Date.parse(asOf)) / 1000)) }),
  };
}

/**
 * Whether a DLQ's figures are worth a metric this run: it holds messages, received some, or held some
 * at the previous run (its drop to 0 is drawn). CloudWatch charges a custom metric by the hours it
 * receives data (docs/metrics.md), so the many DLQs that stay empty cost nothing.
 */
export function reportsFigures(dlq: DeadLetterQueue, newMessages: number, previous: DeadLetterQueue | undefined): boolean {
  const holds = (queue: DeadLetterQueue) => queue.approximateNumberOfMessages + queue.approximateNumberOfMessagesNotVisible > 0;
  return holds(dlq) || newMessages > 0 || (previous !== undefined && holds(previous));
}
