import type { FilterPolicy, FilterPolicyScope } from './content-filter/filter-policy';
import type { MessageSelection } from './message-selection';
import { parseQueueArn, type QueueArn } from './queue-arn';
import { parseTargetArn, type TargetArn, TargetKind } from './replay/target-arn';
import { quote, SqsError } from './sqs-error';
import { parseTaskHandle, type TaskHandle } from './task-handle';
import { ALL_STATUSES, isTaskStatus, type TaskStatus } from './task-status';

/**
 * Validation of every request, before any AWS call. Parameters arrive as a plain record of JSON
 * values; the HTTP adapter turns the Query style's text numbers into numbers first.
 */
export type Params = Readonly<Record<string, unknown>>;

export interface StartRequest {
  readonly source: QueueArn;
  readonly destination?: QueueArn;
  /** a replay's DestinationArn that is no queue: a function, topic or event bus (API.md section 11) */
  readonly targetDestination?: TargetArn;
  readonly maxNumberOfMessagesPerSecond?: number;
  readonly reason?: string;
  /** present when any of section 7's fields is: the controller's mover moves only what matches */
  readonly selection?: MessageSelection;
  /** answer what would match, move nothing */
  readonly dryRun?: boolean;
  /** start even though recovery has PAUSED the DLQ (API.md section 8); recorded in the task */
  readonly force?: boolean;
}

/** StartMessageMoveTask's fields that make a task selective (API.md section 7). */
export const SELECTION_FIELDS = ['FilterPolicy', 'FilterPolicyScope', 'SentAfter', 'SentBefore', 'MaxMessages', 'DryRun'] as const;
const FILTER_POLICY_SCOPES: readonly FilterPolicyScope[] = ['MessageAttributes', 'MessageBody'];
/** JavaScript's safe integers cover every epoch millisecond SQS can stamp. */
const MAX_EPOCH_MS = Number.MAX_SAFE_INTEGER;

export interface CancelRequest {
  readonly handle: TaskHandle;
  readonly reason?: string;
}

export interface ListRequest {
  readonly source: QueueArn;
  readonly maxResults: number;
}

export interface TaskQueryRequest {
  readonly sourceArn?: QueueArn;
  /** one recovery run's tasks (API.md section 8) */
  readonly runId?: string;
  readonly status?: TaskStatus;
  readonly limit: number;
  readonly nextToken?: string;
}

/**
 * content-filter/filter-policy.ts's parseFilterPolicy, passed to parseStartRequest by its caller: the
 * API loads the content filter only for a start that names a FilterPolicy (namesFilterPolicy), so
 * its other requests' cold start does not parse it (docs/performance.md).
 */
export type FilterPolicyParser = (input: unknown, scope?: FilterPolicyScope) => FilterPolicy;

/** Whether parseStartRequest will parse a FilterPolicy from these parameters (and so needs the parser). */
export function namesFilterPolicy(params: Params): boolean {
  const value = field(params, 'FilterPolicy');
  return value !== undefined && value !== null;
}

export const MAX_REASON_LENGTH = 1024;
export const MAX_NEXT_TOKEN_LENGTH = 2048;

export function parseStartRequest(params: Params, parseFilterPolicy?: FilterPolicyParser): StartRequest {
  const source = parseQueueArn(field(params, 'SourceArn'), 'SourceArn');
  const destinationValue = field(params, 'DestinationArn');
  const rate = readInteger(params, 'MaxNumberOfMessagesPerSecond', 1, 500);
  const reason = readReason(params);
  const selective = SELECTION_FIELDS.some((name) => field(params, name) !== undefined && field(params, name) !== null);
  const dryRun = readBoolean(params, 'DryRun');
  const force = readBoolean(params, 'Force');
  return {
    source,
    ...readDestination(destinationValue),
    ...(rate === undefined ? {} : { maxNumberOfMessagesPerSecond: rate }),
    ...(reason === undefined ? {} : { reason }),
    ...(selective ? { selection: readSelection(params, parseFilterPolicy) } : {}),
    ...(dryRun ? { dryRun } : {}),
    ...(force ? { force } : {}),
  };
}

/** A queue ARN, as SQS's field holds; for a replay also a function, topic or bus ARN (refused later for any other task). */
function readDestination(value: unknown): Pick<StartRequest, 'destination' | 'targetDestination'> {
  if (value === undefined) return {};
  const target = typeof value === 'string' && !value.includes(':sqs:') ? parseTargetArn(value) : undefined;
  if (target && target.kind !== TargetKind.QUEUE) return { targetDestination: target };
  return { destination: parseQueueArn(value, 'DestinationArn') };
}

function readSelection(params: Params, parseFilterPolicy: FilterPolicyParser | undefined): MessageSelection {
  const scopeValue = field(params, 'FilterPolicyScope');
  if (scopeValue !== undefined && scopeValue !== null && !FILTER_POLICY_SCOPES.includes(scopeValue as FilterPolicyScope)) {
    throw new SqsError('InvalidParameterValue', `FilterPolicyScope must be one of ${FILTER_POLICY_SCOPES.join(', ')}, got ${quote(scopeValue)}`);
  }
  const scope = (scopeValue ?? undefined) as FilterPolicyScope | undefined;
  const policyValue = field(params, 'FilterPolicy');
  if (scope !== undefined && (policyValue === undefined || policyValue === null)) {
    throw new SqsError('MissingParameter', 'FilterPolicyScope needs a FilterPolicy to apply to');
  }
  const filterPolicy = policyValue === undefined || policyValue === null ? undefined : needed(parseFilterPolicy)(policyValue, scope);
  const sentAfter = readInteger(params, 'SentAfter', 0, MAX_EPOCH_MS);
  const sentBefore = readInteger(params, 'SentBefore', 0, MAX_EPOCH_MS);
  if (sentAfter !== undefined && sentBefore !== undefined && sentAfter >= sentBefore) {
    throw new SqsError('InvalidParameterValue', `SentAfter (${sentAfter}) must be earlier than SentBefore (${sentBefore})`);
  }
  const maxMessages = readInteger(params, 'MaxMessages', 1, MAX_EPOCH_MS);
  return {
    ...(filterPolicy
      ? { filterPolicy, filterPolicyText: typeof policyValue === 'string' ? JSON.stringify(JSON.parse(policyValue)) : JSON.stringify(policyValue), filterPolicyScope: filterPolicy.scope }
      : {}),
    ...(sentAfter === undefined ? {} : { sentAfter }),
    ...(sentBefore === undefined ? {} : { sentBefore }),
    ...(maxMessages === undefined ? {} : { maxMessages }),
  };
}

/** The parser a FilterPolicy needs: not passed is the caller's bug (see FilterPolicyParser), never the request's. */
function needed(parse: FilterPolicyParser | undefined): FilterPolicyParser {
  if (!parse) throw new Error('parseStartRequest was given a FilterPolicy but no parseFilterPolicy');
  return parse;
}

/** JSON true/false, or the Query style's text "true"/"false". */
function readBoolean(params: Params, name: string): boolean | undefined {
  const value = field(params, name);
  if (value === undefined || value === null) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new SqsError('InvalidParameterValue', `${name} must be true or false, got ${quote(value)}`);
}

export function parseCancelRequest(params: Params): CancelRequest {
  const handle = parseTaskHandle(field(params, 'TaskHandle'));
  const reason = readReason(params);
  return { handle, ...(reason === undefined ? {} : { reason }) };
}

export function parseListRequest(params: Params): ListRequest {
  const source = parseQueueArn(field(params, 'SourceArn'), 'SourceArn');
  // SQS answers only the newest task unless asked for more
  const maxResults = readInteger(params, 'MaxResults', 1, 10) ?? 1;
  return { source, maxResults };
}

/** GET /tasks query string. */
export function parseTaskQuery(params: Params): TaskQueryRequest {
  const sourceArnValue = field(params, 'sourceArn');
  const statusValue = field(params, 'status');
  const limit = readInteger(params, 'limit', 1, 100) ?? 25;
  const nextToken = field(params, 'nextToken');
  const runId = field(params, 'runId');
  if (runId !== undefined && (typeof runId !== 'string' || !/^[\w-]{1,64}$/.test(runId))) {
    throw new SqsError('InvalidParameterValue', `runId must be a recovery run's RunId (as GET /dlqs shows it), got ${quote(runId)}`);
  }
  if (statusValue !== undefined && !isTaskStatus(statusValue)) {
    throw new SqsError('InvalidParameterValue', `status must be one of ${ALL_STATUSES.join(', ')}, got ${quote(statusValue)}`);
  }
  if (nextToken !== undefined && (typeof nextToken !== 'string' || nextToken.length === 0 || nextToken.length > MAX_NEXT_TOKEN_LENGTH)) {
    throw new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous GET /tasks answer');
  }
  return {
    ...(sourceArnValue === undefined ? {} : { sourceArn: parseQueueArn(sourceArnValue, 'sourceArn') }),
    ...(statusValue === undefined ? {} : { status: statusValue }),
    ...(runId === undefined ? {} : { runId: runId as string }),
    limit,
    ...(nextToken === undefined ? {} : { nextToken: nextToken as string }),
  };
}

/** Own properties only, so keys like __proto__ or constructor can never reach a prototype. */
function field(params: Params, name: string): unknown {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

function readInteger(params: Params, name: string, min: number, max: number): number | undefined {
  const value = field(params, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsError('InvalidParameterValue', `${name} must be an integer from ${min} to ${max}, got ${quote(value)}`);
  }
  return value;
}

export function readReason(params: Params): string | undefined {
  const value = field(params, 'Reason');
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new SqsError('InvalidParameterValue', `Reason must be a string of at most ${MAX_REASON_LENGTH} characters, got ${typeof value}`);
  }
  if (value.length > MAX_REASON_LENGTH) {
    throw new SqsError('InvalidParameterValue', `Reason must be at most ${MAX_REASON_LENGTH} characters, got ${value.length}`);
  }
  return value.length === 0 ? undefined : value;
}
