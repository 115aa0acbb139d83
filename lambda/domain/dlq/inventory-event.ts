import type { DeadLetterQueue } from './dead-letter-queue';
import type { DlqInventory } from './dlq-inventory';
import { type InventoryTotals, inventoryTotals } from './inventory-totals';

/** The inventory's outgoing event (docs/events.md): what changed in one run, for the org view. */
export const INVENTORY_CHANGED_DETAIL_TYPE = 'Dead-Letter Queue Inventory Changed';

/** DLQs per event: 100 GET /dlqs entries stay far below EventBridge's 256 KB entry limit. */
export const DLQS_PER_EVENT = 100;

/** One event's part of a run's changes. `dlqs` are GET /dlqs entries (without ActiveTask). */
export interface InventoryChange {
  readonly asOf: string;
  readonly dlqs: readonly DeadLetterQueue[];
  readonly removedQueueArns: readonly string[];
  /** true when this run sends every DLQ it found, not only the changed ones */
  readonly complete: boolean;
  /** the run's totals over all its DLQs, on every event of the run, so each event stands alone */
  readonly totals: InventoryTotals;
}

/**
 * What a run tells the org view: the DLQs that are new or whose figures changed since the previous
 * run, and the ones gone. Every run sends at least one event (its `asOf` is the account's heartbeat);
 * the first run of each hour sends every DLQ, so an org view that joined late fills within the hour.
 */
export function inventoryChanges(previous: DlqInventory | undefined, current: DlqInventory): InventoryChange[] {
  const complete = previous === undefined || hourOf(previous.asOf) !== hourOf(current.asOf);
  const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, dlq]));
  const now = new Set(current.dlqs.map((dlq) => dlq.queueArn));
  const changed = complete ? current.dlqs : current.dlqs.filter((dlq) => !sameFigures(before.get(dlq.queueArn), dlq));
  const removed = [...before.keys()].filter((arn) => !now.has(arn));
  const totals = inventoryTotals(current.dlqs);
  const changes: InventoryChange[] = [];
  for (let at = 0; at < Math.max(changed.length, 1); at += DLQS_PER_EVENT) {
    changes.push({ asOf: current.asOf, dlqs: changed.slice(at, at + DLQS_PER_EVENT), removedQueueArns: at === 0 ? removed : [], complete, totals });
  }
  return changes;
}

function hourOf(iso: string): string {
  return iso.slice(0, 13);
}

function sameFigures(before: DeadLetterQueue | undefined, after: DeadLetterQueue): boolean {
  return before !== undefined && JSON.stringify(before) === JSON.stringify(after);
}
