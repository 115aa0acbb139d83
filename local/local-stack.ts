import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { resolve } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ENV } from '../lambda/config/environment';
import { bundlePath } from '../lib/lambda-bundling';
import { startLocalApiGateway } from './api-gateway';
import { startLocalEventBus, type LocalEventBus } from './event-bus';
import { startDynamoDbEmulator, startSqsEmulator, type RunningServer } from './emulators';
import { LambdaHost } from './lambda-host';
import { taskTableDefinition } from './task-table-definition';

// The SDK warns that Node.js 20 support ends; the local stack also runs on Lambda's Node.js 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_REGION = 'us-east-1';
/** Dummy credentials: the emulators accept any, and nothing can reach AWS with these. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalStackOptions {
  /** 0 picks a free port. @default 3000 */
  readonly apiPort?: number;
  /** @default 9324 */
  readonly sqsPort?: number;
  /** @default 8000 */
  readonly dynamoDbPort?: number;
  /** EventBridge PutEvents. @default 4010 */
  readonly eventsPort?: number;
  /** @default 'redrive-tasks' */
  readonly tableName?: string;
  /** receives the functions' log lines; @default - written to stdout */
  readonly onLog?: (line: string) => void;
  /**
   * Puts something between the function and an emulator (tests: a call counter or a fault
   * injector). Gets the emulator's URL, answers the URL the function should use.
   * @default - the function talks to the emulators directly
   */
  readonly interpose?: (service: 'sqs' | 'dynamodb', url: string) => Promise<string>;
  /** @default - LOG_LEVEL or INFO */
  readonly logLevel?: string;
  /** variables added to (or replacing) the functions' environment, e.g. a narrower MANAGED_QUEUES; @default - none */
  readonly functionEnv?: Readonly<Record<string, string>>;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly sqsUrl: string;
  readonly dynamoDbUrl: string;
  readonly eventsUrl: string;
  readonly eventBus: LocalEventBus;
  readonly tableName: string;
  readonly accountId: string;
  readonly region: string;
  readonly api: LambdaHost;
  /** the environment the functions run with */
  readonly functionEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** SQS and DynamoDB emulators, a local event bus, the bundled functions and a local API Gateway, on 127.0.0.1. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = options.tableName ?? 'redrive-tasks';
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => undefined);
  };
  try {
    const sqs = await startSqsEmulator({ port: options.sqsPort ?? 9324, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID });
    stops.push(() => sqs.close());
    const dynamoDb = await startDynamoDbEmulator({ port: options.dynamoDbPort ?? 8000 });
    stops.push(() => dynamoDb.close());
    await createTaskTable(dynamoDb, tableName);
    const eventBus = await startLocalEventBus({
      port: options.eventsPort ?? 4010,
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      onDeliveryError: (rule, error) => (options.onLog ?? console.error)(`local rule ${rule}: delivery failed: ${String(error)}`),
    });
    stops.push(() => eventBus.close());

    const functionEnv = {
      PATH: process.env.PATH ?? '',
      [ENV.tableName]: tableName,
      [ENV.accountId]: LOCAL_ACCOUNT_ID,
      [ENV.region]: LOCAL_REGION,
      // locally every queue of the account is managed and may be a destination
      [ENV.managedQueues]: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:*`,
      [ENV.allowedDestinations]: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:*`,
      // dynalite lacks ReturnValuesOnConditionCheckFailure (see docs/design.md)
      [ENV.itemOnConditionFailure]: 'false',
      [ENV.serviceName]: 'redrive-controller',
      [ENV.logLevel]: options.logLevel ?? process.env.LOG_LEVEL ?? 'INFO',
      AWS_ENDPOINT_URL_SQS: options.interpose ? await options.interpose('sqs', sqs.url) : sqs.url,
      AWS_ENDPOINT_URL_DYNAMODB: options.interpose ? await options.interpose('dynamodb', dynamoDb.url) : dynamoDb.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBus.url,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: 'redrive-controller-api',
      ...options.functionEnv,
    };
    const root = resolve(__dirname, '..');
    const api = await LambdaHost.start({
      bundle: resolve(root, bundlePath('api')),
      env: functionEnv,
      ...(options.onLog ? { onLog: options.onLog } : {}),
    });
    stops.push(() => api.stop());
    const gateway = await startLocalApiGateway({
      port: options.apiPort ?? 3000,
      accountId: LOCAL_ACCOUNT_ID,
      invoke: (event: APIGatewayProxyEvent) => api.invoke<APIGatewayProxyResult>(event),
    });
    stops.push(() => gateway.close());

    return {
      apiUrl: gateway.url,
      sqsUrl: sqs.url,
      dynamoDbUrl: dynamoDb.url,
      eventsUrl: eventBus.url,
      eventBus,
      tableName,
      accountId: LOCAL_ACCOUNT_ID,
      region: LOCAL_REGION,
      api,
      functionEnv,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createTaskTable(dynamoDb: RunningServer, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint: dynamoDb.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(new CreateTableCommand(taskTableDefinition(tableName)));
  } finally {
    client.destroy();
  }
}
