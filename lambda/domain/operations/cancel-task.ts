// adapter --> cancelTask --> task table (conditional claim) --> SQS CancelMessageMoveTask --> task table
import type { ControllerDependencies } from '../ports';
import type { CancelRequest } from '../requests';
import { SqsError } from '../sqs-error';
import type { Actor, TaskRecord } from '../task-record';

export interface CancelResult {
  readonly approximateNumberOfMessagesMoved: number;
  readonly record: TaskRecord;
}

/**
 * Cancels a RUNNING task. The check-and-change RUNNING → CANCELLING is one conditional write:
 * cancels race, and only the winner calls SQS. If SQS does not take the cancel, the claim is given
 * back, so the record never claims a cancel that did not happen.
 */
export async function cancelTask(deps: ControllerDependencies, request: CancelRequest, actor: Actor): Promise<CancelResult> {
  const { handle } = request;
  deps.scope.checkSource(handle.source, 'TaskHandle.sourceArn');

  const at = deps.clock.now().toISOString();
  const claim = await deps.store.claimCancel(handle.taskId, handle.handle, {
    at,
    by: actor.by,
    ...(actor.reason === undefined ? {} : { reason: actor.reason }),
  });
  if (claim.outcome === 'not-found') {
    throw new SqsError('ResourceNotFoundException', `No task with this TaskHandle is recorded (task id ${handle.taskId})`);
  }
  if (claim.outcome === 'not-running') {
    throw new SqsError(
      'InvalidParameterValue',
      `Only RUNNING tasks can be cancelled; task ${handle.taskId} is ${claim.record.status}`,
    );
  }

  let moved: number;
  try {
    ({ approximateNumberOfMessagesMoved: moved } = await deps.sqs.cancel(handle.handle));
  } catch (error) {
    const summary = error instanceof SqsError ? `${error.code}: ${error.message}` : String(error);
    const released = await deps.store
      .releaseCancelClaim(handle.taskId, claim.record.version, `cancel by ${actor.by} at ${at} failed: ${summary}`, deps.clock.now().toISOString())
      .catch((releaseError: unknown) => {
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
    await deps.store.recordCancelAccepted(handle.taskId, moved, deps.clock.now().toISOString());
  } catch (error) {
    // SQS took the cancel; the record already says CANCELLING and the reconciler fills in the count.
    deps.log.warn('cancel accepted by SQS but its count was not recorded', { taskId: handle.taskId, error: String(error) });
  }
  return { approximateNumberOfMessagesMoved: moved, record: claim.record };
}
