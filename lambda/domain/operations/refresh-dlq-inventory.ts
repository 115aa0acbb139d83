// inventory entry (schedule) --> refreshDlqInventory --> ListQueues, GetQueueAttributes per queue,
// discoverDlqOwners (Lambda's and EventBridge's list calls), CloudWatch GetMetricData for the DLQs' ages --> one inventory in the task table --> its changes as events
import { type DeadLetterQueue, type DlqTarget, findDeadLetterQueues, type QueueAttributes } from '../dlq/dead-letter-queue';
import { type DlqInventory, recentRemovalsOf } from '../dlq/dlq-inventory';
import type { DlqOwnerReader } from '../dlq/dlq-owner-reader';
import type { DlqInventoryStore, InventoryChangePublisher, QueueAgeReader, QueueAttributeReader } from '../dlq/dlq-ports';
import { inventoryChanges } from '../dlq/inventory-event';
import { inParallel } from '../in-parallel';
import type { Clock } from '../ports';
import type { QueueScope } from '../queue-scope';
import { isPermanentRefusal } from '../sqs-error';
import { discoverDlqOwners,type DiscoveryOptions, type DiscoveryState, type DiscoverySummary } from './discover-dlq-owners';

/** ListQueues pages of 1,000; an account past this many queues is read up to it and the run says so. */
export const MAX_INVENTORIED_QUEUES = 20_000;
/** GetQueueAttributes calls in flight at once: 2,000 queues in a few seconds, far below SQS's limits. */
const ATTRIBUTE_CONCURRENCY = 32;

export interface InventoryDependencies {
  readonly queues: QueueAttributeReader;
  readonly ages: QueueAgeReader;
  readonly inventory: DlqInventoryStore;
  readonly scope: QueueScope;
  readonly clock: Clock;
  /** where the run's changes go (the org view's feed); @default - no events */
  readonly changes?: InventoryChangePublisher;
  /** the functions' and rule targets' DLQs (API.md section 11); @default - only SQS's DLQs */
  readonly discovery?: { readonly reader: DlqOwnerReader; readonly state: DiscoveryState; readonly options?: DiscoveryOptions };
}

export interface InventorySummary {
  readonly queues: number;
  readonly dlqs: number;
  readonly withAge: number;
  /** queues whose attributes SQS refused us for good (a queue policy, a KMS key): not inventoried */
  readonly unreadable: number;
  /** the account held more queues than MAX_INVENTORIED_QUEUES */
  readonly truncated: boolean;
  /** false when a newer run had already stored its inventory */
  readonly saved: boolean;
  /** change events sent (at least one per saved run when a publisher is wired) */
  readonly eventsSent: number;
  /** why the change events were not all sent; the next complete run (within the hour) makes up for it */
  readonly eventsError?: string;
  /** what discovery read, when it is wired */
  readonly discovery?: DiscoverySummary;
  /** why discovery failed this run: the stored inventory's owners were kept */
  readonly discoveryError?: string;
}

/**
 * One run of the inventory job. Redrive policies live on the source queues, which can be any queue
 * of the account, so every queue's attributes are read (one call each: SQS has no batch read); only
 * managed queues named by a policy become DLQs.
 */
export async function refreshDlqInventory(deps: InventoryDependencies): Promise<InventorySummary> {
  const asOf = deps.clock.now().toISOString();
  const previous = deps.changes || deps.discovery ? await deps.inventory.load() : undefined;
  const { queueUrls, truncated } = await deps.queues.listQueueUrls(MAX_INVENTORIED_QUEUES);
  let unreadable = 0;
  const attributes = await inParallel(queueUrls, ATTRIBUTE_CONCURRENCY, async (url) => {
    try {
      return await deps.queues.readAttributes(url);
    } catch (error) {
      // one queue another team's policy closes to us must not stop the inventory; throttling and SQS's faults do (the next run retries)
      if (!isPermanentRefusal(error)) throw error;
      unreadable += 1;
      return undefined;
    }
  });
  const queues = attributes.filter((queue): queue is QueueAttributes => queue !== undefined);
  const discovered = deps.discovery ? await discover(deps.discovery, previous, deps.clock.now().getTime()) : undefined;
  const found = findDeadLetterQueues(queues, (arn) => deps.scope.isManaged(arn), discovered?.owners);
  const ages = found.length > 0 ? await deps.ages.oldestMessageAges(found.map((dlq) => dlq.queueName)) : new Map<string, number>();
  const dlqs: DeadLetterQueue[] = found.map((dlq) => {
    const age = ages.get(dlq.queueName);
    // CloudWatch's last datapoint can outlive the messages: an empty DLQ has no oldest message
    return age === undefined || dlq.approximateNumberOfMessages === 0 ? dlq : { ...dlq, oldestMessageAgeSeconds: age };
  });
  const current: DlqInventory = deps.changes ? { asOf, dlqs, recentRemovals: recentRemovalsOf(previous, { asOf, dlqs }) } : { asOf, dlqs };
  const saved = await deps.inventory.save(current);
  const sending = saved && deps.changes ? await sendChanges(deps.changes, previous, current) : { eventsSent: 0 };
  const discovery = discovered ? { ...(discovered.summary ? { discovery: discovered.summary } : {}), ...(discovered.error ? { discoveryError: discovered.error } : {}) } : {};
  return { queues: queues.length, dlqs: dlqs.length, withAge: dlqs.filter((dlq) => dlq.oldestMessageAgeSeconds !== undefined).length, unreadable, truncated, saved, ...sending, ...discovery };
}

/**
 * Lambda's and EventBridge's list calls must not stop the SQS inventory: when they fail (throttled
 * past the SDK's retries, a permission missing), the stored inventory's owners stand for this run.
 */
async function discover(
  discovery: NonNullable<InventoryDependencies['discovery']>,
  previous: DlqInventory | undefined,
  now: number,
): Promise<{ owners: Map<string, DlqTarget[]>; summary?: DiscoverySummary; error?: string }> {
  try {
    return await discoverDlqOwners(discovery.reader, discovery.state, previous, now, discovery.options);
  } catch (error) {
    const owners = new Map<string, DlqTarget[]>();
    for (const dlq of previous?.dlqs ?? []) if (dlq.targets.length > 0) owners.set(dlq.queueArn, [...dlq.targets]);
    return { owners, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Sent after the save: GET /dlqs must not go stale because EventBridge is down. A failure is reported,
 * not thrown; the changes it lost reach the org view with the next complete run.
 */
async function sendChanges(publisher: InventoryChangePublisher, previous: DlqInventory | undefined, current: DlqInventory): Promise<{ eventsSent: number; eventsError?: string }> {
  let eventsSent = 0;
  try {
    for (const change of inventoryChanges(previous, current)) {
      await publisher.publishInventoryChange(change);
      eventsSent += 1;
    }
    return { eventsSent };
  } catch (error) {
    return { eventsSent, eventsError: error instanceof Error ? error.message : String(error) };
  }
}

