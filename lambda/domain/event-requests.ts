// incoming event (from the adapter) --> readIncomingEvent --> a cancel request, or why there is none
import { ALARM_DETAIL_TYPE, ALARM_SOURCE, ALARM_STATE, CANCEL_DETAIL_TYPE } from './event-types';
import { parseQueueArn, type QueueArn } from './queue-arn';
import { MAX_REASON_LENGTH, type Params,readReason } from './requests';
import { quote, SqsError } from './sqs-error';
import { parseTaskHandle, type TaskHandle } from './task-handle';

/** An event as a rule delivered it, in the domain's words (no Lambda or EventBridge types). */
export interface IncomingEvent {
  readonly id?: string;
  /** written by the sender: routing only, never an identity */
  readonly source: string;
  /** the sending account, as EventBridge sets it; recorded in cancelledBy */
  readonly account?: string;
  readonly region?: string;
  readonly detailType: string;
  readonly detail: unknown;
  /** the rule that delivered it; recorded in cancelledBy */
  readonly ruleName: string;
}

export type CancelTarget =
  | { readonly kind: 'handle'; readonly handle: TaskHandle }
  | { readonly kind: 'queue'; readonly source: QueueArn };

export interface EventCancelRequest {
  readonly target: CancelTarget;
  readonly reason?: string;
  /** `account <sending account> via rule <rule name>`: what EventBridge vouches for */
  readonly by: string;
  /** the event's `source`, as the sender wrote it: kept, labelled, never the identity */
  readonly eventSource: string;
}

/** The circuit breaker's configuration: alarm name → ARNs of the DLQs whose redrives it stops. */
export type CircuitBreakerAlarms = Readonly<Record<string, readonly string[]>>;

export type EventReading =
  | { readonly kind: 'cancel'; readonly request: EventCancelRequest }
  /** an alarm guarding several DLQs: one cancel per DLQ, in the configured order */
  | { readonly kind: 'cancel-each'; readonly requests: readonly EventCancelRequest[] }
  | { readonly kind: 'ignore'; readonly reason: string };

/**
 * What an event asks for. Throws SqsError when the event is one we act on but its detail is
 * malformed; answers `ignore` for events that ask nothing of us (an OK state, an unmapped alarm).
 */
export function readIncomingEvent(event: IncomingEvent, alarms: CircuitBreakerAlarms): EventReading {
  const by = { by: `account ${event.account ?? '(none)'} via rule ${event.ruleName}`, eventSource: event.source };
  if (event.detailType === CANCEL_DETAIL_TYPE) return { kind: 'cancel', request: readCancelDetail(event.detail, by) };
  if (event.detailType === ALARM_DETAIL_TYPE && event.source === ALARM_SOURCE) return readAlarmDetail(event.detail, alarms, by);
  return {
    kind: 'ignore',
    reason: `detail-type ${quote(event.detailType)} from source ${quote(event.source)} is not an event this controller acts on`,
  };
}

type Sender = Pick<EventCancelRequest, 'by' | 'eventSource'>;

function readCancelDetail(detail: unknown, by: Sender): EventCancelRequest {
  const params = asObject(detail, `detail must be a JSON object with "TaskHandle" or "SourceArn"`);
  const handle = own(params, 'TaskHandle');
  const source = own(params, 'SourceArn');
  if (handle !== undefined && source !== undefined) {
    throw new SqsError('InvalidParameterValue', 'detail must name either TaskHandle or SourceArn, not both');
  }
  if (handle === undefined && source === undefined) {
    throw new SqsError('MissingParameter', 'detail.TaskHandle (a task handle) or detail.SourceArn (a DLQ ARN) is required');
  }
  const reason = readReason(params);
  const target: CancelTarget =
    handle !== undefined
      ? { kind: 'handle', handle: parseTaskHandle(handle, 'detail.TaskHandle') }
      : { kind: 'queue', source: parseQueueArn(source, 'detail.SourceArn') };
  return { target, ...by, ...(reason === undefined ? {} : { reason }) };
}

function readAlarmDetail(detail: unknown, alarms: CircuitBreakerAlarms, by: Sender): EventReading {
  const params = asObject(detail, 'detail must be a CloudWatch alarm state change (a JSON object)');
  const alarmName = own(params, 'alarmName');
  if (typeof alarmName !== 'string' || alarmName.length === 0) {
    throw new SqsError('InvalidParameterValue', `detail.alarmName must be an alarm name, got ${quote(alarmName)}`);
  }
  const stateValue = own(params, 'state');
  const state = typeof stateValue === 'object' && stateValue !== null ? (stateValue as Params) : {};
  const value = own(state, 'value');
  if (value !== ALARM_STATE) return { kind: 'ignore', reason: `alarm ${alarmName} changed to ${quote(value)}, not ${ALARM_STATE}` };
  if (!Object.hasOwn(alarms, alarmName)) {
    return { kind: 'ignore', reason: `alarm ${alarmName} is not mapped to a DLQ in the circuit breaker configuration` };
  }
  const stateReason = own(state, 'reason');
  const reason = `alarm ${alarmName} went to ${ALARM_STATE}${typeof stateReason === 'string' && stateReason ? `: ${stateReason}` : ''}`.slice(0, MAX_REASON_LENGTH);
  const requests = (alarms[alarmName] ?? []).map((queueArn): EventCancelRequest => ({
    target: { kind: 'queue', source: parseQueueArn(queueArn, `the circuit breaker's queue for alarm ${alarmName}`) },
    ...by,
    reason,
  }));
  return { kind: 'cancel-each', requests };
}

function asObject(value: unknown, expected: string): Params {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SqsError('InvalidParameterValue', `${expected}, got ${quote(value)}`);
  }
  return value as Params;
}

/** Own properties only, so keys like __proto__ can never reach a prototype. */
function own(params: Params, name: string): unknown {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}
