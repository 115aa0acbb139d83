// adapter --> cancelTask --> task table (conditional claim; adoption if unknown) --> SQS CancelMessageMoveTask --> task table --> events
import type { ControllerDependencies } from '../ports';
import type { CancelRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { TaskEventType, taskEventId } from '../task-event';
import type { TaskHandle } from '../task-handle';
import type { Actor, TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';
import { adoptedRecord, nextRecord, withOutbox } from '../transitions';
import { removeFromOutbox, sendClaimed, type OutboxClaim } from './drain-outbox';

export interface CancelResult {
  readonly approximateNumberOfMessagesMoved: number;
  readonly record: TaskRecord;
}

/** Re-reads after losing a write to a reconciler's progress update; cancels racing each other need one. */
const MAX_CLAIM_ATTEMPTS = 5;

/**
 * Cancels a RUNNING task. The check-and-change RUNNING → CANCELLING is one conditional write:
 * cancels race, and only the winner calls SQS. If SQS does not take the cancel, the claim is given
 * back (and its promised event withdrawn), so the record never claims a cancel that did not happen.
 * A handle the table does not know, of a managed queue, is adopted if SQS shows its task RUNNING.
 */
export async function cancelTask(deps: ControllerDependencies, request: CancelRequest, actor: Actor): Promise<CancelResult> {
  const { handle } = request;
  deps.scope.checkSource(handle.source, 'TaskHandle.sourceArn');

  const at = deps.clock.now().toISOString();
  const { record: claimed, eventIds } = await claimCancel(deps, handle, actor, at);

  let moved: number;
  try {
    ({ approximateNumberOfMessagesMoved: moved } = await deps.sqs.cancel(handle.handle));
  } catch (error) {
    const summary = error instanceof SqsError ? `${error.code}: ${error.message}` : String(error);
    const released = await releaseClaim(deps, claimed, `cancel by ${actor.by} at ${at} failed: ${summary}`).catch((releaseError: unknown) => {
      deps.log.error('cancel failed and its claim could not be released; the reconciler settles it', {
        taskId: handle.taskId,
        error: String(releaseError),
      });
      return false;
    });
    if (!released) deps.log.warn('cancel claim left CANCELLING for the reconciler', { taskId: handle.taskId });
    throw error;
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

async function claimCancel(deps: ControllerDependencies, handle: TaskHandle, actor: Actor, at: string): Promise<OutboxClaim> {
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
    let record = await deps.store.get(handle.taskId);
    let adoptedHere: string[] = [];
    if (!record) {
      const adoption = await adopt(deps, handle, at);
      record = adoption?.record;
      // the Started event of an adoption this call wrote is ours to send, with the cancel's
      if (adoption?.created) adoptedHere = (adoption.record.outbox ?? []).map((event) => event.id);
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
      { status: TaskStatus.CANCELLING, cancelRequestedAt: at, cancelledBy: actor.by, cancelReason: actor.reason },
      at,
      TaskEventType.CancelRequested,
    );
    // conditional write: cancels race; only the winner calls SQS
    if (await deps.store.replace(record, claim)) {
      return { record: claim, eventIds: [...adoptedHere, taskEventId(claim.taskId, TaskEventType.CancelRequested, claim.version)] };
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
    // SQS refusing the question (no such queue) means no such task; its own faults are the caller's to retry
    if (error instanceof SqsError && error.isCallerFault) return undefined;
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

/** CANCELLING → RUNNING, conditional on the claim's version; withdraws the claim's unsent event. */
async function releaseClaim(deps: ControllerDependencies, claimed: TaskRecord, error: string): Promise<boolean> {
  const requested = taskEventId(claimed.taskId, TaskEventType.CancelRequested, claimed.version);
  const released = nextRecord(
    withOutbox(claimed, (claimed.outbox ?? []).filter((event) => event.id !== requested)),
    { status: TaskStatus.RUNNING, lastCancelError: error.slice(0, 2048), cancelRequestedAt: undefined, cancelledBy: undefined, cancelReason: undefined },
    deps.clock.now().toISOString(),
  );
  return deps.store.replace(claimed, released);
}
