import type { EventSenderPolicy } from '../domain/event-sender';
import { tryParseQueueArn } from '../domain/queue-arn';
import { parseRecoveryPolicies, type RecoveryPolicy } from '../domain/recovery/recovery-policy';
import { CONTROLLER_OUTBOUND_BUS } from './event-patterns';

/**
 * The Lambda functions' environment: variable names in one place, read by the CDK stack (which
 * sets them) and by the entries (which read them), and by the local stack.
 */
export const ENV = {
  tableName: 'TASK_TABLE_NAME',
  accountId: 'CONTROLLER_ACCOUNT_ID',
  region: 'AWS_REGION',
  managedQueues: 'MANAGED_QUEUES',
  allowedDestinations: 'ALLOWED_DESTINATIONS',
  /** comma-separated ARN patterns of the functions, queues, topics and buses replays may deliver to (config replayTargets) */
  replayTargets: 'REPLAY_TARGETS',
  discoveryQueues: 'DISCOVERY_QUEUES',
  inFlightGraceSeconds: 'IN_FLIGHT_GRACE_SECONDS',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** `false`: no X-Ray tracing, the Tracer not even loaded (the local stack); the stack's functions trace (lib/controller-function.ts) */
  traceEnabled: 'POWERTOOLS_TRACE_ENABLED',
  /** tests only: a shorter AWS SDK request timeout, so a timeout fault does not take 5 s per attempt */
  sdkRequestTimeoutMs: 'CONTROLLER_SDK_REQUEST_TIMEOUT_MS',
  /** JSON object: CloudWatch alarm name → ARNs of the DLQs whose redrives the alarm cancels */
  circuitBreakerAlarms: 'CIRCUIT_BREAKER_ALARMS',
  /** events function: comma-separated accounts whose cancel events it acts on (besides its own) */
  eventSenderAccounts: 'EVENT_SENDER_ACCOUNTS',
  /** api function: the REST API and stage whose events it answers (defence in depth, not authentication) */
  apiGatewayId: 'API_GATEWAY_ID',
  apiGatewayStage: 'API_GATEWAY_STAGE',
  /** the controller's own bus its events are published to (lib/outbound-event-bus.ts) */
  eventBusName: 'EVENT_BUS_NAME',
  /** where the inventory job reads DLQ ages: `cloudwatch` (deployed) or `none` (the local stack) */
  queueAgeSource: 'QUEUE_AGE_SOURCE',
  /** days a finished task's record is kept (DynamoDB TTL) */
  retentionDays: 'TASK_RETENTION_DAYS',
  /** `true`: starts and cancels through the path and Query styles must give a Reason */
  requireReason: 'REQUIRE_REASON',
  /** api function: comma-separated principal ARNs (org function roles) whose x-redrive-org-caller header is recorded as `<caller> via org` */
  orgCallers: 'ORG_CALLERS',
  /** api function: comma-separated principal ARNs (a trailing `*` allowed) the account accepts as named by ORG_CALLERS (config org.allowedCallers) */
  orgAllowedCallers: 'ORG_ALLOWED_CALLERS',
  /** api function: comma-separated principal ARNs (a trailing `*` allowed) that may peek and dry-run (config api.messageReaders) */
  messageReaders: 'MESSAGE_READERS',
  /** the selective mover function, invoked asynchronously by the API and the reconciler (and by itself to hand on) */
  moverFunctionName: 'MOVER_FUNCTION_NAME',
  /** seconds a received batch stays invisible while the mover sends and deletes it */
  moverVisibilitySeconds: 'MOVER_VISIBILITY_SECONDS',
  /** seconds a mover's lease outlives its last write (more than the visibility) */
  moverLeaseSeconds: 'MOVER_LEASE_SECONDS',
  /** seconds a skipped message is held invisible at most (one pass; SQS allows 43,200) */
  moverHoldSeconds: 'MOVER_HOLD_SECONDS',
  /** seconds one mover invocation works before it hands the task on */
  moverSliceSeconds: 'MOVER_SLICE_SECONDS',
  /** JSON list of recovery policies (API.md section 8); the stack writes config's recoveryPolicies here */
  recoveryPolicies: 'RECOVERY_POLICIES',
  /** the archive bucket (API.md section 12); without it archive tasks are refused */
  archiveBucketName: 'ARCHIVE_BUCKET_NAME',
  /** reconciler: seconds; messages of managed DLQs that SQS would delete within them are archived and deleted (config archiveBeforeExpiry) */
  archiveBeforeExpirySeconds: 'ARCHIVE_BEFORE_EXPIRY_SECONDS',
} as const;

export interface ControllerSettings {
  readonly tableName: string;
  readonly accountId: string;
  readonly region: string;
  readonly managedQueues: readonly string[];
  readonly allowedDestinations: readonly string[];
  /** replays (API.md section 11): ARN patterns of the targets they may deliver to */
  readonly replayTargets: readonly string[];
  /** @default - the dependencies' production timeout */
  readonly sdkRequestTimeoutMs?: number;
  /** the controller's own bus its events go to; @default 'redrive-controller-events' */
  readonly eventBusName: string;
  /** finished tasks expire this many days after they end (DynamoDB TTL); @default 90 */
  readonly retentionDays: number;
  /**
   * queue ARN patterns the reconciler watches for tasks started elsewhere; `none` for none.
   * @default - the managed queues (prefix patterns through ListQueues)
   */
  readonly discoveryQueues: readonly string[];
  /** how long a write's author may still act on it; longer than any function's timeout; @default 120 */
  readonly inFlightGraceSeconds: number;
  /** starts and cancels (path and Query styles) must give a Reason; @default false */
  readonly requireReason: boolean;
  /** principals that may name the person they ask for (the org view's role); @default - none */
  readonly orgCallers: readonly string[];
  /** the persons the org callers may name; @default - none: an org-routed request is refused */
  readonly orgAllowedCallers: readonly string[];
  /** who may peek and dry-run, checked by the function as well as the API's policy; @default - nobody */
  readonly messageReaders: readonly string[];
  /** @default - no mover: selective tasks are refused */
  readonly moverFunctionName?: string;
  /** @default 60 */
  readonly moverVisibilitySeconds: number;
  /** @default 120 */
  readonly moverLeaseSeconds: number;
  /** @default 43200 (12 hours, SQS's maximum) */
  readonly moverHoldSeconds: number;
  /** @default 780 (13 of the mover's 15 minutes) */
  readonly moverSliceSeconds: number;
  /** @default - no archive: archive tasks are refused */
  readonly archiveBucketName?: string;
  /** @default - off: messages expire as SQS says */
  readonly archiveBeforeExpirySeconds?: number;
}

/** Comma-separated queue ARN patterns, as the stack writes them. */
export function joinQueuePatterns(patterns: readonly string[]): string {
  return patterns.join(',');
}

export function readSettings(env: Readonly<Record<string, string | undefined>>): ControllerSettings {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`environment variable ${name} is required`);
    return value;
  };
  const list = (name: string): string[] => (env[name] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const number = (name: string, fallback: number): number => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a number of 0 or more, got ${value}`);
    return parsed;
  };
  const accountId = required(ENV.accountId);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`${ENV.accountId} must be a 12-digit AWS account id`);
  const timeout = env[ENV.sdkRequestTimeoutMs]?.trim();
  const requireReason = env[ENV.requireReason]?.trim() || 'false';
  if (requireReason !== 'true' && requireReason !== 'false') throw new Error(`${ENV.requireReason} must be true or false, got ${requireReason}`);
  if (timeout && !/^\d{2,6}$/.test(timeout)) throw new Error(`${ENV.sdkRequestTimeoutMs} must be a number of milliseconds (10 or more)`);
  return {
    tableName: required(ENV.tableName),
    accountId,
    region: required(ENV.region),
    managedQueues: list(ENV.managedQueues),
    allowedDestinations: list(ENV.allowedDestinations),
    replayTargets: list(ENV.replayTargets),
    ...(timeout ? { sdkRequestTimeoutMs: Number(timeout) } : {}),
    eventBusName: env[ENV.eventBusName]?.trim() || CONTROLLER_OUTBOUND_BUS,
    retentionDays: number(ENV.retentionDays, 90),
    discoveryQueues: env[ENV.discoveryQueues]?.trim() === 'none' ? [] : env[ENV.discoveryQueues]?.trim() ? list(ENV.discoveryQueues) : list(ENV.managedQueues),
    inFlightGraceSeconds: number(ENV.inFlightGraceSeconds, 120),
    requireReason: requireReason === 'true',
    orgCallers: list(ENV.orgCallers),
    orgAllowedCallers: list(ENV.orgAllowedCallers),
    messageReaders: list(ENV.messageReaders),
    ...(env[ENV.moverFunctionName]?.trim() ? { moverFunctionName: env[ENV.moverFunctionName]!.trim() } : {}),
    ...(env[ENV.archiveBucketName]?.trim() ? { archiveBucketName: env[ENV.archiveBucketName]!.trim() } : {}),
    ...(number(ENV.archiveBeforeExpirySeconds, 0) > 0 ? { archiveBeforeExpirySeconds: number(ENV.archiveBeforeExpirySeconds, 0) } : {}),
    moverVisibilitySeconds: number(ENV.moverVisibilitySeconds, 60),
    moverLeaseSeconds: number(ENV.moverLeaseSeconds, 120),
    moverHoldSeconds: Math.min(43_200, number(ENV.moverHoldSeconds, 43_200)),
    moverSliceSeconds: number(ENV.moverSliceSeconds, 780),
  };
}

/** The circuit breaker's alarm → DLQs map, as the stack writes it into CIRCUIT_BREAKER_ALARMS. */
export function formatCircuitBreakerAlarms(alarms: Readonly<Record<string, readonly string[]>>): string {
  return JSON.stringify(alarms);
}

/**
 * Reads CIRCUIT_BREAKER_ALARMS: alarm name → a list of DLQ ARNs (one alarm may guard several DLQs),
 * or a single ARN for short hand-written values. Unset means no circuit breaker; a bad value fails
 * the function's init.
 */
export function readCircuitBreakerAlarms(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, readonly string[]>> {
  const text = env[ENV.circuitBreakerAlarms]?.trim();
  if (!text) return {};
  const expected = `${ENV.circuitBreakerAlarms} must be a JSON object of alarm name to SQS queue ARNs (a list, or one ARN)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${expected}; it is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(expected);
  const alarms: Record<string, readonly string[]> = Object.create(null);
  for (const [alarmName, value] of Object.entries(parsed)) {
    const queueArns: unknown[] = Array.isArray(value) ? value : [value];
    if (queueArns.length === 0 || !queueArns.every((queueArn) => typeof queueArn === 'string' && tryParseQueueArn(queueArn))) {
      throw new Error(`${expected}; alarm ${JSON.stringify(alarmName)} maps to ${JSON.stringify(value)}`);
    }
    alarms[alarmName] = queueArns as string[];
  }
  return alarms;
}

/** The events function's sender policy: its own account and region, and EVENT_SENDER_ACCOUNTS. */
export function readEventSenderPolicy(env: Readonly<Record<string, string | undefined>>): EventSenderPolicy {
  const { accountId, region } = readSettings(env);
  const listed = (env[ENV.eventSenderAccounts] ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  const bad = listed.find((account) => !/^\d{12}$/.test(account));
  if (bad !== undefined) throw new Error(`${ENV.eventSenderAccounts} must be comma-separated 12-digit account ids; got ${JSON.stringify(bad)}`);
  return { homeAccount: accountId, homeRegion: region, senderAccounts: [...new Set([accountId, ...listed])] };
}

/**
 * Reads RECOVERY_POLICIES: a JSON list of recovery policies, by DLQ ARN. Unset means none; a bad
 * value fails the function's init with the policy parser's message.
 */
export function readRecoveryPolicies(env: Readonly<Record<string, string | undefined>>): ReadonlyMap<string, RecoveryPolicy> {
  const text = env[ENV.recoveryPolicies]?.trim();
  if (!text) return new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${ENV.recoveryPolicies} must be a JSON list of recovery policies; it is not JSON`);
  }
  return new Map(parseRecoveryPolicies(parsed, ENV.recoveryPolicies).map((policy) => [policy.dlq, policy]));
}

/** The policies as the stack and the local stack write them into RECOVERY_POLICIES. */
export function formatRecoveryPolicies(policies: readonly RecoveryPolicy[]): string {
  return JSON.stringify(policies);
}

/**
 * The one alarm map (CIRCUIT_BREAKER_ALARMS): the circuit breakers' alarms and the recovery
 * policies' alarms, each alarm → every DLQ it guards. The events function hands a policy's DLQs to
 * recovery and the others to the circuit breaker.
 */
export function withRecoveryAlarms(breakers: Readonly<Record<string, readonly string[]>>, policies: readonly RecoveryPolicy[]): Record<string, string[]> {
  const alarms: Record<string, string[]> = {};
  for (const [name, queues] of Object.entries(breakers)) alarms[name] = [...queues];
  for (const policy of policies) {
    for (const name of policy.alarms) {
      const queues = (alarms[name] ??= []);
      if (!queues.includes(policy.dlq)) queues.push(policy.dlq);
    }
  }
  return alarms;
}
