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

/** Counts up to this many messages order exactly (far past any DLQ's). */
const MAX_MESSAGES = 999_999_999_999_999;

/**
 * GET /org/dlqs?sort=messages as one text key, ascending: the most messages first; ties (most DLQs
 * are empty) by queue name, then ARN, as the account's GET /dlqs orders them.
 */
export function messagesOrderKey(dlq: Pick<OrgDlq, 'queueName' | 'queueArn' | 'approximateNumberOfMessages'>): string {
  const rank = String(MAX_MESSAGES - Math.min(Math.max(0, Math.floor(dlq.approximateNumberOfMessages)), MAX_MESSAGES)).padStart(15, '0');
  return `${rank}#${dlq.queueName}#${dlq.queueArn}`;
}
