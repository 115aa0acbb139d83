import { CONTROLLER_OUTBOUND_BUS } from '../../lambda/config/event-patterns';
import { matchesQueuePattern } from '../../lambda/domain/queue-pattern';
import { parseRecoveryPolicy, type RecoveryPolicy, RecoveryPolicyError } from '../../lambda/domain/recovery/recovery-policy';
import { ConfigError } from './config-error';
import { describeValue } from './describe-value';
import { type EventsConfig,parseEventsConfig } from './events-config';
import { type MoverConfig, parseMoverConfig } from './mover-config';
import { type OrgForwardingConfig, parseOrgForwardingConfig } from './org-forwarding-config';
import { parseReplayTargets } from './replay-config';

export { ConfigError };

/**
 * One account's deployment settings, as `config/<name>.json` holds them, and the validator that
 * turns untrusted JSON into a typed config or fails synth naming the key and the expected form.
 */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export interface ApiConfig {
  /** steady-state requests per second across the API */
  readonly rateLimit: number;
  /** requests allowed in a burst */
  readonly burstLimit: number;
  /** IAM role or user ARNs (a `*` may end the name) allowed to call the API */
  readonly allowedPrincipals: readonly string[];
  /**
   * IAM role or user ARNs (a `*` may end the name) that may peek at DLQ messages
   * (POST /dlqs/{queueName}/peek), whatever else they may call: bodies can hold personal data.
   * @default - nobody may peek
   */
  readonly messageReaders: readonly string[];
  /** @default - no organization-wide access */
  readonly organizationId?: string;
  /** starts and cancels through the path and Query styles must give a Reason; @default false */
  readonly requireReason: boolean;
}

/** A CloudWatch alarm that, when it goes to ALARM, cancels the active redrive of one managed DLQ. */
export interface CircuitBreaker {
  readonly alarmName: string;
  /** the DLQ's ARN (resolved from a name or an ARN) */
  readonly queue: string;
}

export interface ControllerConfig {
  /** the file's base name, e.g. `example` for config/example.json */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** queue ARNs, or ARN prefixes ending in `*`, resolved from names or prefixes */
  readonly managedQueues: readonly string[];
  /** the queues whose DLQs are managed: a redrive without DestinationArn sends back to them */
  readonly sourceQueues: readonly string[];
  readonly allowedDestinations: readonly string[];
  /** KMS keys of SSE-KMS encrypted managed, source or destination queues */
  readonly queueKmsKeyArns: readonly string[];
  readonly api: ApiConfig;
  readonly circuitBreakers: readonly CircuitBreaker[];
  /** recovery policies (API.md section 8), one per managed DLQ; their alarms join the circuit breakers' */
  readonly recoveryPolicies: readonly RecoveryPolicy[];
  /** EventBridge sources the cancel rule routes (routing, not authentication); empty: any source */
  readonly eventSources: readonly string[];
  /**
   * the bus the stack creates for the controller's own events (task transitions, inventory changes,
   * recovery states); only the controller's functions may put events on it; @default 'redrive-controller-events'
   */
  readonly eventBusName: string;
  /** the controller's own bus for cancel events: who may send, and how many are handled at once */
  readonly events: EventsConfig;
  /** days a finished task's record is kept before DynamoDB's TTL deletes it */
  readonly retentionDays: number;
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
  /** @default - AWS-managed encryption */
  readonly tableKmsKeyArn?: string;
  /** @default - alarms have no action */
  readonly alarmTopicArn?: string;
  /** forwarding to an org view (docs/organization.md); @default - the account stands alone */
  readonly org?: OrgForwardingConfig;
  /** the selective mover's function: its memory, which is its throughput (docs/performance.md) */
  readonly mover: MoverConfig;
  /** functions, queues, topics and buses replays may deliver to (docs/replay.md); @default - none */
  readonly replayTargets: readonly string[];
  /** days an archived message's object is kept in the archive bucket (docs/archive.md); @default 365 */
  readonly archiveRetentionDays: number;
  /** encrypt the archive bucket with this key; @default - tableKmsKeyArn if given, else S3-managed keys */
  readonly archiveKmsKeyArn?: string;
  /**
   * seconds: the reconciler archives and deletes every message of a managed DLQ that SQS would delete
   * within this window (API.md section 12, docs/archive.md); @default - off
   */
  readonly archiveBeforeExpiry?: number;
}

const KEYS = [
  'account', 'region', 'managedQueues', 'sourceQueues', 'allowedDestinations', 'queueKmsKeyArns', 'api',
  'circuitBreakers', 'eventSources', 'eventBusName', 'retentionDays', 'logRetentionDays', 'logLevel',
  'tableKmsKeyArn', 'alarmTopicArn', 'events', 'recoveryPolicies', 'org', 'mover', 'replayTargets', '$comment',
  'archiveRetentionDays', 'archiveKmsKeyArn', 'archiveBeforeExpiry',
] as const;
const API_KEYS = ['rateLimit', 'burstLimit', 'allowedPrincipals', 'messageReaders', 'organizationId', 'requireReason'] as const;
const CIRCUIT_BREAKER_KEYS = ['alarmName', 'queue'] as const;

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
// a queue name, or a prefix of one ending in `*`
const QUEUE_NAME = /^(?:[A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{0,79}\*)$/;
const PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(?:role|user)\/(?:[\w+=,.@/-]*[\w+=,.@-]\*?|\*)$/;
const KMS_KEY = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
// a bus the stack creates: a custom bus's name has no '/' (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html)
const EVENT_BUS_NAME = /^[\w.-]{1,256}$/;
// eslint-disable-next-line no-control-regex -- CloudWatch refuses control characters in alarm names
const ALARM_NAME = /^[^\x00-\x1f]{1,255}$/;

/** Validates one parsed config file; `name` says which file in messages. */
export function parseControllerConfig(raw: unknown, name: string): ControllerConfig {
  const at = (key: string) => `config/${name}.json: ${key}`;
  const root = object(raw, at('(root)'));
  for (const key of Object.keys(root)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new ConfigError(`${at(key)} is not a known key; known keys: ${KEYS.filter((k) => k !== '$comment').join(', ')}`);
  }
  const account = string(root.account, at('account'), 'a 12-digit AWS account id, e.g. "111122223333"', /^\d{12}$/);
  const region = string(root.region, at('region'), 'an AWS region, e.g. "eu-west-1"', REGION);
  const partition = partitionOf(region);
  const queues = (key: string, minimum: number) =>
    list(root[key], at(key), minimum, (value, where) => queuePattern(value, where, { partition, region, account }));

  const managedQueues = queues('managedQueues', 1);
  const sourceQueues = queues('sourceQueues', 0);
  const allowedDestinations = queues('allowedDestinations', 0);
  if (sourceQueues.length === 0 && allowedDestinations.length === 0) {
    throw new ConfigError(`${at('sourceQueues')} or allowedDestinations must name at least one queue: a redrive must be able to send somewhere`);
  }
  const queueKmsKeyArns = list(root.queueKmsKeyArns, at('queueKmsKeyArns'), 0, (value, where) =>
    string(value, where, 'a KMS key ARN, e.g. "arn:aws:kms:eu-west-1:111122223333:key/<uuid>"', KMS_KEY),
  );

  const api = object(root.api, at('api'));
  if (Object.hasOwn(api, 'corsOrigins')) {
    throw new ConfigError(`${at('api.corsOrigins')} was removed: the API never answered Access-Control-Allow-Origin, so the option opened unsigned OPTIONS methods and nothing else; browsers use the dashboard the API serves, or \`redrive dashboard\``);
  }
  for (const key of Object.keys(api)) {
    if (!(API_KEYS as readonly string[]).includes(key)) throw new ConfigError(`${at(`api.${key}`)} is not a known key; known keys: ${API_KEYS.join(', ')}`);
  }
  const allowedPrincipals = list(api.allowedPrincipals, at('api.allowedPrincipals'), 0, (value, where) =>
    string(value, where, 'an IAM role or user ARN, e.g. "arn:aws:iam::111122223333:role/dashboard" (a trailing * is allowed)', PRINCIPAL),
  );
  const messageReaders = list(api.messageReaders ?? [], at('api.messageReaders'), 0, (value, where) =>
    string(value, where, 'an IAM role or user ARN allowed to peek at DLQ messages, e.g. "arn:aws:iam::111122223333:role/dlq-reader" (a trailing * is allowed)', PRINCIPAL),
  );
  const organizationId = optional(api.organizationId, (value) => string(value, at('api.organizationId'), 'an AWS Organizations id, e.g. "o-a1b2c3d4e5"', ORG_ID));
  if (allowedPrincipals.length === 0 && organizationId === undefined) {
    throw new ConfigError(`${at('api.allowedPrincipals')} must list at least one IAM principal ARN (or set api.organizationId): nobody could call the API`);
  }
  const rateLimit = integer(api.rateLimit, at('api.rateLimit'), 1, 10_000);
  const burstLimit = integer(api.burstLimit, at('api.burstLimit'), 1, 5_000);
  const requireReason = api.requireReason === undefined ? false : boolean(api.requireReason, at('api.requireReason'));

  const circuitBreakers = list(root.circuitBreakers ?? [], at('circuitBreakers'), 0, (value, where) => {
    const entry = object(value, where);
    knownKeys(entry, where, CIRCUIT_BREAKER_KEYS);
    return {
      alarmName: alarmName(entry.alarmName, `${where}.alarmName`),
      queue: managedQueue(entry.queue, `${where}.queue`, { partition, region, account }, managedQueues),
    };
  });

  const recoveryPolicies = list(root.recoveryPolicies ?? [], at('recoveryPolicies'), 0, (value, where) => {
    const entry = object(value, where);
    // the DLQ by name or ARN, one managed queue; the rest as RECOVERY_POLICIES checks it
    const dlq = managedQueue(entry.dlq, `${where}.dlq`, { partition, region, account }, managedQueues);
    try {
      return parseRecoveryPolicy({ ...entry, dlq }, where);
    } catch (error) {
      if (error instanceof RecoveryPolicyError) throw new ConfigError(error.message);
      throw error;
    }
  });
  const duplicate = recoveryPolicies.find((policy, index) => recoveryPolicies.findIndex((other) => other.dlq === policy.dlq) !== index);
  if (duplicate) throw new ConfigError(`${at('recoveryPolicies')} names ${duplicate.dlq} more than once: one recovery policy per DLQ`);

  const eventSources = list(root.eventSources ?? [], at('eventSources'), 0, (value, where) =>
    string(value, where, 'an EventBridge source, e.g. "com.example.incidents"', /^[\w./-]{1,256}$/),
  );
  const eventBusName = root.eventBusName === undefined ? CONTROLLER_OUTBOUND_BUS : string(root.eventBusName, at('eventBusName'), 'a name for the bus the stack creates (letters, digits, . _ -)', EVENT_BUS_NAME);
  // the stack creates this bus and denies PutEvents on it to all but the controller's functions (docs/changelog.md)
  if (eventBusName === 'default') {
    throw new ConfigError(`${at('eventBusName')} names the bus the stack creates for the controller's events; "default" is the account's default bus, where any principal may put them: leave it out (default "${CONTROLLER_OUTBOUND_BUS}") or name a new bus`);
  }
  const events = parseEventsConfig(root.events, at, account);
  if (eventBusName === events.busName) throw new ConfigError(`${at('eventBusName')} must differ from events.busName ("${events.busName}"): the cancel bus admits the configured senders, the controller's own bus only its functions`);
  const retentionDays = integer(root.retentionDays ?? 90, at('retentionDays'), 1, 3650);
  const logRetentionDays = integer(root.logRetentionDays ?? 90, at('logRetentionDays'), 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new ConfigError(`${at('logRetentionDays')} must be one of CloudWatch Logs' periods: ${LOG_RETENTION_DAYS.join(', ')}; got ${logRetentionDays}`);
  }
  const logLevel = root.logLevel === undefined ? 'INFO' : oneOf(root.logLevel, at('logLevel'), LOG_LEVELS);
  const tableKmsKeyArn = optional(root.tableKmsKeyArn, (value) => string(value, at('tableKmsKeyArn'), 'a KMS key ARN', KMS_KEY));
  const alarmTopicArn = optional(root.alarmTopicArn, (value) =>
    string(value, at('alarmTopicArn'), 'an SNS topic ARN in the account', new RegExp(`^arn:${partition}:sns:${region}:${account}:[\\w-]{1,256}$`)),
  );
  const org = parseOrgForwardingConfig(root.org, at, allowedPrincipals);
  const mover = parseMoverConfig(root.mover, at);
  const replayTargets = parseReplayTargets(root.replayTargets, at('replayTargets'), { partition, region, account });
  const archiveRetentionDays = integer(root.archiveRetentionDays ?? 365, at('archiveRetentionDays'), 1, 36500);
  const archiveKmsKeyArn = optional(root.archiveKmsKeyArn, (value) => string(value, at('archiveKmsKeyArn'), 'a KMS key ARN', KMS_KEY));
  // at most SQS's longest retention, 14 days (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html)
  const archiveBeforeExpiry = optional(root.archiveBeforeExpiry, (value) => integer(value, at('archiveBeforeExpiry'), 1, 1_209_600));

  return {
    name,
    account,
    region,
    partition,
    managedQueues,
    sourceQueues,
    allowedDestinations,
    queueKmsKeyArns,
    api: { rateLimit, burstLimit, allowedPrincipals, messageReaders, requireReason, ...(organizationId ? { organizationId } : {}) },
    circuitBreakers,
    recoveryPolicies,
    eventSources,
    eventBusName,
    events,
    retentionDays,
    logRetentionDays,
    logLevel,
    ...(tableKmsKeyArn ? { tableKmsKeyArn } : {}),
    archiveRetentionDays,
    ...(archiveKmsKeyArn ? { archiveKmsKeyArn } : {}),
    ...(archiveBeforeExpiry === undefined ? {} : { archiveBeforeExpiry }),
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    ...(org ? { org } : {}),
    mover,
    replayTargets,
  };
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * A queue name, a name prefix ending in `*`, or the ARN of either, in this account and region;
 * always answered as an ARN (pattern), the form the function's scope and IAM both use.
 */
function queuePattern(value: unknown, where: string, home: { partition: string; region: string; account: string }): string {
  const expected = `a queue name, a name prefix ending in *, or an SQS queue ARN in ${home.account} / ${home.region}, e.g. "orders-dlq", "orders-*" or "arn:${home.partition}:sqs:${home.region}:${home.account}:orders-dlq"`;
  if (typeof value !== 'string') throw new ConfigError(`${where} must be ${expected}; got ${describeValue(value)}`);
  const prefix = `arn:${home.partition}:sqs:${home.region}:${home.account}:`;
  if (value.startsWith('arn:') && !value.startsWith(prefix)) {
    throw new ConfigError(`${where} must be ${expected}; got ${JSON.stringify(value)}${foreignArnPart(value, home)}`);
  }
  const name = value.startsWith('arn:') ? value.slice(prefix.length) : value;
  if (!QUEUE_NAME.test(name)) throw new ConfigError(`${where} must be ${expected}; got ${JSON.stringify(value)}`);
  return prefix + name;
}

/** What differs in a queue ARN copied from elsewhere: usually the account or the region. */
function foreignArnPart(value: string, home: { partition: string; region: string; account: string }): string {
  const [, partition, service, region, account] = value.split(':');
  const wrong: string[] = [];
  if (service !== 'sqs') wrong.push(`it is an ARN of ${JSON.stringify(service ?? '')}, not of sqs`);
  if (partition !== home.partition) wrong.push(`its partition ${JSON.stringify(partition ?? '')} is not ${home.partition}`);
  if (region !== home.region) wrong.push(`its region ${JSON.stringify(region ?? '')} is not the config's ${home.region}`);
  if (account !== home.account) wrong.push(`its account ${JSON.stringify(account ?? '')} is not the config's ${home.account}`);
  return wrong.length > 0 ? ` (${wrong.join('; ')})` : '';
}

/**
 * The alarm's name as CloudWatch's state-change event carries it (`detail.alarmName`): an ARN
 * there would never match, so the breaker would silently never fire.
 */
function alarmName(value: unknown, where: string): string {
  const arn = typeof value === 'string' ? /^arn:aws[a-z-]*:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(value) : null;
  if (arn) throw new ConfigError(`${where} must be the alarm's name, not its ARN: write ${JSON.stringify(arn[1])}; got ${JSON.stringify(value)}`);
  return string(value, where, 'a CloudWatch alarm name, e.g. "orders-consumer-errors"', ALARM_NAME);
}

/** The circuit breakers as the function reads them: each alarm → every DLQ it guards. */
export function circuitBreakerAlarms(breakers: readonly CircuitBreaker[]): Record<string, string[]> {
  const alarms: Record<string, string[]> = {};
  for (const { alarmName: name, queue } of breakers) {
    const queues = (alarms[name] ??= []);
    if (!queues.includes(queue)) queues.push(queue);
  }
  return alarms;
}

function knownKeys(value: Record<string, unknown>, where: string, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConfigError(`${where}.${key} is not a known key; known keys: ${known.join(', ')}`);
  }
}

/** One exact queue that the deployment manages: a circuit breaker cancels that queue's redrive. */
function managedQueue(value: unknown, where: string, home: { partition: string; region: string; account: string }, managed: readonly string[]): string {
  const arn = queuePattern(value, where, home);
  if (arn.endsWith('*')) throw new ConfigError(`${where} must name one queue, not a prefix; got ${JSON.stringify(value)}`);
  if (!managed.some((pattern) => matchesQueuePattern(arn, pattern))) {
    throw new ConfigError(`${where} must be one of managedQueues; got ${JSON.stringify(value)}`);
  }
  return arn;
}

function object(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be an object; got ${describeValue(value)}`);
  return value as Record<string, unknown>;
}

function string(value: unknown, where: string, expected: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConfigError(`${where} must be ${expected}; got ${typeof value === 'string' ? JSON.stringify(value) : describeValue(value)}`);
  }
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(`${where} must be true or false; got ${describeValue(value)}`);
  return value;
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${where} must be an integer from ${min} to ${max}; got ${describeValue(value)}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, where: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${where} must be one of ${allowed.join(', ')}; got ${describeValue(value)}`);
  }
  return value as T;
}

function list<T>(value: unknown, where: string, minimum: number, item: (value: unknown, where: string) => T): T[] {
  if (value === undefined && minimum === 0) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${where} must be a list${minimum > 0 ? ` of at least ${minimum}` : ''}; got ${describeValue(value)}`);
  if (value.length < minimum) throw new ConfigError(`${where} must list at least ${minimum}; got an empty list`);
  return [...new Set(value.map((entry, index) => item(entry, `${where}[${index}]`)))];
}

function optional<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}
