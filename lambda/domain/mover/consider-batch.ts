// one received batch: decide each message (move, hold), hold what stays, deliver the matches, release the rest
import type { DlqMessage } from '../dlq-message';
import { type MessageSelection, presentAtStart } from '../message-selection';
import type { Route } from '../replay/replay-route';
import { replayVerdict, routerOf } from '../replay/replay-router';
import type { TaskRecord } from '../task-record';
import { canaryLeft } from './canary';
import { deliverInTime } from './deliver-in-time';
import { keepsMessages, verdictFor } from './mover-kind';
import type { BatchOutcome, MoverDependencies, MoverOptions } from './mover-types';

export interface ConsideredBatch {
  readonly outcome: BatchOutcome;
  /** delivered: deleted from the DLQ once their count is recorded */
  readonly sent: DlqMessage[];
  /** sent into the DLQ after the task started: held for the next decision, not counted */
  readonly arrivedLater: number;
  /** not delivered (out of time, refused for now): visible again, not counted, considered when they come back */
  readonly released: number;
  /** the destination refused for good: the task fails with this reason */
  readonly failureReason?: string;
  /** the destination refused for now, past every retry the batch had time for */
  readonly refusedForNow?: string;
}

export interface BatchContext {
  readonly selection: MessageSelection;
  /** counted before a crash and maybe not deleted: sent again, not counted again */
  readonly countedBefore: ReadonlySet<string>;
  /** stores, then hides handles for the pass */
  readonly hold: (handles: readonly string[]) => Promise<void>;
  /** makes handles visible again (ChangeMessageVisibility 0), as the pass's end needs to know */
  readonly release: (handles: readonly string[]) => Promise<void>;
  /** epoch ms (deps.clock) after which the batch starts no delivery */
  readonly deadline: number;
  readonly options: MoverOptions;
}

/**
 * Decides a batch in order: a message sent into the DLQ after the task started is held for the next
 * decision (once per message per task); one that does not match, or has no route, is held and counted;
 * matches are delivered within the canary's allowance. What is held is stored, then hidden for the pass,
 * before anything is delivered. Out of time (`deadline`), the rest of the batch is not decided: released.
 * Answers what was delivered (to be deleted once its count is recorded); a message counted before a
 * crash is sent again but not counted again. Whatever fails, no handle of the batch is left hidden
 * unless it is stored: handles not held or delivered are made visible again on the way out.
 */
export async function considerBatch(deps: MoverDependencies, record: TaskRecord, batch: readonly DlqMessage[], context: BatchContext): Promise<ConsideredBatch> {
  const outcome: BatchOutcome = { moved: 0, skipped: 0, unroutable: 0 };
  const startedAt = record.startedTimestamp ?? Date.parse(record.createdAt);
  const held: string[] = [];
  let arrivedLater = 0;
  let allowance = canaryLeft(record);
  const toMove: DlqMessage[] = [];
  // a replay: each message goes where it says it failed (API.md section 11); routes by receipt handle
  const router = routerOf(record, deps.replayScope);
  const routes = new Map<string, Route>();
  for (const message of batch) {
    // out of time (a slow filter): the rest is released undecided, so no SDK call outlives the batch's visibility
    if (deps.clock.now().getTime() > context.deadline) break;
    if (!presentAtStart(message, startedAt)) {
      held.push(message.receiptHandle);
      arrivedLater += 1;
      continue;
    }
    const verdict = router ? replayVerdict(context.selection, message, router, routes) : verdictFor(context.selection, record, message);
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
  let delivered = new Set<string>();
  let failureReason: string | undefined;
  let refusedForNow: string | undefined;
  try {
    if (held.length > 0) {
      await context.hold(held);
      for (const handle of held) unsettled.delete(handle);
    }
    if (toMove.length > 0) {
      const result = await deliverInTime(deps, record, toMove, context.deadline, context.options, routes);
      // a delivered message comes back after the visibility timeout if its delete fails, and is sent again (at least once)
      delivered = result.delivered;
      // an archive without Delete: what is archived stays in the DLQ, held for the pass like a skip (stored, then hidden),
      // released when the task ends; should the hold fail, it is released below and archived again when it comes back
      if (keepsMessages(record) && delivered.size > 0) await context.hold([...delivered]);
      for (const handle of delivered) unsettled.delete(handle);
      if (result.gone.size > 0) {
        // a replay's target that does not exist: those messages stay for the pass, counted unroutable
        await context.hold([...result.gone]);
        for (const handle of result.gone) unsettled.delete(handle);
        held.push(...result.gone);
        outcome.unroutable += result.gone.size;
      }
      failureReason = result.failureReason;
      refusedForNow = result.refusedForNow;
    }
  } finally {
    if (unsettled.size > 0) {
      await context.release([...unsettled]).catch((error: unknown) => {
        deps.log.warn('unsent messages not released; they are visible again after the batch\'s visibility timeout', { taskId: record.taskId, count: unsettled.size, error: String(error) });
      });
    }
  }
  const sent = toMove.filter((message) => delivered.has(message.receiptHandle));
  outcome.moved = sent.filter((message) => !context.countedBefore.has(message.messageId)).length;
  const released = batch.length - held.length - sent.length;
  // kept messages are held, not deleted: nothing of them is in doubt
  if (keepsMessages(record)) return { outcome, sent: [], arrivedLater, released, ...(failureReason ? { failureReason } : {}), ...(refusedForNow ? { refusedForNow } : {}) };
  return { outcome, sent, arrivedLater, released, ...(failureReason ? { failureReason } : {}), ...(refusedForNow ? { refusedForNow } : {}) };
}
