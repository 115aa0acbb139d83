import { withRecoveryAlarms } from '../lambda/config/environment';
import { circuitBreakerAlarms, type ControllerConfig } from './config/controller-config';

/**
 * The CloudWatch actions that change what a mapped alarm says: `SetAlarmState` sets its state outright
 * (the state change event follows at once), `PutMetricAlarm` and `PutCompositeAlarm` redefine it
 * (threshold, metric, rule), `DeleteAlarms` silences it (a circuit breaker that never trips). Each takes
 * the alarm as its resource:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
export const ALARM_CHANGING_ACTIONS = ['cloudwatch:SetAlarmState', 'cloudwatch:PutMetricAlarm', 'cloudwatch:PutCompositeAlarm', 'cloudwatch:DeleteAlarms'] as const;

/**
 * An SCP statement (docs/permissions.md) that denies changing the alarms the controller acts on (the
 * circuit breakers' and the recovery policies') to every principal but `alarmOwners`: whoever may set
 * such an alarm's state or redefine it can cancel, pause or resume redrives without any right on the
 * controller's API. An organization's SCP, not the stack: a stack cannot deny principals of its account.
 */
export function alarmGuardStatement(config: ControllerConfig, alarmOwners: readonly string[]): Record<string, unknown> {
  const alarms = Object.keys(withRecoveryAlarms(circuitBreakerAlarms(config.circuitBreakers), config.recoveryPolicies)).sort();
  if (alarms.length === 0) throw new Error(`config ${config.name} maps no alarm (circuitBreakers, recoveryPolicies): nothing to guard`);
  if (alarmOwners.length === 0) throw new Error('alarmOwners must name who deploys the alarms: with nobody, they could never be changed again');
  return {
    Sid: 'OnlyAlarmOwnersChangeRedriveAlarms',
    Effect: 'Deny',
    Action: [...ALARM_CHANGING_ACTIONS],
    Resource: alarms.map((name) => `arn:${config.partition}:cloudwatch:${config.region}:${config.account}:alarm:${name}`),
    Condition: { ArnNotLike: { 'aws:PrincipalArn': [...alarmOwners] } },
  };
}
