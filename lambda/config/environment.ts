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
  itemOnConditionFailure: 'DYNAMODB_ITEM_ON_CONDITION_FAILURE',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** the bus task events are published to */
  eventBusName: 'EVENT_BUS_NAME',
  /** days a finished task's record is kept (DynamoDB TTL) */
  retentionDays: 'TASK_RETENTION_DAYS',
  /** JSON object: CloudWatch alarm name -> queue ARN patterns whose redrives it cancels */
  alarmQueues: 'ALARM_QUEUES',
} as const;

export interface ControllerSettings {
  readonly tableName: string;
  readonly accountId: string;
  readonly region: string;
  readonly managedQueues: readonly string[];
  readonly allowedDestinations: readonly string[];
  readonly itemOnConditionFailure: boolean;
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
  const accountId = required(ENV.accountId);
  if (!/^\d{12}$/.test(accountId)) throw new Error(`${ENV.accountId} must be a 12-digit AWS account id`);
  return {
    tableName: required(ENV.tableName),
    accountId,
    region: required(ENV.region),
    managedQueues: list(ENV.managedQueues),
    allowedDestinations: list(ENV.allowedDestinations),
    itemOnConditionFailure: env[ENV.itemOnConditionFailure] !== 'false',
  };
}
