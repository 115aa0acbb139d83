// config text (RECOVERY_POLICIES, config/<name>.json) --> parseRecoveryPolicies --> policies, or a clear error
import { tryParseQueueArn } from '../queue-arn';

/** One DLQ's recovery policy (API.md section 8); every field but `dlq` and `alarms` has a default. */
export interface RecoveryPolicy {
  /** the DLQ's ARN */
  readonly dlq: string;
  /** CloudWatch alarm names (not ARNs), as their state change events carry them */
  readonly alarms: readonly string[];
  readonly resumeAfterOkSeconds: number;
  readonly startRate: number;
  readonly maxRate: number;
  readonly rampFactor: number;
  readonly rampEverySeconds: number;
  readonly maxResumesPerHour: number;
  readonly autoStart: boolean;
}

export const RECOVERY_DEFAULTS = {
  resumeAfterOkSeconds: 300,
  startRate: 10,
  maxRate: 500,
  rampFactor: 2,
  rampEverySeconds: 120,
  maxResumesPerHour: 3,
  autoStart: false,
} as const;

export const RECOVERY_POLICY_KEYS = ['dlq', 'alarms', ...Object.keys(RECOVERY_DEFAULTS)] as readonly string[];

/** SQS's limit for a move task's MaxNumberOfMessagesPerSecond. */
const SQS_MAX_RATE = 500;
// eslint-disable-next-line no-control-regex -- CloudWatch refuses control characters in alarm names
const ALARM_NAME = /^[^\x00-\x1f]{1,255}$/;

export class RecoveryPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecoveryPolicyError';
  }
}

/**
 * Validates a list of policies. `where` names the source in messages (`RECOVERY_POLICIES`,
 * `config/prod.json: recoveryPolicies`); each message names the entry's index, the key and what
 * was expected. One policy per DLQ.
 */
export function parseRecoveryPolicies(raw: unknown, where: string): RecoveryPolicy[] {
  if (!Array.isArray(raw)) throw new RecoveryPolicyError(`${where} must be a list of recovery policies; got ${describe(raw)}`);
  const policies = raw.map((entry, index) => parseRecoveryPolicy(entry, `${where}[${index}]`));
  const seen = new Set<string>();
  policies.forEach((policy, index) => {
    if (seen.has(policy.dlq)) throw new RecoveryPolicyError(`${where}[${index}].dlq names ${policy.dlq} again: one recovery policy per DLQ`);
    seen.add(policy.dlq);
  });
  return policies;
}

export function parseRecoveryPolicy(raw: unknown, where: string): RecoveryPolicy {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RecoveryPolicyError(`${where} must be an object; got ${describe(raw)}`);
  const entry = raw as Record<string, unknown>;
  for (const key of Object.keys(entry)) {
    if (!RECOVERY_POLICY_KEYS.includes(key)) throw new RecoveryPolicyError(`${where}.${key} is not a known key; known keys: ${RECOVERY_POLICY_KEYS.join(', ')}`);
  }
  const dlq = entry.dlq;
  if (typeof dlq !== 'string' || !tryParseQueueArn(dlq)) {
    throw new RecoveryPolicyError(`${where}.dlq must be the DLQ's SQS queue ARN, e.g. "arn:aws:sqs:eu-west-1:111122223333:orders-dlq"; got ${describe(dlq)}`);
  }
  const alarms = entry.alarms;
  if (!Array.isArray(alarms) || alarms.length === 0) throw new RecoveryPolicyError(`${where}.alarms must list at least one CloudWatch alarm name; got ${describe(alarms)}`);
  alarms.forEach((name, index) => {
    if (typeof name === 'string' && /^arn:aws[a-z-]*:cloudwatch:/.test(name)) {
      throw new RecoveryPolicyError(`${where}.alarms[${index}] must be the alarm's name, not its ARN; got ${JSON.stringify(name)}`);
    }
    if (typeof name !== 'string' || !ALARM_NAME.test(name)) throw new RecoveryPolicyError(`${where}.alarms[${index}] must be a CloudWatch alarm name; got ${describe(name)}`);
  });
  const integer = (key: keyof typeof RECOVERY_DEFAULTS, min: number, max: number): number => {
    const value = entry[key] ?? RECOVERY_DEFAULTS[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new RecoveryPolicyError(`${where}.${key} must be an integer from ${min} to ${max}; got ${describe(value)}`);
    }
    return value;
  };
  const resumeAfterOkSeconds = integer('resumeAfterOkSeconds', 0, 86_400);
  const startRate = integer('startRate', 1, SQS_MAX_RATE);
  const maxRate = integer('maxRate', 1, SQS_MAX_RATE);
  if (maxRate < startRate) throw new RecoveryPolicyError(`${where}.maxRate (${maxRate}) must be at least startRate (${startRate})`);
  const rampFactor = entry.rampFactor ?? RECOVERY_DEFAULTS.rampFactor;
  if (typeof rampFactor !== 'number' || !Number.isFinite(rampFactor) || rampFactor <= 1 || rampFactor > 10) {
    throw new RecoveryPolicyError(`${where}.rampFactor must be a number above 1 and at most 10; got ${describe(rampFactor)}`);
  }
  const rampEverySeconds = integer('rampEverySeconds', 1, 86_400);
  const maxResumesPerHour = integer('maxResumesPerHour', 1, 100);
  const autoStart = entry.autoStart ?? RECOVERY_DEFAULTS.autoStart;
  if (typeof autoStart !== 'boolean') throw new RecoveryPolicyError(`${where}.autoStart must be true or false; got ${describe(autoStart)}`);
  return { dlq, alarms: [...new Set(alarms as string[])], resumeAfterOkSeconds, startRate, maxRate, rampFactor, rampEverySeconds, maxResumesPerHour, autoStart };
}

/** The rate after one ramp step: at least one more message a second, never above maxRate. */
export function nextRate(policy: RecoveryPolicy, rate: number): number {
  return Math.min(policy.maxRate, Math.max(rate + 1, Math.round(rate * policy.rampFactor)));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value} ${JSON.stringify(value)?.slice(0, 80) ?? ''}`.trim();
}
