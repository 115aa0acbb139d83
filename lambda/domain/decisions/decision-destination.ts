// mover slice --> decisionDestination (MessageDestination) --> the archive (the original) and/or the queue destination (the message or its edited copy)
import type { Delivery, DeliveryReport, MessageDestination } from '../mover/message-destination';
import type { TaskRecord } from '../task-record';
import type { MessageEdit } from './message-decision';

/** Why a message task stops without touching the message. */
export const DECISION_INTERRUPTED = 'DecisionInterrupted';
export const ARCHIVE_NOT_CONFIGURED = 'ArchiveNotConfigured';

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
 */
export function decisionDestination(record: TaskRecord, queue: MessageDestination, archive: MessageDestination | undefined, edit: MessageEdit | undefined): MessageDestination {
  const action = record.messageAction;
  if (action === undefined || action === 'retry') return queue;
  if (action === 'edit' && edit === undefined) return refuseAll(DECISION_INTERRUPTED);
  if (!archive) return refuseAll(ARCHIVE_NOT_CONFIGURED);
  if (action === 'discard') return archive;
  return {
    async deliver(taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
      const archived = await archive.deliver(taskId, deliveries);
      const kept = new Set(archived.accepted);
      const edited = deliveries.filter((delivery) => kept.has(delivery.id)).map((delivery) => editedDelivery(delivery, edit!));
      if (edited.length === 0) return archived;
      const sent = await queue.deliver(taskId, edited);
      return { accepted: sent.accepted, refused: [...archived.refused, ...sent.refused] };
    },
  };
}

function editedDelivery(delivery: Delivery, edit: MessageEdit): Delivery {
  return { ...delivery, message: { ...delivery.message, body: edit.body, messageAttributes: edit.messageAttributes ?? delivery.message.messageAttributes } };
}

function refuseAll(code: string): MessageDestination {
  return {
    async deliver(_taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
      return { accepted: [], refused: deliveries.map((delivery) => ({ id: delivery.id, code, permanent: true })) };
    },
  };
}
