// one dead letter of Lambda or EventBridge --> the one target it failed in, and what to send it (or why not)
import type { DlqMessage } from '../dlq-message';
import { eventEntryOf, isEventEntry } from './event-entry';
import type { RuleTargetSettings } from './rule-target-settings';
import { isFifoTarget, parseTargetArn, serviceOfArn, type TargetArn, TargetKind } from './target-arn';

/** Which of AWS's formats a message is in (docs/replay.md cites each). */
export type MessageFormat = 'lambda-on-failure' | 'lambda-dlq' | 'eventbridge-dlq' | 'unknown';

/** Where one message goes: the target's kind and ARN, and the text to deliver. */
export interface Route {
  readonly kind: TargetKind;
  readonly targetArn: string;
  readonly payload: string;
  readonly format: MessageFormat;
  /** a FIFO queue target: the rule target's SqsParameters.MessageGroupId */
  readonly messageGroupId?: string;
}

/** A message that stays in the DLQ, and why. */
export interface Unroutable {
  readonly kind: 'unroutable';
  readonly reason: string;
  readonly format: MessageFormat;
}

export type RouteOutcome = Route | Unroutable;

export interface ReplayContext {
  /** DestinationArn: every message goes there instead of where it failed */
  readonly destinationArn?: string;
  /** the functions whose dead-letter queue this is (DeadLetterConfig), as discovered */
  readonly owningFunctions: readonly string[];
  /** the DLQ's rule targets that transform their input or name a FIFO message group, as discovered */
  readonly ruleTargets?: readonly RuleTargetSettings[];
  /** whether the configuration lets the controller deliver to this target; @default - any */
  readonly allows?: (target: TargetArn) => boolean;
}

export function isRoute(outcome: RouteOutcome): outcome is Route {
  return outcome.kind !== 'unroutable';
}

/**
 * Where a Lambda or EventBridge dead letter goes, from what the message itself says:
 * - a Lambda on-failure record (body `{requestContext: {functionArn}, requestPayload}`,
 *   https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html): that function,
 *   with the version or alias the record names, invoked asynchronously with `requestPayload`;
 * - a Lambda dead-letter message (attributes `RequestID`, `ErrorCode`, `ErrorMessage`; the body is the
 *   event unchanged, https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq):
 *   the one function whose dead-letter queue this is;
 * - an EventBridge dead-letter message (attributes `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`...; the body
 *   is the event, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html): that
 *   target alone, as EventBridge delivers to its kind, never the rule's bus.
 * `DestinationArn` overrides the target, never the payload. Anything else stays, with the reason.
 */
export function replayRoute(message: DlqMessage, context: ReplayContext): RouteOutcome {
  const eventBridge = eventBridgeDeadLetterOf(message);
  if (eventBridge) return eventBridgeRoute(message, eventBridge, context);
  if (isLambdaDeadLetter(message)) return lambdaDeadLetterRoute(message, context);
  const record = onFailureRecordOf(message.body);
  if (record) return onFailureRoute(record, context);
  if (context.destinationArn) return toTarget(context.destinationArn, message.body, 'unknown', context);
  return unroutable('unknown', 'not a Lambda on-failure record, Lambda dead-letter message or EventBridge dead-letter message: the message does not say where it failed (DestinationArn can name a target)');
}

// --- Lambda on-failure records ---------------------------------------------------------------

interface OnFailureRecord {
  readonly functionArn: string;
  /** the function's event, as JSON text; undefined for a record of a stream or poller source (a batch, not a payload) */
  readonly payload?: string;
  readonly condition?: string;
}

/** The body as an asynchronous invocation record, or undefined when it is none. */
function onFailureRecordOf(body: string): OnFailureRecord | undefined {
  if (!body.includes('requestContext')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as { requestContext?: { functionArn?: unknown; condition?: unknown }; requestPayload?: unknown };
  const functionArn = record.requestContext?.functionArn;
  if (typeof functionArn !== 'string') return undefined;
  const condition = typeof record.requestContext?.condition === 'string' ? record.requestContext.condition : undefined;
  return { functionArn, ...('requestPayload' in record ? { payload: JSON.stringify(record.requestPayload) } : {}), ...(condition ? { condition } : {}) };
}

function onFailureRoute(record: OnFailureRecord, context: ReplayContext): RouteOutcome {
  const format = 'lambda-on-failure';
  if (record.payload === undefined) {
    // Kinesis, DynamoDB, Kafka and SQS pollers record the batch's position, not its payload
    // (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html)
    return unroutable(format, 'an invocation record without requestPayload (a stream or poller source names its batch, not the events): nothing to invoke the function with');
  }
  if (record.condition === 'Success') return unroutable(format, 'a record of a successful invocation (an on-success destination): nothing failed');
  return toTarget(context.destinationArn ?? record.functionArn, record.payload, format, context);
}

// --- Lambda dead-letter messages -------------------------------------------------------------

function isLambdaDeadLetter(message: DlqMessage): boolean {
  const attributes = message.messageAttributes;
  return attributes.RequestID !== undefined && attributes.ErrorCode !== undefined;
}

function lambdaDeadLetterRoute(message: DlqMessage, context: ReplayContext): RouteOutcome {
  const format = 'lambda-dlq';
  if (context.destinationArn) return toTarget(context.destinationArn, message.body, format, context);
  const owners = [...new Set(context.owningFunctions)];
  if (owners.length === 0) return unroutable(format, 'a Lambda dead-letter message names no function, and no function is known to have this queue as its dead-letter queue (DestinationArn can name one)');
  if (owners.length > 1) return unroutable(format, `a Lambda dead-letter message names no function, and ${owners.length} functions share this queue as their dead-letter queue: DestinationArn must name one`);
  return toTarget(owners[0]!, message.body, format, context);
}

// --- EventBridge dead-letter messages --------------------------------------------------------

interface EventBridgeDeadLetter {
  readonly ruleArn: string;
  readonly targetArn: string;
}

function eventBridgeDeadLetterOf(message: DlqMessage): EventBridgeDeadLetter | undefined {
  const ruleArn = message.messageAttributes.RULE_ARN?.StringValue;
  const targetArn = message.messageAttributes.TARGET_ARN?.StringValue;
  return ruleArn && targetArn ? { ruleArn, targetArn } : undefined;
}

function eventBridgeRoute(message: DlqMessage, dead: EventBridgeDeadLetter, context: ReplayContext): RouteOutcome {
  const format = 'eventbridge-dlq';
  if (context.destinationArn) return toTarget(context.destinationArn, message.body, format, context);
  const settings = (context.ruleTargets ?? []).find((target) => target.ruleArn === dead.ruleArn && target.targetArn === dead.targetArn);
  if (settings?.inputTransformation) {
    // EventBridge sends such a target the transformed input; AWS does not document whether the DLQ keeps that or the matched event: never guess which to send
    return unroutable(
      format,
      `the rule's target ${dead.targetArn} has ${settings.inputTransformation}: EventBridge sent it the transformed input, and AWS does not document whether a dead-letter message holds that or the event as matched, so replaying the body could deliver a shape the target never receives (DestinationArn delivers the body as it is)`,
    );
  }
  if (sameBus(dead.ruleArn, dead.targetArn)) {
    return unroutable(format, 'the target is the bus of the rule itself: putting the event there again would deliver it to every other target of every matching rule');
  }
  return toTarget(dead.targetArn, message.body, format, context, settings?.messageGroupId);
}

/** A rule's ARN names its bus (`rule/<rule>` on default, `rule/<bus>/<rule>` otherwise). */
function sameBus(ruleArn: string, targetArn: string): boolean {
  const rule = /^arn:([^:]+):events:([^:]+):(\d{12}):rule\/(?:([^/]+)\/)?[^/]+$/.exec(ruleArn);
  if (!rule) return false;
  const [, partition, region, account, bus = 'default'] = rule;
  return targetArn === `arn:${partition}:events:${region}:${account}:event-bus/${bus}`;
}

// --- every target ----------------------------------------------------------------------------

/** `messageGroupId`: a FIFO queue rule target's SqsParameters.MessageGroupId, as discovered. */
function toTarget(arn: string, payload: string, format: MessageFormat, context: ReplayContext, messageGroupId?: string): RouteOutcome {
  const target = parseTargetArn(arn);
  if (!target) return unroutable(format, `the target ${arn} is of a kind (${serviceOfArn(arn)}) the controller does not replay to: only functions, queues, topics and buses`);
  const group = isFifoTarget(target) && target.kind === TargetKind.QUEUE ? messageGroupId : undefined;
  if (isFifoTarget(target) && group === undefined) {
    // EventBridge takes a FIFO queue's group from the rule target's SqsParameters; the dead-letter message does not carry it
    return unroutable(
      format,
      target.kind === TargetKind.QUEUE
        ? `the target ${arn} is a FIFO queue and needs a MessageGroupId: the dead-letter message does not carry one, and no rule target sending to it with SqsParameters.MessageGroupId is known`
        : `the target ${arn} is a FIFO topic and needs a MessageGroupId, which the dead-letter message does not carry`,
    );
  }
  if (target.kind === TargetKind.BUS) {
    const entry = eventEntryOf(payload);
    if (!isEventEntry(entry)) return unroutable(format, `the target ${arn} is an event bus and ${entry.reason}`);
  }
  if (context.allows && !context.allows(target)) return unroutable(format, `the target ${arn} is not one this controller may deliver to (configuration: replay)`);
  return { kind: target.kind, targetArn: arn, payload, format, ...(group === undefined ? {} : { messageGroupId: group }) };
}

function unroutable(format: MessageFormat, reason: string): Unroutable {
  return { kind: 'unroutable', reason, format };
}
