import type { DeadLetterQueue } from './dead-letter-queue';

/** The inventory's alert (docs/events.md): one event per DLQ per run that found messages arriving in it. */
export const RECEIVED_MESSAGES_DETAIL_TYPE = 'Dead-Letter Queue Received Messages';

/** The event of one DLQ that received `newMessages` since the previous run (dead-letter-arrivals.ts). */
export function arrivalEvent(dlq: DeadLetterQueue, newMessages: number, asOf: string): { readonly detailType: string; readonly resources: readonly string[]; readonly detail: Record<string, unknown> } {
  return {
    detailType: RECEIVED_MESSAGES_DETAIL_TYPE,
    resources: [dlq.queueArn],
    detail: { QueueArn: dlq.queueArn, NewMessages: newMessages, ApproximateNumberOfMessages: dlq.approximateNumberOfMessages, asOf },
  };
}
