import { resolve } from 'node:path';

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

import { ORG_ENV } from '../lambda/config/org-environment';
import type { OrgAccountEndpoint } from '../lambda/domain/org/org-directory';
import { EVENT_SOURCE } from '../lambda/domain/task-event';
import { bundlePath } from '../lib/lambda-bundling';
import { startLocalApiGateway } from './api-gateway';
import { startDynamoDbEmulator } from './emulators';
import { type BusEvent, type LocalEventBus, startLocalEventBus } from './event-bus';
import { orgBusPolicy } from './event-bus-policy';
import { LambdaHost } from './lambda-host';
import { LOCAL_API_ID, LOCAL_API_STAGE, LOCAL_CREDENTIALS, LOCAL_REGION, type LocalStack, type LocalStackOptions, startLocalStack } from './local-stack';
import { orgTableDefinition } from './org-table-definition';

/** The two accounts `npm start -- --org` runs (API.md section 9). */
export const LOCAL_ORG_ACCOUNTS = ['111111111111', '222222222222'] as const;
/** The tooling account the org stack plays. */
export const LOCAL_ORG_TOOLING_ACCOUNT = '999999999999';
export const LOCAL_ORG_BUS = 'redrive-org';
/** The organization the local accounts belong to (their principals' aws:PrincipalOrgID). */
export const LOCAL_ORG_ID = 'o-local00000';
export const LOCAL_ORG_INGEST_RULE = 'redrive-org-ingest';
/** The org API function's role, and the access key it signs with locally (account gateways know it by that). */
export const LOCAL_ORG_ROLE = {
  accessKeyId: 'local-org-api',
  principalArn: `arn:aws:iam::${LOCAL_ORG_TOOLING_ACCOUNT}:role/redrive-org-api`,
  /** what API Gateway's IAM authorization names a Lambda function's caller by: its role session */
  sessionArn: `arn:aws:sts::${LOCAL_ORG_TOOLING_ACCOUNT}:assumed-role/redrive-org-api/redrive-org-api`,
} as const;

export interface LocalOrgViewOptions {
  /** @default 3300 */
  readonly port?: number;
  /** the accounts whose APIs the org API routes to */
  readonly accounts: readonly OrgAccountEndpoint[];
  readonly onLog?: (line: string) => void;
  /** as LocalStackOptions.interpose, for the org's DynamoDB */
  readonly interpose?: (service: 'dynamodb', url: string) => Promise<string>;
  /** @default 'redrive-org' */
  readonly tableName?: string;
}

export interface LocalOrgView {
  readonly url: string;
  readonly dynamoDbUrl: string;
  readonly tableName: string;
  /** the org bus: forwarded events arrive through `deliver`, as from a cross-account rule target */
  readonly bus: LocalEventBus;
  readonly api: LambdaHost;
  readonly ingest: LambdaHost;
  stop(): Promise<void>;
}

/** The org stack on 127.0.0.1: its bus (admitting only the organization's accounts), the read-model table, the ingest function and the org API. */
export async function startLocalOrgView(options: LocalOrgViewOptions): Promise<LocalOrgView> {
  const tableName = options.tableName ?? 'redrive-org';
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => undefined);
  };
  try {
    const dynamoDb = await startDynamoDbEmulator({ port: 0 });
    stops.push(() => dynamoDb.close());
    const client = new DynamoDBClient({ endpoint: dynamoDb.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await client.send(new CreateTableCommand(orgTableDefinition(tableName))).finally(() => client.destroy());
    const bus = await startLocalEventBus({
      port: 0,
      accountId: LOCAL_ORG_TOOLING_ACCOUNT,
      region: LOCAL_REGION,
      buses: [LOCAL_ORG_BUS],
      deliverBus: LOCAL_ORG_BUS,
      // the deployed bus policy (aws:PrincipalOrgID), for the organization of the local accounts
      policies: { [LOCAL_ORG_BUS]: orgBusPolicy(`arn:aws:events:${LOCAL_REGION}:${LOCAL_ORG_TOOLING_ACCOUNT}:event-bus/${LOCAL_ORG_BUS}`, LOCAL_ORG_ID) },
      organization: { id: LOCAL_ORG_ID, accounts: [LOCAL_ORG_TOOLING_ACCOUNT, ...options.accounts.map((account) => account.accountId)] },
      onDeliveryError: (rule, error) => (options.onLog ?? console.error)(`local org rule ${rule}: delivery failed: ${String(error)}`),
      onDenied: (name, principal) => (options.onLog ?? console.error)(`local org bus ${name}: event from ${principal ?? 'an unknown sender'} refused (not in the organization)`),
    });
    stops.push(() => bus.close());
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      [ORG_ENV.tableName]: tableName,
      [ORG_ENV.region]: LOCAL_REGION,
      [ORG_ENV.accounts]: JSON.stringify(options.accounts.map((account) => ({ AccountId: account.accountId, Region: account.region, ApiUrl: account.apiUrl, ...(account.sqsEndpoint ? { SqsEndpoint: account.sqsEndpoint } : {}) }))),
      [ORG_ENV.serviceName]: 'redrive-org',
      [ORG_ENV.logLevel]: process.env.LOG_LEVEL ?? 'INFO',
      // no X-Ray daemon here: the Tracer is not even loaded (lambda/entry/with-tracing.ts)
      [ORG_ENV.traceEnabled]: 'false',
      AWS_ENDPOINT_URL_DYNAMODB: options.interpose ? await options.interpose('dynamodb', dynamoDb.url) : dynamoDb.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    };
    const startFunction = async (entry: 'org-api' | 'org-ingest', extra: Record<string, string> = {}) => {
      const host = await LambdaHost.start({
        bundle: resolve(__dirname, '..', bundlePath(entry)),
        env: { ...env, ...extra, AWS_LAMBDA_FUNCTION_NAME: `redrive-${entry}` },
        ...(options.onLog ? { onLog: options.onLog } : {}),
      });
      stops.push(() => host.stop());
      return host;
    };
    const ingest = await startFunction('org-ingest');
    // the org API signs its calls to the accounts as its role
    const api = await startFunction('org-api', { [ORG_ENV.apiGatewayId]: LOCAL_API_ID, [ORG_ENV.apiGatewayStage]: LOCAL_API_STAGE, AWS_ACCESS_KEY_ID: LOCAL_ORG_ROLE.accessKeyId });
    bus.addRule({ name: LOCAL_ORG_INGEST_RULE, eventBusName: LOCAL_ORG_BUS, pattern: { source: [EVENT_SOURCE] }, target: (event) => ingest.invoke(event) });
    const gateway = await startLocalApiGateway({
      port: options.port ?? 3300,
      accountId: LOCAL_ORG_TOOLING_ACCOUNT,
      invoke: (event: APIGatewayProxyEvent) => api.invoke<APIGatewayProxyResult>(event),
      onInvokeError: (error) => (options.onLog ?? console.error)(`local org API Gateway: the org-api function failed to answer (502): ${String(error)}`),
    });
    stops.push(() => gateway.close());
    return { url: gateway.url, dynamoDbUrl: dynamoDb.url, tableName, bus, api, ingest, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface LocalOrgOptions {
  /** the org API's port; @default 3300 */
  readonly orgPort?: number;
  /** each account's stack options, by position (ports, logs); @default - the local stack's defaults, each port + the account's position */
  readonly accountOptions?: (accountId: string, position: number) => LocalStackOptions;
  readonly onLog?: (line: string) => void;
  readonly orgInterpose?: LocalOrgViewOptions['interpose'];
}

export interface LocalOrg {
  readonly org: LocalOrgView;
  /** by account id */
  readonly accounts: Readonly<Record<string, LocalStack>>;
  stop(): Promise<void>;
}

/**
 * `npm start -- --org`: two account stacks, each with its own emulators, forwarding their outgoing
 * events to the org view, which routes actions to their APIs.
 */
export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  const stacks: LocalStack[] = [];
  let org: LocalOrgView | undefined;
  let orgReady!: (view: LocalOrgView) => void;
  const orgStarted = new Promise<LocalOrgView>((resolve) => (orgReady = resolve));
  // an account's events before the org view is up wait for it, as EventBridge retries a target
  const forwardTo = async (event: BusEvent) => (await orgStarted).bus.deliver(event);
  const stop = async () => {
    await org?.stop();
    for (const stack of stacks.reverse()) await stack.stop().catch(() => undefined);
  };
  try {
    for (const [position, accountId] of LOCAL_ORG_ACCOUNTS.entries()) {
      const base = options.accountOptions?.(accountId, position) ?? defaultPorts(position);
      // each account's org config: forward its events to the org bus, allow the org role as a caller
      stacks.push(await startLocalStack({ ...(options.onLog ? { onLog: options.onLog } : {}), ...base, accountId, forwardTo, orgCaller: LOCAL_ORG_ROLE }));
    }
    org = await startLocalOrgView({
      ...(options.orgPort !== undefined ? { port: options.orgPort } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
      ...(options.orgInterpose ? { interpose: options.orgInterpose } : {}),
      accounts: stacks.map((stack) => ({ accountId: stack.accountId, region: stack.region, apiUrl: stack.apiUrl, sqsEndpoint: stack.sqsUrl })),
    });
    orgReady(org);
    return { org, accounts: Object.fromEntries(stacks.map((stack) => [stack.accountId, stack])), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The local stack's default ports, plus the account's position: 3000/3001, 9324/9325, ... */
function defaultPorts(position: number): LocalStackOptions {
  return { apiPort: 3000 + position, sqsPort: 9324 + position, dynamoDbPort: 8000 + position, eventsPort: 4010 + position, lambdaPort: 9001 + position };
}
