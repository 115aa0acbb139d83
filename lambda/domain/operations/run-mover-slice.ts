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
import { SqsError } from '../sqs-error';
import { TaskStatus } from '../task-status';

/** A long poll asking SQS whether the DLQ is empty, and the count of releases when it was asked. */
interface EmptyConfirm {
  readonly releasesAtStart: number;
  readonly answer: Promise<DlqMessage[]>;
  /** set by the loop that asked, once answered */
  empty?: boolean;
}

/** Batches in a row the destination refuses for now before the slice gives up and is re-driven. */
const REFUSED_BATCHES_IN_A_ROW = 3;

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
  const { sourceArn, maxMessages } = taken;
  const selection = selectionOfRecord(taken);
  const rate = taken.maxNumberOfMessagesPerSecond;
  const fifo = isFifoQueueArn(sourceArn);
  // several loops on standard queues; one where order or a shared allowance matters (FIFO, a canary, a rate)
  const loops = fifo || maxMessages !== undefined || rate !== undefined ? 1 : Math.min(options.loops ?? LOOPS, LOOPS);
  // a count write lingers only for other loops' batches: one loop has none to wait for
  const progress = new SliceProgress(deps, taken, loops > 1 ? options : { ...options, countLingerMs: 0 }, loops);
  const record = () => progress.record;
  // a receive waits for the last batch's delete where that batch hides the next messages (a FIFO group) or
  // sets the allowance (a canary); otherwise it overlaps the last batch's count write and delete
  const overlap = !fifo && maxMessages === undefined;
  const paceStartedAt = Date.now();
  let pacedMoves = 0;
  let stop = false;
  let failureReason: string | undefined;
  let handingOn = false;
  let batchSeq = 0;
  // batches in a row whose delivery the destination refused for now, whatever the loop
  let refusedInARow = 0;
  const budgetMs = options.batchBudgetMs ?? options.visibilitySeconds * 500;

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
    progress.heldByUs.set(await storeHeld(deps, taskId, () => progress.nextHold++, handles), handles);
    await deps.messages.changeVisibility(sourceArn, handles, options.holdSeconds);
  };

  // a release makes messages visible again mid-pass: an empty confirm that overlapped one proves nothing
  let releases = 0;
  const release = async (handles: readonly string[]) => {
    releases += 1;
    try {
      await deps.messages.changeVisibility(sourceArn, handles, 0);
    } finally {
      releases += 1;
    }
  };
  // the slice's one long poll that confirms an empty DLQ; loops whose short poll comes back empty join it
  let confirm: EmptyConfirm | undefined;
  const receive = (waitSeconds: number) =>
    deps.messages.receive(sourceArn, { max: Math.min(BATCH, rate ?? BATCH), visibilitySeconds: options.visibilitySeconds, waitSeconds });

  const loop = async () => {
    let confirmingEmpty = false;
    let passDone = false;
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
        let receivedAt: number;
        try {
          if (!confirmingEmpty) {
            // a short poll normally: it asks only some of SQS's servers
            batch = await receive(0);
          } else {
            // an empty short poll is confirmed by a long poll, which asks every server: the pass is over once one
            // answers empty and nothing was released since it started (no message present at the start is left)
            if (confirm?.empty && confirm.releasesAtStart === releases) {
              passDone = true;
              break;
            }
            const inFlight = confirm;
            if (inFlight !== undefined && inFlight.empty === undefined && inFlight.releasesAtStart === releases) {
              // one in flight: wait for its answer (its messages are its asker's), then look again
              progress.loopEnded();
              await inFlight.answer.catch(() => undefined).finally(() => progress.loopResumed());
              confirmingEmpty = inFlight.empty !== false;
              continue;
            }
            const asked: EmptyConfirm = { releasesAtStart: releases, answer: receive(1) };
            confirm = asked;
            // a second or so: the other loops' count writes do not wait for this loop's next batch meanwhile
            progress.loopEnded();
            batch = await asked.answer.finally(() => progress.loopResumed());
            asked.empty = batch.length === 0;
            if (asked.empty) continue;
          }
          receivedAt = deps.clock.now().getTime();
        } catch (error) {
          failureReason ??= failureReasonOf(error);
          break;
        }
        // a cancel the last write met, a full canary or a failure stops this batch before anything of it is
        // sent; another loop's end of the pass does not (the batch is considered, as it was received)
        await previous;
        if (record().status === TaskStatus.CANCELLING || canaryLeft(record()) === 0 || failureReason !== undefined) {
          if (batch.length > 0) await release(batch.map((message) => message.receiptHandle));
          break;
        }
        confirmingEmpty = batch.length === 0;
        if (confirmingEmpty) continue;
        // the batch's visibility started with the answer: half of it (by default) for deciding and delivering
        const deadline = receivedAt + budgetMs;

        let considered: ConsideredBatch;
        try {
          considered = await considerBatch(deps, record(), batch, { selection, countedBefore: progress.countedBefore, hold, release, deadline, options });
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
        summary.arrivedLater += considered.arrivedLater;
        summary.released += considered.released;
        if (considered.failureReason) {
          failureReason ??= considered.failureReason;
          break;
        }
        // a destination that refuses for now (throttling, its faults): its batches are released and come back;
        // several in a row end the slice (thrown: re-driven once the lease lapses), the task stays RUNNING
        if (considered.refusedForNow && considered.sent.length === 0) refusedInARow += 1;
        else if (considered.sent.length > 0) refusedInARow = 0;
        if (refusedInARow >= REFUSED_BATCHES_IN_A_ROW) {
          throw new SqsError('ServiceUnavailable', `task ${taskId}: the destination refused ${refusedInARow} batches in a row (${considered.refusedForNow}); the slice is re-driven`, 503);
        }
        if (rate !== undefined && outcome.moved > 0) {
          // MaxNumberOfMessagesPerSecond: the slice's moves never run ahead of rate × elapsed time
          pacedMoves += outcome.moved;
          const due = paceStartedAt + (pacedMoves / rate) * 1000 - Date.now();
          if (due > 0) await options.sleep(due);
        }
      }
    } finally {
      // whatever else ended this loop (cancel, canary, failure, the slice's time) ends the others after their batch;
      // the end of the pass does not: each loop finds it for itself, after its last batch's releases
      if (!passDone) stop = true;
      // its last batch (if any) is pending already: the other loops' count writes need not wait for another
      progress.loopEnded();
      await previous;
    }
  };

  try {
    const results = await Promise.allSettled(Array.from({ length: loops }, loop));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const held = progress.heldByUs;
    if (failureReason) return await finishTask(deps, record(), TaskStatus.FAILED, options, summary, failureReason, held);
    if (record().status === TaskStatus.CANCELLING) return await finishTask(deps, record(), TaskStatus.CANCELLED, options, summary, undefined, held);
    if (handingOn && canaryLeft(record()) > 0) return await handOn(deps, record(), options, summary, progress.stillInDoubt(), held);
    return await finishTask(deps, record(), TaskStatus.COMPLETED, options, summary, undefined, held);
  } catch (error) {
    if (error instanceof LeaseLost) {
      summary.outcome = 'lease-lost';
      return summary;
    }
    throw error;
  }
}
