// inventory entry (schedule) --> refreshDlqInventory --> ListQueues, GetQueueAttributes per queue,
// discoverDlqOwners (Lambda's and EventBridge's list calls), CloudWatch GetMetricData for the DLQs' ages --> one inventory in the task table --> its changes as events
import type { ControllerMetrics } from '../controller-metrics';
import { arrivalEvent } from '../dlq/arrival-event';
import { controllerMovesSince, type TaskMovesReader } from '../dlq/controller-moves';
import { countArrivals } from '../dlq/dead-letter-arrivals';
import { type DeadLetterQueue, type DlqTarget, findDeadLetterQueues, type QueueAttributes } from '../dlq/dead-letter-queue';
import { dlqFigures, reportsFigures } from '../dlq/dlq-figures';
import type { DlqHistoryWriter } from '../dlq/dlq-history';
import { type DlqInventory, recentRemovalsOf } from '../dlq/dlq-inventory';
import type { DlqOwnerReader } from '../dlq/dlq-owner-reader';
import type { ActivityBatchPublisher, DlqInventoryStore, InventoryChangePublisher, QueueAgeReader, QueueAttributeReader, SentTimestampSampler } from '../dlq/dlq-ports';
import { inventoryChanges } from '../dlq/inventory-event';
import { keptOldestSent, sampleIsDue, withExpiry } from '../dlq/message-expiry';
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
  /** dates each DLQ's oldest message (OldestMessageExpiresAt); @default - only CloudWatch's age on FIFO DLQs */
  readonly sentTimestamps?: SentTimestampSampler;
  /** the functions' and rule targets' DLQs (API.md section 11); @default - only SQS's DLQs */
  readonly discovery?: { readonly reader: DlqOwnerReader; readonly state: DiscoveryState; readonly options?: DiscoveryOptions };
  /** where each DLQ's point of this run goes (GET /dlqs/{queueName}/history); @default - no history */
  readonly history?: DlqHistoryWriter;
  /** the controller's tasks, so messages they moved out do not hide arrivals; @default - arrivals are the rise in depth */
  readonly tasks?: TaskMovesReader;
  /** where each DLQ's `Dead-Letter Queue Received Messages` event goes; @default - no such events */
  readonly alerts?: ActivityBatchPublisher;
  /** the run's totals and each DLQ's figures (docs/metrics.md); @default - none */
  readonly metrics?: ControllerMetrics;
}

export interface InventorySummary {
  readonly queues: number;
  readonly dlqs: number;
  readonly withAge: number;
  /** queues whose attributes SQS refused us for good (a queue policy, a KMS key): not inventoried */
  readonly unreadable: number;
  /** the account held more queues than MAX_INVENTORIED_QUEUES */
  readonly truncated: boolean;
  /** false when another run had stored its inventory since this one loaded (an overlapping run): this one published nothing */
  readonly saved: boolean;
  /** DLQs whose SentTimestamps this run sampled (one ReceiveMessage each) */
  readonly sampled?: number;
  /** change events sent (at least one per saved run when a publisher is wired) */
  readonly eventsSent: number;
  /** why the change events were not all sent; the next complete run (within the hour) makes up for it */
  readonly eventsError?: string;
  /** what discovery read, when it is wired */
  readonly discovery?: DiscoverySummary;
  /** why discovery failed this run: the stored inventory's owners were kept */
  readonly discoveryError?: string;
  /** messages that arrived in all DLQs since the previous run (dead-letter-arrivals.ts) */
  readonly newMessages: number;
  /** DLQs that received messages since the previous run */
  readonly dlqsWithNewMessages: number;
  /** history points written (one per DLQ of a saved run) */
  readonly historyPoints: number;
  /** why the history was not written; the run's inventory is saved all the same */
  readonly historyError?: string;
  /** DLQs whose figures became metrics this run (those holding or receiving messages, or just emptied) */
  readonly dlqsMetered: number;
  /** `Dead-Letter Queue Received Messages` events sent */
  readonly alertsSent: number;
  /** why some of them were not sent (each is sent once: the next arrival alerts again) */
  readonly alertsError?: string;
}

/**
 * One run of the inventory job. Redrive policies live on the source queues, which can be any queue
 * of the account, so every queue's attributes are read (one call each: SQS has no batch read); only
 * managed queues named by a policy become DLQs.
 */
export async function refreshDlqInventory(deps: InventoryDependencies): Promise<InventorySummary> {
  const asOf = deps.clock.now().toISOString();
  const loads = deps.changes || deps.discovery || deps.sentTimestamps || deps.history || deps.tasks || deps.metrics || deps.alerts;
  const previous = loads ? await deps.inventory.load() : undefined;
  const moves = deps.tasks ? await controllerMovesSince(deps.tasks, previous) : undefined;
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
  // the arrival count's next run: a task begun after this moved nothing out of the depths just read
  const depthsReadBy = deps.clock.now().toISOString();
  const discovered = deps.discovery ? await discover(deps.discovery, previous, deps.clock.now().getTime()) : undefined;
  const found = findDeadLetterQueues(queues, (arn) => deps.scope.isManaged(arn), discovered?.owners);
  const ages = found.length > 0 ? await deps.ages.oldestMessageAges(found.map((dlq) => dlq.queueName)) : new Map<string, number>();
  const aged: DeadLetterQueue[] = found.map((dlq) => {
    const age = ages.get(dlq.queueName);
    // CloudWatch's last datapoint can outlive the messages: an empty DLQ has no oldest message
    return age === undefined || dlq.approximateNumberOfMessages === 0 ? dlq : { ...dlq, oldestMessageAgeSeconds: age };
  });
  const { dlqs, sampled } = await dateOldestMessages(deps, aged, previous, queues, queueUrls, Date.parse(asOf));
  const { arrivals, unexplainedFalls, unconfirmedMoves } = countArrivals(previous, dlqs, moves ?? { movedOut: new Map(), active: new Set(), recordedLate: new Set() });
  const current: DlqInventory = {
    asOf,
    dlqs,
    ...(deps.changes ? { recentRemovals: recentRemovalsOf(previous, { asOf, dlqs }) } : {}),
    ...(moves ? { taskMoves: moves.now, depthsReadBy } : {}),
    ...(Object.keys(unexplainedFalls).length > 0 ? { unexplainedFalls } : {}),
    ...(Object.keys(unconfirmedMoves).length > 0 ? { unconfirmedMoves } : {}),
  };
  // saved only over the inventory this run counted from: of two overlapping runs (EventBridge delivers a schedule's
  // event at least once) one saves, and only it publishes history, alerts and metrics, so no arrival counts twice
  const saved = await deps.inventory.save(current, loads ? { asOf: previous?.asOf } : undefined);
  const sending = saved && deps.changes ? await sendChanges(deps.changes, previous, current) : { eventsSent: 0 };
  const discovery = discovered ? { ...(discovered.summary ? { discovery: discovered.summary } : {}), ...(discovered.error ? { discoveryError: discovered.error } : {}) } : {};
  const history = saved && deps.history ? await recordHistory(deps.history, current, arrivals) : { historyPoints: 0 };
  const alerts = saved && deps.alerts ? await sendAlerts(deps.alerts, current, arrivals) : { alertsSent: 0 };
  // a run that lost the save reports no arrivals: the run that saved counted them
  const arrived = saved ? [...arrivals.values()].filter((count) => count > 0) : [];
  const newMessages = arrived.reduce((sum, count) => sum + count, 0);
  let dlqsMetered = 0;
  if (saved && deps.metrics) {
    deps.metrics.dlqTotals({ deadLetterMessages: dlqs.reduce((sum, dlq) => sum + dlq.approximateNumberOfMessages, 0), newDeadLetterMessages: newMessages });
    const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, dlq]));
    for (const dlq of dlqs) {
      const arrivedHere = arrivals.get(dlq.queueArn) ?? 0;
      if (!reportsFigures(dlq, arrivedHere, before.get(dlq.queueArn))) continue;
      deps.metrics.dlq(dlq.queueName, dlqFigures(dlq, arrivedHere, asOf));
      dlqsMetered += 1;
    }
  }
  return {
    queues: queues.length,
    dlqs: dlqs.length,
    withAge: dlqs.filter((dlq) => dlq.oldestMessageAgeSeconds !== undefined).length,
    unreadable,
    truncated,
    saved,
    ...(deps.sentTimestamps ? { sampled } : {}),
    ...sending,
    newMessages,
    dlqsWithNewMessages: arrived.length,
    dlqsMetered,
    ...history,
    ...alerts,
    ...discovery,
  };
}

/**
 * Each DLQ's oldest SentTimestamp (kept from the last run, or sampled where that may be stale) and the
 * expiry it gives (message-expiry.ts). A sample SQS refuses for good leaves that DLQ undated.
 */
async function dateOldestMessages(
  deps: InventoryDependencies, dlqs: readonly DeadLetterQueue[], previous: DlqInventory | undefined,
  queues: readonly QueueAttributes[], queueUrls: readonly string[], asOf: number,
): Promise<{ dlqs: DeadLetterQueue[]; sampled: number }> {
  const sampler = deps.sentTimestamps;
  const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, dlq]));
  const byArn = new Map(queues.map((queue) => [queue.queueArn, queue]));
  // a queue URL ends in its name (https://sqs.<region>.amazonaws.com/<account>/<name>)
  const urlByName = new Map(queueUrls.map((url) => [url.slice(url.lastIndexOf('/') + 1), url]));
  let sampled = 0;
  const dated = await inParallel(dlqs, ATTRIBUTE_CONCURRENCY, async (dlq) => {
    const last = before.get(dlq.queueArn);
    const kept = keptOldestSent(dlq, last, asOf);
    const url = urlByName.get(dlq.queueName);
    let sample: number | undefined;
    let sampledAt = last?.sentTimestampsSampledAt;
    if (sampler && url && sampleIsDue(dlq, last, byArn.get(dlq.queueArn)?.deadLetterTargetArn !== undefined, asOf)) {
      try {
        sample = await sampler.oldestSentTimestamp(url);
        sampled += 1;
        sampledAt = new Date(asOf).toISOString();
      } catch (error) {
        if (!isPermanentRefusal(error)) throw error;
      }
    }
    return withExpiry(dlq, kept, sample, asOf, sampledAt);
  });
  return { dlqs: dated, sampled };
}

/**
 * One event per DLQ that received messages, after the save, batched by the publisher (10 a PutEvents:
 * 2,000 DLQs receiving at once are 200 calls); failures are reported, not thrown.
 */
async function sendAlerts(alerts: ActivityBatchPublisher, current: DlqInventory, arrivals: ReadonlyMap<string, number>): Promise<{ alertsSent: number; alertsError?: string }> {
  const received = current.dlqs.filter((dlq) => (arrivals.get(dlq.queueArn) ?? 0) > 0);
  if (received.length === 0) return { alertsSent: 0 };
  const { sent, error } = await alerts.publishActivities(received.map((dlq) => arrivalEvent(dlq, arrivals.get(dlq.queueArn)!, current.asOf)));
  return { alertsSent: sent, ...(error === undefined ? {} : { alertsError: error }) };
}

/** One point per DLQ of a saved run; a failure is reported, not thrown (GET /dlqs is already fresh). */
async function recordHistory(history: DlqHistoryWriter, current: DlqInventory, arrivals: ReadonlyMap<string, number>): Promise<{ historyPoints: number; historyError?: string }> {
  try {
    await history.record(current.asOf, current.dlqs.map((dlq) => ({ queueName: dlq.queueName, approximateNumberOfMessages: dlq.approximateNumberOfMessages, newMessages: arrivals.get(dlq.queueArn) ?? 0 })));
    return { historyPoints: current.dlqs.length };
  } catch (error) {
    return { historyPoints: 0, historyError: error instanceof Error ? error.message : String(error) };
  }
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

