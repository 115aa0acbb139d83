// mover invocation (start, hand-on, reconciler re-drive) --> runMoverSlice --> DLQ receive → decide → deliver (MessageDestination) → delete
//   --> held receipt handles (HoldStore) --> counts and lease (task table) --> release and final status --> events
import type { DlqMessage, FailedEntry } from '../dlq-message';
import { isFifoQueueArn } from '../dlq-message';
import { selectionOfRecord } from '../message-selection';
import { canaryLeft } from '../mover/canary';
import { considerBatch, type ConsideredBatch } from '../mover/consider-batch';
import { finishTask, handOn } from '../mover/end-slice';
import { failureReasonOf } from '../mover/failure-reason';
import { storeHeld } from '../mover/held-batches';
import { leaseEndsWithin, leaseMarginSeconds, takeLease } from '../mover/lease';
import { BATCH, LeaseLost, LOOPS, type MoverDependencies, type MoverOptions, type SliceSummary } from '../mover/mover-types';
import { SliceProgress } from '../mover/slice-progress';
import { TaskStatus } from '../task-status';

export { NON_EXISTENT_QUEUE } from '../mover/failure-reason';
export type { MoverDependencies, MoverOptions, SliceOutcome, SliceSummary } from '../mover/mover-types';

/**
 * One slice of a selective task's pass over its DLQ, whatever the destination. Receives 10 at a time;
 * matching messages are delivered (`MessageDestination`: DestinationArn, else the queue they failed
 * in) and deleted only after the delivery was accepted (at least once). Others are held invisible for
 * the pass (their receipt handles stored beside the record) and released when the task ends, however
 * it ends. Counts, held batches and the lease are one conditional write per batch; a cancel's claim
 * makes that write fail, so the mover re-reads and stops within the batch. Past `sliceEndsAt` the
 * slice frees the lease and invokes the next one.
 */
export async function runMoverSlice(deps: MoverDependencies, taskId: string, options: MoverOptions): Promise<SliceSummary> {
  const summary: SliceSummary = { taskId, outcome: 'finished', batches: 0, moved: 0, skipped: 0, unroutable: 0, arrivedLater: 0, released: 0 };
  const taken = await takeLease(deps, taskId, options);
  if (typeof taken === 'string') {
    summary.outcome = taken;
    return summary;
  }
  const progress = new SliceProgress(deps, taken, options);
  const record = () => progress.record;
  const { sourceArn, maxMessages } = taken;
  const selection = selectionOfRecord(taken);
  const rate = taken.maxNumberOfMessagesPerSecond;
  const fifo = isFifoQueueArn(sourceArn);
  // several loops on standard queues; one where order or a shared allowance matters (FIFO, a canary, a rate)
  const loops = fifo || maxMessages !== undefined || rate !== undefined ? 1 : Math.min(options.loops ?? LOOPS, LOOPS);
  // a receive waits for the last batch's delete where that batch hides the next messages (a FIFO group) or
  // sets the allowance (a canary); otherwise it overlaps the last batch's count write and delete
  const overlap = !fifo && maxMessages === undefined;
  const paceStartedAt = Date.now();
  let pacedMoves = 0;
  let stop = false;
  let failureReason: string | undefined;
  let handingOn = false;
  let batchSeq = 0;

  /** The batch's counts and sent ids recorded, then its delete: a crash in between resends those messages, never recounts them. */
  const settle = async (batch: number, considered: ConsideredBatch) => {
    const { outcome, sent } = considered;
    await progress.add(outcome, batch, sent);
    if (sent.length === 0) return;
    // deleted only after the delivery was accepted; a delete SQS did not take leaves the message to come back and be sent again (at least once)
    let failed: FailedEntry[];
    try {
      ({ failed } = await deps.messages.delete(sourceArn, sent.map((message) => message.receiptHandle)));
    } catch (error) {
      // refused for good (access denied, a KMS key): the task fails; anything else is thrown for a re-drive
      failureReason ??= failureReasonOf(error);
      return;
    }
    // counted already: should they come back in this task, they are sent again but not counted again
    const notDeleted = new Set(failed.map((entry) => entry.id));
    progress.deleted(batch, sent.filter((message) => notDeleted.has(message.receiptHandle)).map((message) => message.messageId));
    if (failed.length > 0) deps.log.warn('moved messages not deleted from the DLQ; they will be moved again', { taskId, failed: failed.length, code: failed[0]!.code });
  };

  // stored before hidden: whoever ends the task can release every message this slice hid, whatever fails after
  const hold = async (handles: readonly string[]) => {
    await storeHeld(deps, taskId, () => progress.nextHold++, handles);
    await deps.messages.changeVisibility(sourceArn, handles, options.holdSeconds);
  };

  const loop = async () => {
    let confirmingEmpty = false;
    // the last batch's count write and delete, overlapping this loop's next receive
    let previous: Promise<void> = Promise.resolve();
    const mustStop = () => stop || record().status === TaskStatus.CANCELLING || canaryLeft(record()) === 0;
    try {
      while (!mustStop()) {
        // past the slice's time, or a lease too short to cover another batch (another mover may take over): hand on
        if (deps.clock.now().getTime() >= options.sliceEndsAt || leaseEndsWithin(record(), deps.clock.now(), leaseMarginSeconds(options))) {
          handingOn = true;
          break;
        }
        if (!overlap) await previous;
        let batch: DlqMessage[];
        try {
          // a short poll normally; an empty answer is confirmed once with a long poll, which asks every SQS server
          batch = await deps.messages.receive(sourceArn, {
            max: Math.min(BATCH, rate ?? BATCH),
            visibilitySeconds: options.visibilitySeconds,
            waitSeconds: confirmingEmpty ? 1 : 0,
          });
        } catch (error) {
          failureReason ??= failureReasonOf(error);
          break;
        }
        // a cancel the last write met, a full canary or a failure stops this batch before anything of it is
        // sent; another loop's end of the pass does not (the batch is considered, as it was received)
        await previous;
        if (record().status === TaskStatus.CANCELLING || canaryLeft(record()) === 0 || failureReason !== undefined) {
          if (batch.length > 0) await deps.messages.changeVisibility(sourceArn, batch.map((message) => message.receiptHandle), 0);
          break;
        }
        if (batch.length === 0) {
          if (confirmingEmpty) break;
          confirmingEmpty = true;
          continue;
        }
        confirmingEmpty = false;

        let considered: ConsideredBatch;
        try {
          considered = await considerBatch(deps, record(), batch, { selection, countedBefore: progress.countedBefore, hold });
        } catch (error) {
          failureReason ??= failureReasonOf(error);
          break;
        }
        const { outcome } = considered;
        batchSeq += 1;
        previous = settle(batchSeq, considered);
        // awaited before the next send; marked handled now, so a failure while this loop waits on SQS is not an unhandled rejection
        previous.catch(() => undefined);
        summary.batches += 1;
        summary.moved += outcome.moved;
        summary.skipped += outcome.skipped;
        summary.unroutable += outcome.unroutable;
        if (considered.failureReason) {
          failureReason ??= considered.failureReason;
          break;
        }
        if (rate !== undefined && outcome.moved > 0) {
          // MaxNumberOfMessagesPerSecond: the slice's moves never run ahead of rate × elapsed time
          pacedMoves += outcome.moved;
          const due = paceStartedAt + (pacedMoves / rate) * 1000 - Date.now();
          if (due > 0) await options.sleep(due);
        }
      }
    } finally {
      // whatever ended this loop (empty, cancel, canary, failure, the slice's time) ends the others after their batch
      stop = true;
      await previous;
    }
  };

  try {
    const results = await Promise.allSettled(Array.from({ length: loops }, loop));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    if (failureReason) return await finishTask(deps, record(), TaskStatus.FAILED, options, summary, failureReason);
    if (record().status === TaskStatus.CANCELLING) return await finishTask(deps, record(), TaskStatus.CANCELLED, options, summary);
    if (handingOn && canaryLeft(record()) > 0) return await handOn(deps, record(), options, summary, progress.stillInDoubt());
    return await finishTask(deps, record(), TaskStatus.COMPLETED, options, summary);
  } catch (error) {
    if (error instanceof LeaseLost) {
      summary.outcome = 'lease-lost';
      return summary;
    }
    throw error;
  }
}
