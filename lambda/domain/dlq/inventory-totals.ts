import type { DeadLetterQueue } from './dead-letter-queue';

/** One inventory run's figures summed over every DLQ it found (not only the changed ones). */
export interface InventoryTotals {
  readonly deadLetterQueues: number;
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
}

export function inventoryTotals(dlqs: readonly DeadLetterQueue[]): InventoryTotals {
  let approximateNumberOfMessages = 0;
  let approximateNumberOfMessagesNotVisible = 0;
  for (const dlq of dlqs) {
    approximateNumberOfMessages += dlq.approximateNumberOfMessages;
    approximateNumberOfMessagesNotVisible += dlq.approximateNumberOfMessagesNotVisible;
  }
  return { deadLetterQueues: dlqs.length, approximateNumberOfMessages, approximateNumberOfMessagesNotVisible };
}
