import type { OrgDlq } from './org-dlq';

/** Ages up to this many seconds order exactly (SQS keeps a message 14 days: 1,209,600 s). */
const MAX_AGE_SECONDS = 9_999_999_999;

/**
 * GET /org/dlqs?sort=age as one text key, ascending: the oldest message first, then DLQs without a
 * known age (an empty DLQ has none) last; ties by queue name, as the account's GET /dlqs orders them.
 * One key so that one index orders every DLQ of the org (or of one account) and pages by it.
 */
export function ageOrderKey(dlq: Pick<OrgDlq, 'queueName' | 'approximateNumberOfMessages' | 'oldestMessageAgeSeconds'>): string {
  const age = dlq.approximateNumberOfMessages > 0 ? dlq.oldestMessageAgeSeconds : undefined;
  if (age === undefined || !(age >= 0)) return `1#${dlq.queueName}`;
  const rank = String(MAX_AGE_SECONDS - Math.min(Math.floor(age), MAX_AGE_SECONDS)).padStart(10, '0');
  return `0#${rank}#${dlq.queueName}`;
}
