// alarm state change (events function) --> recoverFromAlarm --> advanceRecovery per DLQ whose policy names the alarm
import type { IncomingEvent } from '../event-requests';
import { type EventSenderPolicy, refuseEventSender } from '../event-sender';
import { ALARM_DETAIL_TYPE, ALARM_SOURCE } from '../event-types';
import type { ControllerDependencies } from '../ports';
import { readAlarmChange } from '../recovery/alarm-change';
import type { RecoveryPolicy } from '../recovery/recovery-policy';
import type { RecoveryDependencies } from '../recovery/recovery-ports';
import type { RecoveryState } from '../recovery/recovery-state';
import { advanceRecovery } from './advance-recovery';

export interface RecoveryEventOutcome {
  readonly dlqArn: string;
  readonly state?: RecoveryState;
  readonly ignored?: string;
}

/**
 * The DLQs with a recovery policy naming the alarm are recovery's: their pause (and the cancel it
 * promises) is decided by the alarm's state timestamp. Answers what became of each; none when the
 * event is no alarm change of a policy's alarm. Transient failures are thrown, for the platform's retries.
 */
export async function recoverFromAlarm(
  deps: ControllerDependencies,
  recovery: RecoveryDependencies,
  event: IncomingEvent,
  senders: EventSenderPolicy,
): Promise<RecoveryEventOutcome[]> {
  if (event.detailType !== ALARM_DETAIL_TYPE || event.source !== ALARM_SOURCE) return [];
  // the circuit breaker logs the same refusal for the event
  if (refuseEventSender(event, senders)) return [];
  const change = readAlarmChange(event.detail);
  const alarmName = 'kind' in change ? change.alarmName : (event.detail as { alarmName?: unknown } | null)?.alarmName;
  const policies = [...recovery.policies.values()].filter((policy) => policy.alarms.includes(alarmName as string));
  if (!('kind' in change)) return policies.map((policy) => ({ dlqArn: policy.dlq, ignored: change.ignored }));
  const outcomes: RecoveryEventOutcome[] = [];
  // one at a time: a transient failure stops the rest, and the retry finds the first ones already applied
  for (const policy of policies) outcomes.push(await applyTo(deps, recovery, policy, change));
  return outcomes;
}

async function applyTo(deps: ControllerDependencies, recovery: RecoveryDependencies, policy: RecoveryPolicy, change: Parameters<typeof advanceRecovery>[3]): Promise<RecoveryEventOutcome> {
  const outcome = await advanceRecovery(deps, recovery, policy, change);
  return 'refused' in outcome ? { dlqArn: policy.dlq, ignored: outcome.refused } : { dlqArn: policy.dlq, state: outcome.record.state };
}

/** The alarm map without the DLQs recovery decides for: what the circuit breaker cancels on its own. */
export function breakerOnlyAlarms(alarms: Readonly<Record<string, readonly string[]>>, recovery: RecoveryDependencies | undefined): Record<string, readonly string[]> {
  const result: Record<string, readonly string[]> = Object.create(null);
  for (const [name, queues] of Object.entries(alarms)) {
    const left = queues.filter((queue) => !recovery?.policies.has(queue));
    if (left.length > 0) result[name] = left;
  }
  return result;
}
