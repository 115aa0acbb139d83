// StartMessageMoveTask (API) --> checkRecoveryPause --> refused with the alarm's name while PAUSED, unless Force
import type { IncomingEvent } from '../event-requests';
import type { ControllerDependencies } from '../ports';
import type { QueueArn } from '../queue-arn';
import { firingAlarms, RecoveryState } from '../recovery/recovery-state';
import { SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import { advanceRecovery } from './advance-recovery';

/**
 * A person's start of a DLQ that recovery has PAUSED (an alarm fires) is refused, naming the alarm,
 * unless it says `"Force": true` (recorded in the task). One read, and only for a DLQ with a policy.
 */
export async function checkRecoveryPause(deps: ControllerDependencies, source: QueueArn, force: boolean): Promise<void> {
  const policy = deps.recovery?.policies.get(source.arn);
  if (!policy || force) return;
  const record = await deps.recovery!.recoveries.get(source.arn);
  if (record?.state !== RecoveryState.PAUSED) return;
  const firing = firingAlarms(record, policy.alarms);
  const named = firing.length > 0 ? `alarm ${firing.join(', ')} is in ALARM` : `it waits for its alarms (${policy.alarms.join(', ')}) to stay OK`;
  throw new SqsError(
    'InvalidParameterValue',
    `${source.queueName} is PAUSED by recovery: ${named} since ${record.since}. A start now would feed a failing consumer; add "Force": true to start anyway (recorded)`,
  );
}

/** A person's cancel of a DLQ with a recovery policy holds it: nothing automatic until a person releases it. */
export async function holdAfterPersonCancel(deps: ControllerDependencies, task: TaskRecord, by: string, reason: string | undefined): Promise<void> {
  const policy = deps.recovery?.policies.get(task.sourceArn);
  if (!policy) return;
  try {
    await advanceRecovery(deps, deps.recovery!, policy, { kind: 'person-cancel', by, ...(reason ? { reason } : {}) });
  } catch (error) {
    // the cancel happened; the tick holds the DLQ anyway when it finds the run's task cancelled
    deps.log.error('cancel done, but the recovery was not held', { dlqArn: task.sourceArn, error: String(error) });
  }
}

/** A cancel event's cancel holds the DLQ too: its sender is a person's tooling (alarms are recovery's own). */
export async function holdAfterEventCancel(deps: ControllerDependencies, taskId: string, event: IncomingEvent): Promise<void> {
  if (!deps.recovery) return;
  const task = await deps.store.get(taskId);
  if (!task) return;
  const reason = (event.detail as { Reason?: unknown } | null)?.Reason;
  await holdAfterPersonCancel(deps, task, `account ${event.account ?? '(none)'} via rule ${event.ruleName}`, typeof reason === 'string' ? reason : undefined);
}
