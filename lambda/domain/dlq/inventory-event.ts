import type { DeadLetterQueue } from './dead-letter-queue';
import type { DlqInventory } from './dlq-inventory';
import { type InventoryTotals, inventoryTotals } from './inventory-totals';

/** The inventory's outgoing event (docs/events.md): what changed in one run, for the org view. */
export const INVENTORY_CHANGED_DETAIL_TYPE = 'Dead-Letter Queue Inventory Changed';

/** DLQs per event: 100 GET /dlqs entries stay far below EventBridge's 256 KB entry limit. */
export const DLQS_PER_EVENT = 100;
/** Removed DLQs' ARNs per event (at most about 40 KB beside the DLQs). */
export const REMOVALS_PER_EVENT = 500;

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
 * the first run of each hour sends every DLQ and every recent removal (`current.recentRemovals`), so
 * an org view that joined late, or missed an event, is whole again within the hour.
 */
export function inventoryChanges(previous: DlqInventory | undefined, current: DlqInventory): InventoryChange[] {
  const complete = previous === undefined || hourOf(previous.asOf) !== hourOf(current.asOf);
  const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, dlq]));
  const now = new Set(current.dlqs.map((dlq) => dlq.queueArn));
  const changed = complete ? current.dlqs : current.dlqs.filter((dlq) => !sameFigures(before.get(dlq.queueArn), dlq));
  const gone = [...before.keys()].filter((arn) => !now.has(arn));
  const removed = complete ? [...new Set([...gone, ...(current.recentRemovals ?? []).map((removal) => removal.queueArn)])] : gone;
  const totals = inventoryTotals(current.dlqs);
  const changes: InventoryChange[] = [];
  const events = Math.max(Math.ceil(changed.length / DLQS_PER_EVENT), Math.ceil(removed.length / REMOVALS_PER_EVENT), 1);
  for (let index = 0; index < events; index += 1) {
    const dlqs = changed.slice(index * DLQS_PER_EVENT, (index + 1) * DLQS_PER_EVENT);
    changes.push({ asOf: current.asOf, dlqs, removedQueueArns: removed.slice(index * REMOVALS_PER_EVENT, (index + 1) * REMOVALS_PER_EVENT), complete, totals });
  }
  return changes;
}

function hourOf(iso: string): string {
  return iso.slice(0, 13);
}

function sameFigures(before: DeadLetterQueue | undefined, after: DeadLetterQueue): boolean {
  return before !== undefined && JSON.stringify(before) === JSON.stringify(after);
}
