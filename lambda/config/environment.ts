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
  /** tests only: a shorter AWS SDK request timeout, so a timeout fault does not take 5 s per attempt */
  sdkRequestTimeoutMs: 'CONTROLLER_SDK_REQUEST_TIMEOUT_MS',
} as const;

export interface ControllerSettings {
  readonly tableName: string;
  readonly accountId: string;
  readonly region: string;
  readonly managedQueues: readonly string[];
  readonly allowedDestinations: readonly string[];
  readonly itemOnConditionFailure: boolean;
  /** @default - the dependencies' production timeout */
  readonly sdkRequestTimeoutMs?: number;
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
  const timeout = env[ENV.sdkRequestTimeoutMs]?.trim();
  if (timeout && !/^\d{2,6}$/.test(timeout)) throw new Error(`${ENV.sdkRequestTimeoutMs} must be a number of milliseconds (10 or more)`);
  return {
    tableName: required(ENV.tableName),
    accountId,
    region: required(ENV.region),
    managedQueues: list(ENV.managedQueues),
    allowedDestinations: list(ENV.allowedDestinations),
    itemOnConditionFailure: env[ENV.itemOnConditionFailure] !== 'false',
    ...(timeout ? { sdkRequestTimeoutMs: Number(timeout) } : {}),
  };
}
