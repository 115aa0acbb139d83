// mover invocation (start, hand-on, reconciler re-drive) --> runMoverSlice --> DLQ receive → match → send → delete
//   --> held receipt handles (HoldStore) --> counts and lease (task table) --> release and final status --> events
import type { DlqMessage, FailedEntry, OutgoingMessage } from '../dlq-message';
import { isFifoQueueArn } from '../dlq-message';
import { inParallel } from '../in-parallel';
import { type MessageSelection,selectionOfRecord, verdictOf } from '../message-selection';
import type { ControllerDependencies, HoldStore, MoverInvoker, QueueMessages } from '../ports';
import { isNoSuchQueue, SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import { isFinal, TaskStatus } from '../task-status';
import { finishedRecord, nextRecord } from '../transitions';
import { drainOutboxes } from './drain-outbox';

export type MoverDependencies = ControllerDependencies & {
  readonly messages: QueueMessages;
  readonly holds: HoldStore;
  /** to hand on at once; without it the reconciler's next run invokes the next slice */
  readonly mover?: MoverInvoker;
};

export interface MoverOptions {
  /** this invocation, as the lease names it */
  readonly owner: string;
  /** a received batch stays invisible this long while it is sent and deleted */
  readonly visibilitySeconds: number;
  /** the lease outlives a write by this long; longer than visibilitySeconds, so a batch lost in a crash is visible again before anyone takes over */
  readonly leaseSeconds: number;
  /** skipped and unroutable messages stay invisible this long at most (one pass); SQS allows 12 hours */
  readonly holdSeconds: number;
  readonly retentionDays: number;
  /** epoch milliseconds after which the slice stops and hands the task on */
  readonly sliceEndsAt: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** receive/send/delete loops per slice on a standard queue without rate or canary; @default 8 */
  readonly loops?: number;
}

export type SliceOutcome = 'finished' | 'handed-on' | 'leased-elsewhere' | 'lease-lost' | 'not-active' | 'not-selective';

export interface SliceSummary {
  readonly taskId: string;
  outcome: SliceOutcome;
  status?: string;
  batches: number;
  moved: number;
  skipped: number;
  unroutable: number;
}

interface BatchOutcome {
  moved: number;
  skipped: number;
  unroutable: number;
  held: string[];
  failureReason?: string;
}

/** SQS's batch limit for receive, send, delete and visibility changes. */
const BATCH = 10;
const MAX_WRITE_ATTEMPTS = 8;
/** SQS's own FailureReason for a move task whose queue went away (EMULATORS.md, recorded from AWS). */
export const NON_EXISTENT_QUEUE = 'AWS.SimpleQueueService.NonExistentQueue';
/** The emulator moves about 2,000 msg/s with 8 concurrent loops, 430 with one (EMULATORS.md). */
const LOOPS = 8;

/** Held batches released at once at the end of a pass (each: a read, a visibility change, a delete). */
const RELEASE_CONCURRENCY = 8;

class LeaseLost extends Error {}

/**
 * One slice of a selective task's pass over its DLQ. Receives 10 at a time; matching messages are
 * sent to DestinationArn or the queue they failed in, and deleted only after the send succeeded (at
 * least once). Others are held invisible for the pass (their receipt handles stored beside the
 * record) and released when the task ends, however it ends. Counts, held batches and the lease are
 * one conditional write per batch; a cancel's claim makes that write fail, so the mover re-reads and
 * stops within the batch. Past `sliceEndsAt` the slice frees the lease and invokes the next one.
 */
export async function runMoverSlice(deps: MoverDependencies, taskId: string, options: MoverOptions): Promise<SliceSummary> {
  const summary: SliceSummary = { taskId, outcome: 'finished', batches: 0, moved: 0, skipped: 0, unroutable: 0 };
  const taken = await takeLease(deps, taskId, options);
  if (typeof taken === 'string') {
    summary.outcome = taken;
    return summary;
  }
  let record = taken;
  const selection = selectionOfRecord(record);
  const rate = record.maxNumberOfMessagesPerSecond;
  const fifo = isFifoQueueArn(record.sourceArn);
  // several loops on standard queues; one where order or a shared allowance matters (FIFO, a canary, a rate)
  const loops = fifo || record.maxMessages !== undefined || rate !== undefined ? 1 : (options.loops ?? LOOPS);
  // a receive waits for the last batch's delete where that batch hides the next messages (a FIFO group) or
  // sets the allowance (a canary); otherwise it overlaps the last batch's count write and delete
  const overlap = !fifo && record.maxMessages === undefined;
  const paceStartedAt = Date.now();
  let pacedMoves = 0;
  let nextHold = record.heldBatches ?? 0;
  let stop = false;
  let failureReason: string | undefined;
  let handingOn = false;
  // counted before a crash and maybe not deleted: sent again if they come back, never counted again
  const countedBefore = new Set(record.sentNotDeleted ?? []);
  // this slice's batches sent and counted whose delete has not answered yet, by batch
  const inDoubt = new Map<number, string[]>();
  let batchSeq = 0;

  // one conditional write at a time; batches that finish meanwhile go into the next write together
  let pending = emptyOutcome();
  let dirty = false;
  let writing: Promise<void> | undefined;
  const write = async (outcome: BatchOutcome, batch?: number, sent: readonly DlqMessage[] = []) => {
    // in one step, so every write carries a batch's counts and its sent ids together, or neither
    for (const message of sent) countedBefore.delete(message.messageId);
    if (batch !== undefined && sent.length > 0) inDoubt.set(batch, sent.map((message) => message.messageId));
    pending = { moved: pending.moved + outcome.moved, skipped: pending.skipped + outcome.skipped, unroutable: pending.unroutable + outcome.unroutable, held: [] };
    dirty = true;
    while (writing) await writing;
    // a write that started after this batch's call carried its counts and ids
    if (!dirty) return;
    const delta = pending;
    pending = emptyOutcome();
    dirty = false;
    const sentNotDeleted = [...countedBefore, ...[...inDoubt.values()].flat()];
    writing = recordProgress(deps, record, delta, nextHold, sentNotDeleted, options)
      .then((next) => {
        record = next;
      })
      .finally(() => {
        writing = undefined;
      });
    await writing;
  };

  /** The batch's counts and sent ids recorded, then its delete: a crash in between resends those messages, never recounts them. */
  const settle = async (batch: number, outcome: BatchOutcome, sent: readonly DlqMessage[]) => {
    await write(outcome, batch, sent);
    if (sent.length === 0) return;
    // deleted only after the send succeeded; a delete SQS did not take leaves the message to come back and be sent again (at least once)
    const { failed } = await deps.messages.delete(record.sourceArn, sent.map((message) => message.receiptHandle));
    if (failed.length > 0) deps.log.warn('moved messages not deleted from the DLQ; they will be moved again', { taskId, failed: failed.length, code: failed[0]!.code });
    inDoubt.delete(batch);
  };

  const loop = async () => {
    let confirmingEmpty = false;
    // the last batch's count write and delete, overlapping this loop's next receive
    let previous: Promise<void> = Promise.resolve();
    const mustStop = () => stop || record.status === TaskStatus.CANCELLING || canaryLeft(record) === 0;
    try {
      while (!mustStop()) {
        if (deps.clock.now().getTime() >= options.sliceEndsAt) {
          handingOn = true;
          break;
        }
        if (!overlap) await previous;
        let batch: DlqMessage[];
        try {
          // a short poll normally; an empty answer is confirmed once with a long poll, which asks every SQS server
          batch = await deps.messages.receive(record.sourceArn, {
            max: Math.min(BATCH, rate ?? BATCH),
            visibilitySeconds: options.visibilitySeconds,
            waitSeconds: confirmingEmpty ? 1 : 0,
          });
        } catch (error) {
          if (error instanceof SqsError && isNoSuchQueue(error)) {
            failureReason ??= NON_EXISTENT_QUEUE;
            break;
          }
          throw error;
        }
        // a cancel the last write met, a full canary or a failure stops this batch before anything of it is
        // sent; another loop's end of the pass does not (the batch is considered, as it was received)
        await previous;
        if (record.status === TaskStatus.CANCELLING || canaryLeft(record) === 0 || failureReason !== undefined) {
          if (batch.length > 0) await deps.messages.changeVisibility(record.sourceArn, batch.map((message) => message.receiptHandle), 0);
          break;
        }
        if (batch.length === 0) {
          if (confirmingEmpty) break;
          confirmingEmpty = true;
          continue;
        }
        confirmingEmpty = false;

        const { outcome, sent } = await sendBatch(deps, record, selection, batch, countedBefore, options);
        if (outcome.held.length > 0) {
          const index = nextHold;
          nextHold += 1;
          await deps.holds.put(taskId, index, outcome.held);
        }
        batchSeq += 1;
        previous = settle(batchSeq, outcome, sent);
        // awaited before the next send; marked handled now, so a failure while this loop waits on SQS is not an unhandled rejection
        previous.catch(() => undefined);
        summary.batches += 1;
        summary.moved += outcome.moved;
        summary.skipped += outcome.skipped;
        summary.unroutable += outcome.unroutable;
        if (outcome.failureReason) {
          failureReason ??= outcome.failureReason;
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
    if (failureReason) return await finish(deps, record, TaskStatus.FAILED, options, summary, failureReason);
    if (record.status === TaskStatus.CANCELLING) return await finish(deps, record, TaskStatus.CANCELLED, options, summary);
    if (handingOn && canaryLeft(record) > 0) return await handOn(deps, record, summary, [...countedBefore]);
    return await finish(deps, record, TaskStatus.COMPLETED, options, summary);
  } catch (error) {
    if (error instanceof LeaseLost) {
      summary.outcome = 'lease-lost';
      return summary;
    }
    throw error;
  }
}

function emptyOutcome(): BatchOutcome {
  return { moved: 0, skipped: 0, unroutable: 0, held: [] };
}

/**
 * The lease: one conditional write naming this invocation. A lease still live under another owner
 * means another mover works on the task. A batch of held handles stored by a mover that crashed
 * before its record write is found here (the next batch number already exists) and counted in.
 */
async function takeLease(deps: MoverDependencies, taskId: string, options: MoverOptions): Promise<TaskRecord | SliceOutcome> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const record = await deps.store.get(taskId);
    if (!record) return 'not-active';
    if (record.kind !== 'selective') return 'not-selective';
    if (isFinal(record.status)) return 'not-active';
    const now = deps.clock.now();
    if (record.leaseOwner && record.leaseOwner !== options.owner && record.leaseExpiresAt && record.leaseExpiresAt > now.toISOString()) {
      return 'leased-elsewhere';
    }
    let heldBatches = record.heldBatches ?? 0;
    let skipped = record.numberOfMessagesSkipped ?? 0;
    // concurrent loops may each have stored a batch whose record write was lost; read at once, not one after another
    const orphans = await Promise.all(Array.from({ length: LOOPS }, (_, at) => deps.holds.get(taskId, heldBatches + at)));
    const start = heldBatches;
    orphans.forEach((orphan, at) => {
      if (!orphan) return;
      skipped += orphan.length;
      heldBatches = start + at + 1;
    });
    const leased = nextRecord(record, { leaseOwner: options.owner, leaseExpiresAt: leaseUntil(now, options), heldBatches, numberOfMessagesSkipped: skipped }, now.toISOString());
    if (await deps.store.replace(record, leased)) return leased;
  }
  return 'leased-elsewhere';
}

/**
 * Matches a batch, holds what is not moved, sends the matches and releases what was not sent. Answers
 * what was sent (to be deleted once its count is recorded); a message counted before a crash is sent
 * again but not counted again.
 */
async function sendBatch(
  deps: MoverDependencies,
  record: TaskRecord,
  selection: MessageSelection,
  batch: readonly DlqMessage[],
  countedBefore: ReadonlySet<string>,
  options: MoverOptions,
): Promise<{ outcome: BatchOutcome; sent: DlqMessage[] }> {
  const outcome: BatchOutcome = { moved: 0, skipped: 0, unroutable: 0, held: [] };
  let allowance = canaryLeft(record);
  const toMove: DlqMessage[] = [];
  const surplus: string[] = [];
  for (const message of batch) {
    const verdict = verdictOf(selection, message, record.destinationArn);
    if (verdict === 'move') {
      if (countedBefore.has(message.messageId)) {
        // sent and counted before a crash, not deleted: sent again, within the allowance it already took
        toMove.push(message);
      } else if (allowance > 0) {
        toMove.push(message);
        allowance -= 1;
      } else {
        // the canary is full: a match past it is not considered by this task
        surplus.push(message.receiptHandle);
      }
    } else {
      outcome.held.push(message.receiptHandle);
      if (verdict === 'skip') outcome.skipped += 1;
      else outcome.unroutable += 1;
    }
  }
  if (outcome.held.length > 0) await deps.messages.changeVisibility(record.sourceArn, outcome.held, options.holdSeconds);

  const sentHandles = new Set<string>();
  const notSent: string[] = [...surplus];
  for (const [target, messages] of byTarget(toMove, record.destinationArn)) {
    if (outcome.failureReason) {
      notSent.push(...messages.map((message) => message.receiptHandle));
      continue;
    }
    const result = await sendAll(deps, record, target, messages);
    for (const handle of result.sent) sentHandles.add(handle);
    notSent.push(...result.notSent);
    if (result.failureReason) outcome.failureReason = result.failureReason;
  }
  const sent = toMove.filter((message) => sentHandles.has(message.receiptHandle));
  outcome.moved = sent.filter((message) => !countedBefore.has(message.messageId)).length;
  if (notSent.length > 0) await deps.messages.changeVisibility(record.sourceArn, notSent, 0);
  return { outcome, sent };
}

/** Matching messages by where they go, in the order received (FIFO group order kept within each). */
function byTarget(messages: readonly DlqMessage[], destinationArn: string | undefined): Map<string, DlqMessage[]> {
  const targets = new Map<string, DlqMessage[]>();
  for (const message of messages) {
    const target = destinationArn ?? message.sourceArn!;
    targets.set(target, [...(targets.get(target) ?? []), message]);
  }
  return targets;
}

/**
 * One SendMessageBatch; on a standard queue the entries SQS failed on its side are sent once more.
 * Anything still not sent fails the task (the rest stays in the DLQ): a destination that is gone or
 * refuses is not retried for hours.
 */
async function sendAll(
  deps: MoverDependencies,
  record: TaskRecord,
  target: string,
  messages: readonly DlqMessage[],
): Promise<{ sent: string[]; notSent: string[]; failureReason?: string }> {
  const fifo = isFifoQueueArn(target);
  const outgoing = messages.map((message, index) => outgoingOf(record, message, index, fifo));
  const handleOf = new Map(outgoing.map((entry, index) => [entry.id, messages[index]!.receiptHandle]));
  let pending = outgoing;
  let failed: FailedEntry[] = [];
  for (let attempt = 0; attempt < (fifo ? 1 : 2) && pending.length > 0; attempt += 1) {
    try {
      ({ failed } = await deps.messages.send(target, pending));
    } catch (error) {
      const reason = error instanceof SqsError ? (isNoSuchQueue(error) ? NON_EXISTENT_QUEUE : error.code) : 'InternalError';
      deps.log.error('selective move: send failed; the task fails and the rest stays in the DLQ', { taskId: record.taskId, target, error: String(error) });
      const failedIds = new Set(pending.map((entry) => entry.id));
      return split(outgoing, failedIds, handleOf, reason);
    }
    const retry = new Set(failed.filter((entry) => !entry.senderFault).map((entry) => entry.id));
    if (failed.some((entry) => entry.senderFault)) break;
    pending = pending.filter((entry) => retry.has(entry.id));
  }
  if (failed.length === 0) return { sent: outgoing.map((entry) => handleOf.get(entry.id)!), notSent: [] };
  deps.log.error('selective move: SQS did not take some messages; the task fails and they stay in the DLQ', { taskId: record.taskId, target, code: failed[0]!.code });
  return split(outgoing, new Set(failed.map((entry) => entry.id)), handleOf, failed[0]!.code);
}

function split(outgoing: readonly OutgoingMessage[], failedIds: ReadonlySet<string>, handleOf: ReadonlyMap<string, string>, failureReason: string) {
  return {
    sent: outgoing.filter((entry) => !failedIds.has(entry.id)).map((entry) => handleOf.get(entry.id)!),
    notSent: outgoing.filter((entry) => failedIds.has(entry.id)).map((entry) => handleOf.get(entry.id)!),
    failureReason,
  };
}

/**
 * Body and attributes as received. FIFO: the message's group, and a deduplication id of this task and
 * the message, so a send repeated after a crash (before the delete) is dropped by SQS within its
 * 5-minute window, while a later task may still send the same message again.
 */
function outgoingOf(record: TaskRecord, message: DlqMessage, index: number, fifo: boolean): OutgoingMessage {
  return {
    id: `m${index}`,
    body: message.body,
    messageAttributes: message.messageAttributes,
    ...(fifo ? { messageGroupId: message.messageGroupId ?? 'redrive', deduplicationId: `${record.taskId}:${message.messageId}`.slice(0, 128) } : {}),
  };
}

/** Adds one batch's counts to whatever the record is now (a cancel or an outbox drain may have written). */
async function recordProgress(
  deps: MoverDependencies,
  record: TaskRecord,
  outcome: BatchOutcome,
  heldBatches: number,
  sentNotDeleted: readonly string[],
  options: MoverOptions,
): Promise<TaskRecord> {
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && current; attempt += 1) {
    const now = deps.clock.now();
    const ours = current.leaseOwner === options.owner;
    const next = nextRecord(
      current,
      {
        approximateNumberOfMessagesMoved: current.approximateNumberOfMessagesMoved + outcome.moved,
        numberOfMessagesSkipped: (current.numberOfMessagesSkipped ?? 0) + outcome.skipped,
        numberOfMessagesUnroutable: (current.numberOfMessagesUnroutable ?? 0) + outcome.unroutable,
        heldBatches: Math.max(current.heldBatches ?? 0, heldBatches),
        sentNotDeleted: sentNotDeleted.length > 0 ? sentNotDeleted : undefined,
        ...(ours ? { leaseExpiresAt: leaseUntil(now, options) } : {}),
      },
      now.toISOString(),
    );
    if (await deps.store.replace(current, next)) {
      if (!ours) throw new LeaseLost();
      return next;
    }
    current = await deps.store.get(record.taskId);
    if (current && isFinal(current.status)) break;
  }
  deps.log.error('selective move: a batch\'s counts could not be recorded', { taskId: record.taskId, moved: outcome.moved, skipped: outcome.skipped });
  throw new LeaseLost();
}

/** Releases every held message, then records the final status and sends its event. */
async function finish(
  deps: MoverDependencies,
  record: TaskRecord,
  status: TaskStatus,
  options: MoverOptions,
  summary: SliceSummary,
  failureReason?: string,
): Promise<SliceSummary> {
  await releaseHeld(deps, record);
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && current && !isFinal(current.status); attempt += 1) {
    // a cancel claimed while the pass was ending: the task stopped because of it
    const final = current.status === TaskStatus.CANCELLING ? TaskStatus.CANCELLED : status;
    const next = finishedRecord(
      current,
      { status: final, ...(failureReason ? { failureReason } : {}), leaseOwner: undefined, leaseExpiresAt: undefined, heldBatches: 0, sentNotDeleted: undefined },
      deps.clock.now(),
      options.retentionDays,
    );
    if (await deps.store.replace(current, next)) {
      summary.outcome = 'finished';
      summary.status = final;
      const eventIds = (next.outbox ?? []).filter((event) => !(current!.outbox ?? []).some((old) => old.id === event.id)).map((event) => event.id);
      await drainOutboxes(deps, [{ record: next, eventIds }]).catch((error: unknown) => {
        deps.log.warn('selective task ended; its event is left in the outbox for the reconciler', { taskId: record.taskId, error: String(error) });
      });
      return summary;
    }
    current = await deps.store.get(record.taskId);
  }
  summary.outcome = 'lease-lost';
  return summary;
}

/** ChangeMessageVisibility to 0 for every held batch, then the batch's item is removed. */
async function releaseHeld(deps: MoverDependencies, record: TaskRecord): Promise<void> {
  // past the recorded count: batches stored just before a crash, whose record write was lost
  const batches = Array.from({ length: (record.heldBatches ?? 0) + LOOPS }, (_, batch) => batch);
  await inParallel(batches, RELEASE_CONCURRENCY, async (batch) => {
    const handles = await deps.holds.get(record.taskId, batch);
    if (!handles) return;
    await deps.messages.changeVisibility(record.sourceArn, handles, 0);
    await deps.holds.remove(record.taskId, batch);
  });
}

/** Frees the lease and invokes the next slice; without an invoker, or should the invocation be lost, the reconciler re-drives the task. */
async function handOn(deps: MoverDependencies, record: TaskRecord, summary: SliceSummary, stillInDoubt: readonly string[]): Promise<SliceSummary> {
  const now = deps.clock.now().toISOString();
  // every delete of this slice has answered: only ids carried from a crash and not yet seen again stay
  const next = nextRecord(record, { leaseExpiresAt: now, sentNotDeleted: stillInDoubt.length > 0 ? stillInDoubt : undefined }, now);
  if (!(await deps.store.replace(record, next))) {
    summary.outcome = 'lease-lost';
  } else {
    summary.outcome = 'handed-on';
  }
  await deps.mover?.invoke(record.taskId).catch((error: unknown) => {
    deps.log.warn('could not hand the task on; the reconciler re-drives it', { taskId: record.taskId, error: String(error) });
  });
  return summary;
}

function canaryLeft(record: TaskRecord): number {
  return record.maxMessages === undefined ? Number.POSITIVE_INFINITY : Math.max(0, record.maxMessages - record.approximateNumberOfMessagesMoved);
}

function leaseUntil(now: Date, options: MoverOptions): string {
  return new Date(now.getTime() + options.leaseSeconds * 1000).toISOString();
}
