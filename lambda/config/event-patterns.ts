/**
 * The rules' event patterns, as plain data in EventBridge's own JSON form: one definition, read by
 * the CDK stack and by the local stack, so both route exactly the same events to the events function.
 * (CDK's `events.EventPattern` spells `detail-type` as `detailType`.)
 */
import { INVENTORY_CHANGED_DETAIL_TYPE } from '../domain/dlq/inventory-event';
import { ALARM_DETAIL_TYPE, ALARM_SOURCE, ALARM_STATE, CANCEL_DETAIL_TYPE } from '../domain/event-types';
import { RECOVERY_EVENT_DETAIL_TYPE } from '../domain/recovery/recovery-ports';
import { EVENT_SOURCE, TaskEventType } from '../domain/task-event';

export { ALARM_DETAIL_TYPE, ALARM_SOURCE, ALARM_STATE, CANCEL_DETAIL_TYPE };

/** an alarm's healthy state; recovery's rule matches it too */
export const OK_STATE = 'OK';

/** The controller's own bus for cancel events (API contract, section 4), unless the deployment names another. */
export const CONTROLLER_EVENT_BUS = 'redrive-controller';

/**
 * The controller's own bus for the events it publishes (task transitions, inventory changes, recovery
 * states), unless the deployment names another (`eventBusName`). Its policy denies PutEvents to every
 * principal but the controller's functions, so `source: redrive-controller` on it is the controller's word.
 */
export const CONTROLLER_OUTBOUND_BUS = 'redrive-controller-events';

export type CancelEventPattern = {
  readonly account: readonly string[];
  readonly region: readonly string[];
  readonly source?: readonly string[];
  readonly 'detail-type': readonly string[];
};

export type AlarmEventPattern = {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly account: readonly string[];
  readonly region: readonly string[];
  readonly resources: readonly string[];
  readonly detail: { readonly state: { readonly value: readonly string[] } };
};

/**
 * `Cancel Message Move Task` events from the allowed sender accounts, in this region. `account` is
 * set by EventBridge (the sending account), unlike `source`, which the sender writes. The detail is
 * not part of the pattern on purpose: a malformed detail still reaches the function, which logs why
 * it dropped the event.
 * @param options.sources routing only, not authentication; @default - any source
 */
export function cancelEventPattern(options: { accounts: readonly string[]; region: string; sources?: readonly string[] }): CancelEventPattern {
  const { sources } = options;
  if (options.accounts.length === 0) throw new Error('accounts must list at least the controller\'s own account');
  if (sources !== undefined && sources.length === 0) {
    throw new Error('sources must list at least one event source; leave it out to accept events from any source');
  }
  return {
    account: [...options.accounts],
    region: [options.region],
    ...(sources ? { source: [...sources] } : {}),
    'detail-type': [CANCEL_DETAIL_TYPE],
  };
}

/**
 * The circuit breaker: state changes to ALARM of the configured alarms, by ARN in this account and
 * region (an alarm of the same name elsewhere does not match). Only AWS emits `aws.cloudwatch`.
 * With recovery policies the rule also matches OK (`withOk`): recovery resumes once they are healthy.
 * Throws for an empty list (EventBridge refuses an empty value list): leave the rule out instead.
 */
export function alarmEventPattern(options: { alarmNames: readonly string[]; partition: string; account: string; region: string; withOk?: boolean }): AlarmEventPattern {
  if (options.alarmNames.length === 0) {
    throw new Error('alarmNames must list at least one alarm; with no circuit breaker alarms, create no alarm rule');
  }
  return {
    source: [ALARM_SOURCE],
    'detail-type': [ALARM_DETAIL_TYPE],
    account: [options.account],
    region: [options.region],
    resources: options.alarmNames.map((name) => alarmArn(options.partition, options.region, options.account, name)),
    detail: { state: { value: options.withOk ? [ALARM_STATE, OK_STATE] : [ALARM_STATE] } },
  };
}

/** A CloudWatch alarm's ARN, as alarm state change events list it in `resources`. */
export function alarmArn(partition: string, region: string, account: string, alarmName: string): string {
  return `arn:${partition}:cloudwatch:${region}:${account}:alarm:${alarmName}`;
}

/**
 * What a rule's target hands the events function: the rule's name (EventBridge does not put it in
 * the event; cancelledBy records it) and the event itself. Deployed, the target's input transformer
 * builds it: InputPathsMap `{"event": "$"}`, InputTemplate
 * `{"ruleName":"<aws.events.rule-name>","event":<event>}` (in CDK,
 * `RuleTargetInput.fromObject({ ruleName: RULE_NAME_VARIABLE, event: EventField.fromPath('$') })`).
 */
export interface RuleDelivery<Event = unknown> {
  readonly ruleName: string;
  readonly event: Event;
}

/** EventBridge's predefined input transformer variable for the rule's name */
export const RULE_NAME_VARIABLE = '<aws.events.rule-name>';

export type OrgForwardPattern = {
  readonly source: readonly string[];
  readonly account: readonly string[];
  readonly 'detail-type': readonly string[];
};

/**
 * What an account forwards to the org bus: its controller's own outgoing events (task transitions,
 * the inventory's changes, recovery states), from its own account. Nothing else on its bus leaves the account.
 */
export function orgForwardPattern(options: { account: string }): OrgForwardPattern {
  return { source: [EVENT_SOURCE], account: [options.account], 'detail-type': [...Object.values(TaskEventType), INVENTORY_CHANGED_DETAIL_TYPE, RECOVERY_EVENT_DETAIL_TYPE] };
}
