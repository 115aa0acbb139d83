// adapter --> cancelTask --> task table (conditional claim; adoption if unknown) --> SQS CancelMessageMoveTask --> task table --> events
import { matchMoveTask } from '../match-move-task';
import { isMoverKind } from '../mover/mover-kind';
import type { ControllerDependencies, MoveTaskSummary } from '../ports';
import type { CancelRequest } from '../requests';
import { isNoSuchQueue, SqsError } from '../sqs-error';
import { taskEventId, TaskEventType } from '../task-event';
import type { TaskHandle } from '../task-handle';
import type { Actor, TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';
import { addedEventIds, adoptedRecord, nextRecord, withOutbox } from '../transitions';
import { drainOutboxes, type OutboxClaim, removeFromOutbox, sendClaimed } from './drain-outbox';

export interface CancelResult {
  readonly approximateNumberOfMessagesMoved: number;
  readonly record: TaskRecord;
}

/** Re-reads after losing a write to a reconciler's progress update; cancels racing each other need one. */
const MAX_CLAIM_ATTEMPTS = 5;
/** ListMessageMoveTasks' page: a queue's newest tasks, ours among them. */
const LIST_LIMIT = 10;

/**
 * Cancels a RUNNING task. The check-and-change RUNNING → CANCELLING is one conditional write:
 * cancels race, and only the winner calls SQS. If SQS does not take the cancel, the claim is given
 * back (and its promised event withdrawn), so the record never claims a cancel that did not happen;
 * if SQS's answer is lost, SQS is asked what happened (settleFailedCancel).
 * A handle the table does not know, of a managed queue, is adopted if SQS shows its task RUNNING.
 */
export async function cancelTask(deps: ControllerDependencies, request: CancelRequest, actor: Actor): Promise<CancelResult> {
  const { handle } = request;
  deps.scope.checkSource(handle.source, 'TaskHandle.sourceArn');

  const at = deps.clock.now().toISOString();
  const { record: claimed, eventIds } = await claimCancel(deps, handle, actor, at);
  if (isMoverKind(claimed.kind)) return cancelSelective(deps, claimed, eventIds);

  let moved: number;
  try {
    ({ approximateNumberOfMessagesMoved: moved } = await deps.sqs.cancel(handle.handle));
  } catch (error) {
    moved = await settleFailedCancel(deps, claimed, actor, at, error);
  }

  try {
    // send the claim's events first, so one write records the count and removes what was sent
    const sent = await sendClaimed(deps, [{ record: claimed, eventIds }]).catch((error: unknown) => {
      deps.log.warn('cancel accepted by SQS; its event is left in the outbox for the reconciler', { taskId: handle.taskId, error: String(error) });
      return new Set<string>();
    });
    const accepted = withOutbox(
      nextRecord(claimed, { approximateNumberOfMessagesMoved: moved }, deps.clock.now().toISOString()),
      (claimed.outbox ?? []).filter((event) => !sent.has(event.id)),
    );
    if (!(await deps.store.replace(claimed, accepted)) && sent.size > 0) await removeFromOutbox(deps, claimed, sent);
  } catch (error) {
    // SQS took the cancel; the record says CANCELLING, and the reconciler fills in the count.
    deps.log.warn('cancel accepted by SQS but its count was not recorded', { taskId: handle.taskId, error: String(error) });
  }
  return { approximateNumberOfMessagesMoved: moved, record: claimed };
}

/**
 * The controller's own mover stops at its next write, which the claim makes fail: no SQS call. A
 * mover not working on the task now (between slices, or crashed) is invoked to end it.
 */
async function cancelSelective(deps: ControllerDependencies, claimed: TaskRecord, eventIds: readonly string[]): Promise<CancelResult> {
  await drainOutboxes(deps, [{ record: claimed, eventIds }]).catch((error: unknown) => {
    deps.log.warn('cancel recorded; its event is left in the outbox for the reconciler', { taskId: claimed.taskId, error: String(error) });
  });
  const leaseLive = claimed.leaseExpiresAt !== undefined && claimed.leaseExpiresAt > deps.clock.now().toISOString();
  if (!leaseLive && deps.mover) {
    await deps.mover.invoke(claimed.taskId).catch((error: unknown) => {
      deps.log.warn('cancel recorded but the mover was not invoked; the reconciler re-drives it', { taskId: claimed.taskId, error: String(error) });
    });
  }
  return { approximateNumberOfMessagesMoved: claimed.approximateNumberOfMessagesMoved, record: claimed };
}

async function claimCancel(deps: ControllerDependencies, handle: TaskHandle, actor: Actor, at: string): Promise<OutboxClaim> {
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
    let record = await deps.store.get(handle.taskId);
    let adoptedHere: string[] = [];
    if (!record) {
      const adoption = await adopt(deps, handle, at);
      record = adoption?.record;
      // the Started event of an adoption this call wrote is ours to send, with the cancel's
      if (adoption?.created) adoptedHere = addedEventIds(undefined, adoption.record);
    }
    // a handle that names a known task id but is not that task's handle is no handle of ours
    if (!record || record.taskHandle !== handle.handle) {
      throw new SqsError('ResourceNotFoundException', `No task with this TaskHandle is recorded or running (task id ${handle.taskId})`);
    }
    if (record.status !== TaskStatus.RUNNING) {
      throw new SqsError('InvalidParameterValue', `Only RUNNING tasks can be cancelled; task ${handle.taskId} is ${record.status}`);
    }
    const claim = nextRecord(
      record,
      { status: TaskStatus.CANCELLING, cancelRequestedAt: at, cancelledBy: actor.by, cancelReason: actor.reason, cancelEventSource: actor.eventSource },
      at,
      TaskEventType.CancelRequested,
    );
    // conditional write: cancels race; only the winner calls SQS
    if (await deps.store.replace(record, claim)) {
      return { record: claim, eventIds: [...adoptedHere, ...addedEventIds(record, claim)] };
    }
  }
  throw new SqsError('ServiceUnavailable', `Task ${handle.taskId} changed while the cancel was being recorded; try again`, 503);
}

/** A task SQS runs that the table does not know: recorded as adopted, then cancelled like any other. */
async function adopt(deps: ControllerDependencies, handle: TaskHandle, at: string): Promise<{ record: TaskRecord; created: boolean } | undefined> {
  let entries;
  try {
    entries = await deps.sqs.list(handle.source.arn, 10);
  } catch (error) {
    // no such queue means no such task; any other refusal (throttled, access denied, KMS) or SQS
    // fault is passed on as it is, for the caller (or the event's platform retries) to act on
    if (error instanceof SqsError && isNoSuchQueue(error)) return undefined;
    throw error;
  }
  const entry = entries.find((candidate) => candidate.status === TaskStatus.RUNNING && candidate.taskHandle === handle.handle);
  if (!entry) return undefined;
  const record = adoptedRecord(handle.taskId, entry, at);
  if (await deps.store.create(record)) {
    deps.log.warn('adopted a task started outside the controller', { taskId: handle.taskId, sourceArn: entry.sourceArn });
    return { record, created: true };
  }
  const meanwhile = await deps.store.get(handle.taskId); // adopted meanwhile by the reconciler
  return meanwhile ? { record: meanwhile, created: false } : undefined;
}

/**
 * SQS's cancel failed; answers the count if SQS did cancel, else throws. A refusal (4xx: throttled
 * after the adapter's backoff, or "Only active tasks can be cancelled" for a task that ended) means
 * SQS did not act: the claim is given back and SQS's error answered; for an ended task the reconciler
 * records how it ended. Any other failure (5xx, timeout, network) may hide an accepted cancel, so SQS
 * is asked: CANCELLING/CANCELLED means the cancel happened (keep the claim, answer its count); any
 * other status means it did not (give back, answer the error); no answer, or no entry that is our
 * task, means nobody knows: the record stays CANCELLING for the reconciler and the caller gets a 503.
 */
async function settleFailedCancel(deps: ControllerDependencies, claimed: TaskRecord, actor: Actor, at: string, error: unknown): Promise<number> {
  const summary = error instanceof SqsError ? `${error.code}: ${error.message}` : String(error);
  if (!(error instanceof SqsError && error.isCallerFault)) {
    let entry: MoveTaskSummary | undefined;
    try {
      entry = matchMoveTask(claimed, await deps.sqs.list(claimed.sourceArn, LIST_LIMIT));
    } catch (listError) {
      deps.log.error('cancel outcome unknown: SQS could not be asked; the reconciler settles it', { taskId: claimed.taskId, error: summary, listError: String(listError) });
    }
    if (entry?.status === TaskStatus.CANCELLING || entry?.status === TaskStatus.CANCELLED) {
      deps.log.warn('SQS took the cancel though its answer was lost', { taskId: claimed.taskId, error: summary });
      return entry.approximateNumberOfMessagesMoved;
    }
    if (!entry) {
      throw new SqsError(
        'ServiceUnavailable',
        `The cancel's outcome is unknown: SQS failed (${summary}) and could not show whether it took the cancel; task ${claimed.taskId} stays CANCELLING and the reconciler settles it`,
        503,
        { cause: error },
      );
    }
  }
  const released = await releaseClaim(deps, claimed, `cancel by ${actor.by} at ${at} failed: ${summary}`).catch((releaseError: unknown) => {
    deps.log.error('cancel failed and its claim could not be released; the reconciler settles it', { taskId: claimed.taskId, error: String(releaseError) });
    return false;
  });
  if (!released) deps.log.warn('cancel claim left CANCELLING for the reconciler', { taskId: claimed.taskId });
  throw error;
}

/**
 * CANCELLING → RUNNING, withdrawing the claim's unsent event. A reconciler's progress write (a new
 * count) may land between the claim and this release: re-read and release again while the record is
 * still this claim (same cancelRequestedAt and cancelledBy). Otherwise, after the grace, the reconciler
 * would re-issue the cancel the caller was told failed.
 */
async function releaseClaim(deps: ControllerDependencies, claimed: TaskRecord, error: string): Promise<boolean> {
  const requested = taskEventId(claimed.taskId, TaskEventType.CancelRequested, claimed.version);
  let current: TaskRecord | undefined = claimed;
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS && current && isSameClaim(current, claimed); attempt += 1) {
    const released = nextRecord(
      withOutbox(current, (current.outbox ?? []).filter((event) => event.id !== requested)),
      { status: TaskStatus.RUNNING, lastCancelError: error.slice(0, 2048), cancelRequestedAt: undefined, cancelledBy: undefined, cancelReason: undefined, cancelEventSource: undefined },
      deps.clock.now().toISOString(),
    );
    if (await deps.store.replace(current, released)) return true;
    current = await deps.store.get(claimed.taskId);
  }
  return false;
}

function isSameClaim(record: TaskRecord, claimed: TaskRecord): boolean {
  return (
    record.status === TaskStatus.CANCELLING &&
    record.taskHandle === claimed.taskHandle &&
    record.cancelRequestedAt === claimed.cancelRequestedAt &&
    record.cancelledBy === claimed.cancelledBy
  );
}
