import { type OrgDirectory, parseOrgDirectory } from '../domain/org/org-directory';

/** The org stack's functions' environment: names in one place, read by lib/org, the entries and local/. */
export const ORG_ENV = {
  tableName: 'ORG_TABLE_NAME',
  region: 'AWS_REGION',
  /** JSON array of {"AccountId", "Region", "ApiUrl"}: the accounts whose APIs the org API routes actions to */
  accounts: 'ORG_ACCOUNTS',
  /** the org API's REST API and stage (defence in depth, as the account API's) */
  apiGatewayId: 'API_GATEWAY_ID',
  apiGatewayStage: 'API_GATEWAY_STAGE',
  /** days a finished task's row (and a DLQ or account row no event refreshed) is kept; the accounts' retentionDays */
  retentionDays: 'ORG_RETENTION_DAYS',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  traceEnabled: 'POWERTOOLS_TRACE_ENABLED',
} as const;

/** as an account stack's `retentionDays` default */
export const DEFAULT_ORG_RETENTION_DAYS = 90;

export interface OrgSettings {
  readonly tableName: string;
  readonly region: string;
  readonly directory: OrgDirectory;
  /** @default 90, as an account's retentionDays */
  readonly retentionDays: number;
}

export function readOrgSettings(env: Readonly<Record<string, string | undefined>>): OrgSettings {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`environment variable ${name} is required`);
    return value;
  };
  const days = env[ORG_ENV.retentionDays]?.trim();
  if (days !== undefined && days !== '' && !/^\d{1,4}$/.test(days)) throw new Error(`${ORG_ENV.retentionDays} must be a number of days, got ${days}`);
  const retentionDays = days ? Number(days) : DEFAULT_ORG_RETENTION_DAYS;
  if (retentionDays < 1) throw new Error(`${ORG_ENV.retentionDays} must be at least 1 day, got ${days}`);
  return { tableName: required(ORG_ENV.tableName), region: required(ORG_ENV.region), directory: parseOrgDirectory(env[ORG_ENV.accounts]), retentionDays };
}
