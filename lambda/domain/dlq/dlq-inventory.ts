import type { DeadLetterQueue } from './dead-letter-queue';

/**
 * What one run of the inventory job found: every DLQ in scope, as of one moment. GET /dlqs pages
 * through the newest one; `asOf` tells the caller how old its figures are.
 */
export interface DlqInventory {
  /** ISO-8601: when the run that built it started */
  readonly asOf: string;
  readonly dlqs: readonly DeadLetterQueue[];
}
