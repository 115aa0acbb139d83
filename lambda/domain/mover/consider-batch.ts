// one received batch: decide each message (move, hold), hold what stays, deliver the matches, release the rest
import type { DlqMessage } from '../dlq-message';
import { type MessageSelection, verdictOf } from '../message-selection';
import type { TaskRecord } from '../task-record';
import { canaryLeft } from './canary';
import type { Delivery } from './message-destination';
import type { BatchOutcome, MoverDependencies } from './mover-types';

export interface ConsideredBatch {
  readonly outcome: BatchOutcome;
  /** delivered: deleted from the DLQ once their count is recorded */
  readonly sent: DlqMessage[];
  /** the destination refused for good: the task fails with this reason */
  readonly failureReason?: string;
}

export interface BatchContext {
  readonly selection: MessageSelection;
  /** counted before a crash and maybe not deleted: sent again, not counted again */
  readonly countedBefore: ReadonlySet<string>;
  /** stores, then hides handles for the pass */
  readonly hold: (handles: readonly string[]) => Promise<void>;
}

/**
 * Matches a batch; what is not moved is held (stored, then hidden for the pass) before anything is
 * delivered; the matches are delivered. Answers what was delivered (to be deleted once its count is
 * recorded); a message counted before a crash is sent again but not counted again. Whatever fails, no
 * handle of the batch is left hidden unless it is stored: handles not held or delivered are made
 * visible again on the way out.
 */
export async function considerBatch(deps: MoverDependencies, record: TaskRecord, batch: readonly DlqMessage[], context: BatchContext): Promise<ConsideredBatch> {
  const outcome: BatchOutcome = { moved: 0, skipped: 0, unroutable: 0 };
  const held: string[] = [];
  let allowance = canaryLeft(record);
  const toMove: DlqMessage[] = [];
  for (const message of batch) {
    const verdict = verdictOf(context.selection, message, record.destinationArn, record.sourceArn);
    if (verdict === 'move') {
      if (context.countedBefore.has(message.messageId)) {
        // sent and counted before a crash, not deleted: sent again, within the allowance it already took
        toMove.push(message);
      } else if (allowance > 0) {
        toMove.push(message);
        allowance -= 1;
      }
      // else the canary is full: a match past it is not considered by this task (released below, unsent)
    } else {
      held.push(message.receiptHandle);
      if (verdict === 'skip') outcome.skipped += 1;
      else outcome.unroutable += 1;
    }
  }
  // every handle not yet held or delivered: released on the way out, however the batch ends
  const unsettled = new Set(batch.map((message) => message.receiptHandle));
  const delivered = new Set<string>();
  let failureReason: string | undefined;
  try {
    if (held.length > 0) {
      await context.hold(held);
      for (const handle of held) unsettled.delete(handle);
    }
    if (toMove.length > 0) {
      const deliveries: Delivery[] = toMove.map((message, index) => ({ id: `m${index}`, target: record.destinationArn ?? message.sourceArn!, message }));
      const report = await deps.destination.deliver(record.taskId, deliveries);
      const byId = new Map(deliveries.map((delivery) => [delivery.id, delivery.message.receiptHandle]));
      // a delivered message comes back after the visibility timeout if its delete fails, and is sent again (at least once)
      for (const id of report.accepted) {
        const handle = byId.get(id)!;
        delivered.add(handle);
        unsettled.delete(handle);
      }
      if (report.refused.length > 0) failureReason = report.refused[0]!.code;
    }
  } finally {
    if (unsettled.size > 0) {
      await deps.messages.changeVisibility(record.sourceArn, [...unsettled], 0).catch((error: unknown) => {
        deps.log.warn('unsent messages not released; they are visible again after the batch\'s visibility timeout', { taskId: record.taskId, count: unsettled.size, error: String(error) });
      });
    }
  }
  const sent = toMove.filter((message) => delivered.has(message.receiptHandle));
  outcome.moved = sent.filter((message) => !context.countedBefore.has(message.messageId)).length;
  return { outcome, sent, ...(failureReason ? { failureReason } : {}) };
}
