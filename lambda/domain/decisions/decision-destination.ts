// mover slice --> decisionDestination (MessageDestination) --> the archive (the original) and/or the queue destination (the message or its edited copy)
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from '../mover/message-destination';
import { isRoute } from '../replay/replay-route';
import { type ReplayScope, routedMessage, type Router, routerOf } from '../replay/replay-router';
import type { TaskRecord } from '../task-record';
import type { MessageEdit } from './message-decision';

/** Why a message task stops without touching the message. */
export const DECISION_INTERRUPTED = 'DecisionInterrupted';
export const ARCHIVE_NOT_CONFIGURED = 'ArchiveNotConfigured';
/** An edited copy that, routed as a replay routes, names no target the controller may deliver to. */
export const EDIT_UNROUTABLE = 'EditedMessageUnroutable';

/**
 * Where one-message-at-a-time sends its message, by the task's action:
 * - retry: the queue destination, the message unchanged;
 * - edit: the original to the archive, then the edited copy (body, and attributes if given; the group id
 *   kept by the queue destination) to the queue; the original itself is never handed to the queue. A
 *   delivery counts as accepted only when both were, so the DLQ's copy is deleted only then;
 * - discard: the archive alone.
 * An edit whose body is not at hand (a re-drive after the API's call ended: the body is never stored)
 * and an archive that is not configured are refused for good: the task fails and the message stays.
 * Selective tasks (no action) go to the queue destination as before.
 * On a Lambda or EventBridge DLQ (a replay's task) a retry's delivery is already routed to the target
 * that failed; an edit archives the message as the DLQ held it and routes its edited copy again with the
 * replay's router (an edited on-failure record: its new requestPayload to its function); a copy that
 * routes nowhere is refused for good, and the message stays.
 */
export function decisionDestination(record: TaskRecord, queue: MessageDestination, archive: MessageDestination | undefined, edit: MessageEdit | undefined, scope?: ReplayScope): MessageDestination {
  const action = record.messageAction;
  if (action === undefined || action === 'retry') return queue;
  if (action === 'edit' && edit === undefined) return refuseAll(DECISION_INTERRUPTED);
  if (!archive) return refuseAll(ARCHIVE_NOT_CONFIGURED);
  if (action === 'discard') return archive;
  const router = routerOf(record, scope);
  return {
    async deliver(taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
      const archived = await archive.deliver(taskId, deliveries.map(asReceived));
      const kept = new Set(archived.accepted);
      const edited: Delivery[] = [];
      const unroutable: RefusedDelivery[] = [];
      for (const delivery of deliveries) {
        if (!kept.has(delivery.id)) continue;
        const copy = editedDelivery(delivery, edit!, router);
        if (copy) edited.push(copy);
        else unroutable.push({ id: delivery.id, code: EDIT_UNROUTABLE, permanent: true });
      }
      if (edited.length === 0) return { accepted: [], refused: [...archived.refused, ...unroutable] };
      const sent = await queue.deliver(taskId, edited);
      return { accepted: sent.accepted, refused: [...archived.refused, ...unroutable, ...sent.refused] };
    },
  };
}

/** The original as the DLQ held it: what the archive keeps, whatever a route made of it. */
function asReceived(delivery: Delivery): Delivery {
  return delivery.received ? { id: delivery.id, target: delivery.target, message: delivery.received } : delivery;
}

/** The edited copy, to the delivery's target; routed again where the task is a replay's (undefined: it routes nowhere). */
function editedDelivery(delivery: Delivery, edit: MessageEdit, router: Router | undefined): Delivery | undefined {
  const original = delivery.received ?? delivery.message;
  const copy = { ...original, body: edit.body, messageAttributes: edit.messageAttributes ?? original.messageAttributes };
  if (!router) return { id: delivery.id, target: delivery.target, message: copy };
  const route = router(copy);
  return isRoute(route) ? { id: delivery.id, target: route.targetArn, message: routedMessage(copy, route), received: copy } : undefined;
}

function refuseAll(code: string): MessageDestination {
  return {
    async deliver(_taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
      return { accepted: [], refused: deliveries.map((delivery) => ({ id: delivery.id, code, permanent: true })) };
    },
  };
}
