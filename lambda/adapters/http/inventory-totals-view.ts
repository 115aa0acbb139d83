import type { InventoryTotals } from '../../domain/dlq/inventory-totals';

/** An inventory run's totals in the API's names (the inventory event's `totals`, GET /org/accounts' `Totals`). */
export function inventoryTotalsView(totals: InventoryTotals): Record<string, number> {
  return {
    DeadLetterQueues: totals.deadLetterQueues,
    ApproximateNumberOfMessages: totals.approximateNumberOfMessages,
    ApproximateNumberOfMessagesNotVisible: totals.approximateNumberOfMessagesNotVisible,
  };
}
