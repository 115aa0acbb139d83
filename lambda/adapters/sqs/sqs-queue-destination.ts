// slice loop --> SqsQueueDestination (MessageDestination) --> QueueMessages.send: SendMessageBatch per target, in order
import type { FailedEntry, OutgoingMessage } from '../../domain/dlq-message';
import { isFifoQueueArn } from '../../domain/dlq-message';
import { byTarget } from '../../domain/mover/deliveries-by-target';
import { NON_EXISTENT_QUEUE } from '../../domain/mover/failure-reason';
import type { Delivery, DeliveryReport, MessageDestination, RefusedDelivery } from '../../domain/mover/message-destination';
import type { QueueMessages } from '../../domain/ports';
import { sendBatches } from '../../domain/send-batches';
import { isNoSuchQueue, isPermanentRefusal, SqsError } from '../../domain/sqs-error';

/**
 * The first destination: SQS queues, each delivery's target a queue ARN. Each target's entries go out
 * in as many SendMessageBatch calls as SQS's limits need (10 entries, 1 MiB), in order. On a standard
 * queue the entries SQS failed on its side are sent once more at once. After a refusal the rest is
 * not attempted (refused with the same reason): a FIFO group's order holds, and a destination that is
 * gone is not asked again. A queue that does not exist refuses only its own target's rest: a replay's
 * dead letters name many targets, and one retired queue must not hold back the others.
 */
export class SqsQueueDestination implements MessageDestination {
  constructor(private readonly messages: QueueMessages) {}

  async deliver(taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    const accepted: string[] = [];
    const refused: RefusedDelivery[] = [];
    // the refusal the rest of the call shares; a missing queue's is its target's alone (a replay's other targets go on)
    let callRefusal: RefusedDelivery | undefined;
    for (const [target, entries] of byTarget(deliveries)) {
      let targetRefusal = callRefusal;
      // each entry built field by field: spreading the delivery ({ ...delivery, body }) took V8's slow object-clone
      // path, about 3 µs an entry against 0.03 (docs/performance.md), the largest share of the mover's own CPU
      const sized = entries.map((delivery) => ({ id: delivery.id, target: delivery.target, message: delivery.message, body: delivery.message.body, messageAttributes: delivery.message.messageAttributes }));
      for (const batch of sendBatches(sized)) {
        if (targetRefusal) {
          const { code, permanent } = targetRefusal;
          refused.push(...batch.map((delivery) => ({ id: delivery.id, code, permanent })));
          continue;
        }
        const result = await this.sendBatch(taskId, target, batch);
        accepted.push(...result.accepted);
        refused.push(...result.refused);
        targetRefusal = result.refused[0];
        if (targetRefusal && targetRefusal.code !== NON_EXISTENT_QUEUE) callRefusal ??= targetRefusal;
      }
    }
    return { accepted, refused };
  }

  /** One SendMessageBatch; on a standard queue the entries SQS failed on its side are sent once more. */
  private async sendBatch(taskId: string, target: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
    const fifo = isFifoQueueArn(target);
    const outgoing = deliveries.map((delivery) => outgoingOf(taskId, delivery, fifo));
    let pending = outgoing;
    let failed: FailedEntry[] = [];
    for (let attempt = 0; attempt < (fifo ? 1 : 2) && pending.length > 0; attempt += 1) {
      try {
        ({ failed } = await this.messages.send(target, pending));
      } catch (error) {
        const { code, permanent } = refusalOf(error);
        const refusedIds = new Set(pending.map((entry) => entry.id));
        return {
          accepted: outgoing.filter((entry) => !refusedIds.has(entry.id)).map((entry) => entry.id),
          refused: [...refusedIds].map((id) => ({ id, code, permanent })),
        };
      }
      if (failed.some((entry) => entry.senderFault)) break;
      const retry = new Set(failed.map((entry) => entry.id));
      pending = pending.filter((entry) => retry.has(entry.id));
    }
    const failedIds = new Map(failed.map((entry) => [entry.id, entry]));
    return {
      accepted: outgoing.filter((entry) => !failedIds.has(entry.id)).map((entry) => entry.id),
      // an entry SQS refused as the sender's fault (too large for this queue, a KMS key) stays refused; one it failed on its side may pass
      refused: failed.map((entry) => ({ id: entry.id, code: entry.code, permanent: entry.senderFault })),
    };
  }
}

/** How a failed call is reported: SQS's code (a missing queue as SQS's own FailureReason), and whether repeating can help. */
function refusalOf(error: unknown): { code: string; permanent: boolean } {
  if (error instanceof SqsError) return { code: isNoSuchQueue(error) ? NON_EXISTENT_QUEUE : error.code, permanent: isPermanentRefusal(error) };
  return { code: 'InternalError', permanent: false };
}

/**
 * Body and attributes as received. FIFO: the message's group, and a deduplication id of this task and
 * the message, so a send repeated after a crash (before the delete) is dropped by SQS within its
 * 5-minute window, while a later task may still send the same message again.
 */
function outgoingOf(taskId: string, delivery: Delivery, fifo: boolean): OutgoingMessage {
  const { message } = delivery;
  return {
    id: delivery.id,
    body: message.body,
    messageAttributes: message.messageAttributes,
    ...(fifo ? { messageGroupId: message.messageGroupId ?? 'redrive', deduplicationId: `${taskId}:${message.messageId}`.slice(0, 128) } : {}),
  };
}
