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
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

export interface OrgSettings {
  readonly tableName: string;
  readonly region: string;
  readonly directory: OrgDirectory;
}

export function readOrgSettings(env: Readonly<Record<string, string | undefined>>): OrgSettings {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`environment variable ${name} is required`);
    return value;
  };
  return { tableName: required(ORG_ENV.tableName), region: required(ORG_ENV.region), directory: parseOrgDirectory(env[ORG_ENV.accounts]) };
}
