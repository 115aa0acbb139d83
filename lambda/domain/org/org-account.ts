import type { InventoryTotals } from '../dlq/inventory-totals';

/**
 * An account that forwards to the org view. `lastEventAt` is the newest event heard from it: an
 * account that stops sending shows how old its figures are instead of passing them off as current.
 */
export interface OrgAccount {
  readonly accountId: string;
  readonly region: string;
  /** ISO-8601, the newest `time` of the account's events */
  readonly lastEventAt: string;
  /** ISO-8601, the newest inventory run heard from it, if any */
  readonly inventoryAsOf?: string;
  /** that run's totals over all its DLQs; absent until an inventory that sends them has reported */
  readonly inventoryTotals?: InventoryTotals;
}
