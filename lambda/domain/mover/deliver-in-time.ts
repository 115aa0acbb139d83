// a batch's matches to the destination: retried while the batch has time, in order, never past its deadline
import type { DlqMessage } from '../dlq-message';
import type { Route } from '../replay/replay-route';
import { routedMessage } from '../replay/replay-router';
import { isPermanentRefusal } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import { NON_EXISTENT_QUEUE } from './failure-reason';
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from './message-destination';
import { deliveryTarget, destinationFor } from './mover-kind';
import type { MoverDependencies, MoverOptions } from './mover-types';

/** Calls to the destination per batch: the first and two retries of what it refused for now. */
const DELIVERY_ATTEMPTS = 3;
/** Pause before a retry, growing: SQS's throttling and its own faults pass in a moment. */
const RETRY_PAUSE_MS = 100;

export interface DeliveryResult {
  /** receipt handles of the messages the destination accepted */
  readonly delivered: Set<string>;
  /** receipt handles whose target does not exist (a replay's): kept in the DLQ as unroutable */
  readonly gone: Set<string>;
  readonly failureReason?: string;
  readonly refusedForNow?: string;
}

/**
 * Delivers `messages` (in order) to DestinationArn, else each one's source. What the destination
 * refuses for now is retried, the entries after it with it (the destination refuses them too, so a
 * message group's order holds), while the batch has time; a refusal for good stops at once. What is
 * not accepted in the end is left to the caller to release.
 */
export async function deliverInTime(
  deps: MoverDependencies,
  record: TaskRecord,
  messages: readonly DlqMessage[],
  deadline: number,
  options: MoverOptions,
  routes: ReadonlyMap<string, Route> = new Map(),
): Promise<DeliveryResult> {
  let pending: Delivery[] = messages.map((message, index) => {
    // a replay's route names the target and what it receives; otherwise DestinationArn, else the queue it failed in
    const route = routes.get(message.receiptHandle);
    return route ? { id: `m${index}`, target: route.targetArn, message: routedMessage(message, route), received: message } : { id: `m${index}`, target: deliveryTarget(record, message), message };
  });
  const destination = destinationFor(deps, record);
  const delivered = new Set<string>();
  const gone = new Set<string>();
  let refused: readonly RefusedDelivery[] = [];
  for (let attempt = 0; attempt < DELIVERY_ATTEMPTS && pending.length > 0; attempt += 1) {
    if (attempt > 0) await options.sleep(RETRY_PAUSE_MS * 4 ** (attempt - 1));
    // the batch's visibility must outlast the delivery and the delete: no call starts past the deadline
    if (deps.clock.now().getTime() > deadline) break;
    const report = await deliverOnce(destination, record.taskId, pending);
    const accepted = new Set(report.accepted);
    for (const delivery of pending) if (accepted.has(delivery.id)) delivered.add(delivery.message.receiptHandle);
    // a target that does not exist: its messages stay, unroutable, and are not tried again in this task
    // (a replay's queue that does not exist too; a selective task fails on it, as SQS's own task does)
    const isGone = (entry: RefusedDelivery) => entry.gone === true || (record.kind === 'replay' && entry.code === NON_EXISTENT_QUEUE);
    const goneIds = new Set(report.refused.filter(isGone).map((entry) => entry.id));
    for (const delivery of pending) if (goneIds.has(delivery.id)) gone.add(delivery.message.receiptHandle);
    refused = report.refused.filter((entry) => !isGone(entry));
    const permanent = refused.find((entry) => entry.permanent);
    if (permanent) {
      deps.log.error('selective move: the destination refused for good; the task fails and the rest stays in the DLQ', { taskId: record.taskId, code: permanent.code });
      return { delivered, gone, failureReason: permanent.code };
    }
    const again = new Set(refused.map((entry) => entry.id));
    pending = pending.filter((delivery) => again.has(delivery.id));
  }
  if (pending.length === 0) return { delivered, gone };
  const code = refused[0]?.code;
  deps.log.warn('selective move: messages not delivered in the batch\'s time; released, to be moved when they come back', { taskId: record.taskId, count: pending.length, code: code ?? 'out of time' });
  return { delivered, gone, ...(code ? { refusedForNow: code } : {}) };
}

/** The port never throws for a refusal; should it throw all the same, its entries are refused (for good if SQS said so). */
async function deliverOnce(destination: MessageDestination, taskId: string, pending: readonly Delivery[]): Promise<DeliveryReport> {
  try {
    return await destination.deliver(taskId, pending);
  } catch (error) {
    const permanent = isPermanentRefusal(error);
    const code = permanent ? error.code : 'InternalError';
    return { accepted: [], refused: pending.map((delivery) => ({ id: delivery.id, code, permanent })) };
  }
}
