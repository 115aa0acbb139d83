import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

import { ENV, formatCircuitBreakerAlarms, readRecoveryPolicies, withRecoveryAlarms } from '../lambda/config/environment';
import { alarmEventPattern, cancelEventPattern, CONTROLLER_EVENT_BUS, CONTROLLER_OUTBOUND_BUS, orgForwardPattern, type RuleDelivery } from '../lambda/config/event-patterns';
import { bundlePath, type LambdaEntryName } from '../lib/lambda-bundling';
import { startLocalApiGateway } from './api-gateway';
import { type RunningServer,startDynamoDbEmulator, startSqsEmulator } from './emulators';
import { type BusEvent, type LocalBusPolicy, type LocalEventBus, startLocalEventBus } from './event-bus';
import { senderBusPolicy } from './event-bus-policy';
import { LambdaHost } from './lambda-host';
import { startLocalLambdaInvokeEndpoint } from './lambda-invoke-endpoint';
import { taskTableDefinition } from './task-table-definition';

// The SDK warns that Node.js 20 support ends; the local stack also runs on Lambda's Node.js 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_REGION = 'us-east-1';
/** Dummy credentials: the emulators accept any, and nothing can reach AWS with these. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** The local event bus's rule names (deployed, the stack's rules have generated names). */
export const LOCAL_CANCEL_RULE = 'redrive-controller-cancel-event';
export const LOCAL_CIRCUIT_BREAKER_RULE = 'redrive-controller-circuit-breaker';
export const LOCAL_ORG_FORWARD_RULE = 'redrive-controller-org-forward';
/** What the local API gateway puts in requestContext.apiId and .stage; the api function expects them. */
export const LOCAL_API_ID = 'local';
export const LOCAL_API_STAGE = 'local';

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
  readonly interpose?: (service: 'sqs' | 'dynamodb' | 'events', url: string) => Promise<string>;
  /**
   * How often the scheduled reconciler runs, as EventBridge's schedule would; 0 runs it only when
   * `reconcile()` is called (tests).
   * @default 5000
   */
  readonly reconcileIntervalMs?: number;
  /** extra or overriding environment variables for the functions; @default - none */
  readonly functionEnv?: Readonly<Record<string, string>>;
  /** Lambda's Invoke API for the mover (AWS_ENDPOINT_URL_LAMBDA). @default 4020 */
  readonly lambdaPort?: number;
  /** @default - LOG_LEVEL or INFO */
  readonly logLevel?: string;
  /** Sources the cancel-event rule routes (routing, not authentication). @default - any source */
  readonly eventSources?: readonly string[];
  /**
   * The controller bus's policy: who may put cancel events, known by their access key ids. Their
   * accounts are the ones the cancel rule and the events function accept.
   * @default - the bus admits anyone, as the contract's local stack does; events carry the local account
   */
  readonly eventSenders?: LocalBusPolicy;
  /** The circuit breaker: CloudWatch alarm name → ARNs of the DLQs whose redrives it cancels. @default - none */
  readonly circuitBreakerAlarms?: Readonly<Record<string, readonly string[]>>;
  /** the account the stack plays (its queue ARNs, its events' `account`). @default LOCAL_ACCOUNT_ID */
  readonly accountId?: string;
  /**
   * The account stack's `org` section: its outgoing events (orgForwardPattern) are handed, as they
   * are, to this target, as a rule with a cross-account event bus target does. @default - nothing forwarded
   */
  readonly forwardTo?: (event: BusEvent) => Promise<void>;
  /**
   * The org view's role, as the account's `org` config allows it: its requests (known by the access
   * key id it signs with) may name the person they ask for. @default - none
   */
  readonly orgCaller?: {
    readonly accessKeyId: string;
    readonly principalArn: string;
    readonly sessionArn: string;
    /** the persons the account accepts from it (ORG_ALLOWED_CALLERS); @default ['*'] (anyone) */
    readonly allowedCallers?: readonly string[];
  };
  /**
   * Callers the local API gateway knows by the SigV4 access key id they sign with (access key id →
   * principal ARN), as IAM authorization names them; others are `local`. @default - none
   */
  readonly callers?: Readonly<Record<string, string>>;
  /** recovery policies (API.md section 8), as RECOVERY_POLICIES holds them; their alarms join the one alarm map. @default - none */
  readonly recoveryPolicies?: readonly unknown[];
  /** Node.js flags for the mover's processes only, e.g. `--cpu-prof` (the benchmark's profiles); @default - none */
  readonly moverExecArgv?: readonly string[];
  /** bundles to run instead of `npm run build`'s, e.g. an asset from cdk.out; @default - dist/lambda/<entry>/index.mjs */
  readonly bundles?: Partial<Record<LambdaEntryName, string>>;
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
  readonly reconciler: LambdaHost;
  /** one scheduled run of the reconciler, now (a scheduled-event payload); answers its summary */
  reconcile(): Promise<Record<string, number>>;
  /** the DLQ inventory job (GET /dlqs), run on the reconciler's interval */
  readonly inventory: LambdaHost;
  /** one run of the inventory job, now; answers its summary */
  refreshInventory(): Promise<Record<string, number | boolean>>;
  /** the events function, target of the local bus's rules */
  readonly events: LambdaHost;
  /** the selective mover's current process (a new one is started for the next invocation after it dies) */
  readonly mover: LambdaHost;
  /** stops the mover's process and starts a new one, initialised and idle, as a new Lambda instance (the benchmark's fresh mover) */
  restartMover(): Promise<LambdaHost>;
  /** the environment the functions run with */
  readonly functionEnv: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** SQS and DynamoDB emulators, a local event bus, the bundled functions and a local API Gateway, on 127.0.0.1. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = options.tableName ?? 'redrive-tasks';
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => undefined);
  };
  try {
    const sqs = await startSqsEmulator({ port: options.sqsPort ?? 9324, region: LOCAL_REGION, accountId });
    stops.push(() => sqs.close());
    const dynamoDb = await startDynamoDbEmulator({ port: options.dynamoDbPort ?? 8000 });
    stops.push(() => dynamoDb.close());
    await createTaskTable(dynamoDb, tableName);
    const eventBus = await startLocalEventBus({
      port: options.eventsPort ?? 4010,
      accountId,
      region: LOCAL_REGION,
      buses: [CONTROLLER_EVENT_BUS, CONTROLLER_OUTBOUND_BUS],
      ...(options.eventSenders
        ? {
            policies: { [CONTROLLER_EVENT_BUS]: senderBusPolicy(`arn:aws:events:${LOCAL_REGION}:${accountId}:event-bus/${CONTROLLER_EVENT_BUS}`, options.eventSenders.allowedSenders) },
            identities: options.eventSenders.identities,
          }
        : {}),
      onDeliveryError: (rule, error) => (options.onLog ?? console.error)(`local rule ${rule}: delivery failed: ${String(error)}`),
      onDenied: (bus, principal) => (options.onLog ?? console.error)(`local bus ${bus}: PutEvents denied for ${principal ?? 'an unsigned caller'} (not in the bus policy)`),
    });
    const senderAccounts = [
      ...new Set([accountId, ...(options.eventSenders?.allowedSenders ?? []).flatMap((arn) => /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] ?? [])]),
    ];
    stops.push(() => eventBus.close());

    // the mover is invoked through Lambda's Invoke API, as deployed; a killed process is replaced on the next invocation
    const moverName = 'redrive-controller-mover';
    let mover: LambdaHost | undefined;
    let moverStarting: Promise<LambdaHost> | undefined;
    const root = resolve(__dirname, '..');
    const currentMover = (): Promise<LambdaHost> => {
      if (mover?.running) return Promise.resolve(mover);
      moverStarting ??= LambdaHost.start({
        bundle: options.bundles?.mover ?? resolve(root, bundlePath('mover')),
        env: { ...functionEnv, AWS_LAMBDA_FUNCTION_NAME: moverName },
        ...(options.onLog ? { onLog: options.onLog } : {}),
        ...(options.moverExecArgv ? { execArgv: options.moverExecArgv } : {}),
      }).then((host) => {
        mover = host;
        moverStarting = undefined;
        return host;
      }, (error: unknown) => {
        moverStarting = undefined;
        throw error;
      });
      return moverStarting;
    };
    const lambdaEndpoint = await startLocalLambdaInvokeEndpoint({
      port: options.lambdaPort ?? 4020,
      functions: { [moverName]: { invoke: async (event) => (await currentMover()).invoke(event) } },
      onError: (name, error) => (options.onLog ?? console.error)(`local function ${name}: invocation failed: ${String(error)}`),
    });
    stops.push(() => lambdaEndpoint.close());
    stops.push(async () => {
      await moverStarting?.catch(() => undefined);
      await mover?.stop();
    });

    const functionEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      [ENV.tableName]: tableName,
      [ENV.accountId]: accountId,
      [ENV.region]: LOCAL_REGION,
      // locally every queue of the account is managed and may be a destination
      [ENV.managedQueues]: `arn:aws:sqs:${LOCAL_REGION}:${accountId}:*`,
      [ENV.allowedDestinations]: `arn:aws:sqs:${LOCAL_REGION}:${accountId}:*`,
      [ENV.serviceName]: 'redrive-controller',
      // the controller's own outbound bus, where the org forwarding rule listens (lib/outbound-event-bus.ts)
      [ENV.eventBusName]: CONTROLLER_OUTBOUND_BUS,
      [ENV.logLevel]: options.logLevel ?? process.env.LOG_LEVEL ?? 'INFO',
      AWS_ENDPOINT_URL_SQS: options.interpose ? await options.interpose('sqs', sqs.url) : sqs.url,
      AWS_ENDPOINT_URL_DYNAMODB: options.interpose ? await options.interpose('dynamodb', dynamoDb.url) : dynamoDb.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: options.interpose ? await options.interpose('events', eventBus.url) : eventBus.url,
      AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url,
      [ENV.moverFunctionName]: moverName,
      // functions here finish in seconds; deployed, a batch lost in a crash waits out a minute
      [ENV.moverVisibilitySeconds]: '5',
      [ENV.moverLeaseSeconds]: '8',
      // functions here finish in milliseconds; deployed, the grace must outlast the functions' timeout
      [ENV.inFlightGraceSeconds]: '10',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // as Lambda sets it; Powertools reports cold_start only for on-demand instances
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      // no CloudWatch here: the DLQs' oldest-message ages are simply not known locally
      [ENV.queueAgeSource]: 'none',
      ...(options.recoveryPolicies ? { [ENV.recoveryPolicies]: JSON.stringify(options.recoveryPolicies) } : {}),
      // the local caller may peek and dry-run (API.md section 10): unsigned requests are `local` here,
      // `role/local` once the gateway names callers by role
      [ENV.messageReaders]: `local,arn:aws:iam::${accountId}:role/local`,
      // the account accepts every person the local org view names, unless a test narrows it
      ...(options.orgCaller ? { [ENV.orgAllowedCallers]: (options.orgCaller.allowedCallers ?? ['*']).join(',') } : {}),
      ...options.functionEnv,
    };
    await currentMover();
    // one line per function: its bundle (options.bundles, else npm run build's) and its own variables
    const startFunction = async (entry: LambdaEntryName, env: Readonly<Record<string, string>> = {}): Promise<LambdaHost> => {
      const host = await LambdaHost.start({
        bundle: options.bundles?.[entry] ?? resolve(__dirname, '..', bundlePath(entry)),
        env: { ...functionEnv, ...env, AWS_LAMBDA_FUNCTION_NAME: `redrive-controller-${entry}` },
        ...(options.onLog ? { onLog: options.onLog } : {}),
      });
      stops.push(() => host.stop());
      return host;
    };
    // one alarm map: the circuit breakers' alarms and the recovery policies' (checked here, before any function starts)
    const policies = [...readRecoveryPolicies(functionEnv).values()];
    const alarms = withRecoveryAlarms(options.circuitBreakerAlarms ?? {}, policies);
    const api = await startFunction('api', {
      [ENV.apiGatewayId]: LOCAL_API_ID,
      [ENV.apiGatewayStage]: LOCAL_API_STAGE,
      ...(options.orgCaller ? { [ENV.orgCallers]: options.orgCaller.principalArn } : {}),
    });
    const reconciler = await startFunction('reconciler');
    const events = await startFunction('events', { [ENV.circuitBreakerAlarms]: formatCircuitBreakerAlarms(alarms), [ENV.eventSenderAccounts]: senderAccounts.join(',') });
    const reconcile = () => reconciler.invoke<Record<string, number>>(scheduledEvent(accountId));
    const inventory = await startFunction('inventory');
    const refreshInventory = () => inventory.invoke<Record<string, number | boolean>>(scheduledEvent(accountId));
    const interval = options.reconcileIntervalMs ?? 5000;
    if (interval > 0) {
      startSchedule(interval, refreshInventory, 'inventory', options.onLog, stops);
      // like EventBridge Scheduler with one target: a run that overlaps the next tick is skipped here
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        reconcile()
          .catch((error: unknown) => (options.onLog ?? console.error)(`scheduled reconcile failed: ${String(error)}`))
          .finally(() => (running = false));
      }, interval);
      timer.unref();
      stops.push(async () => clearInterval(timer));
    }
    const gateway = await startLocalApiGateway({
      port: options.apiPort ?? 3000,
      accountId,
      identities: { ...options.callers, ...(options.orgCaller ? { [options.orgCaller.accessKeyId]: options.orgCaller.sessionArn } : {}) },
      invoke: (event: APIGatewayProxyEvent) => api.invoke<APIGatewayProxyResult>(event),
      onInvokeError: (error) => (options.onLog ?? console.error)(`local API Gateway: the api function failed to answer (502): ${String(error)}`),
    });
    stops.push(() => gateway.close());

    // as the deployed targets' input transformer does: the rule's name travels with the event
    const deliverTo = (ruleName: string) => (event: unknown) => events.invoke({ ruleName, event } satisfies RuleDelivery);
    eventBus.addRule({
      name: LOCAL_CANCEL_RULE,
      eventBusName: CONTROLLER_EVENT_BUS,
      pattern: cancelEventPattern({ accounts: senderAccounts, region: LOCAL_REGION, ...(options.eventSources ? { sources: options.eventSources } : {}) }),
      target: deliverTo(LOCAL_CANCEL_RULE),
    });
    if (Object.keys(alarms).length > 0) {
      eventBus.addRule({
        name: LOCAL_CIRCUIT_BREAKER_RULE,
        // alarm state changes arrive on the default bus, as CloudWatch publishes them
        pattern: alarmEventPattern({ alarmNames: Object.keys(alarms), partition: 'aws', account: accountId, region: LOCAL_REGION, withOk: policies.length > 0 }),
        target: deliverTo(LOCAL_CIRCUIT_BREAKER_RULE),
      });
    }

    if (options.forwardTo) {
      eventBus.addRule({ name: LOCAL_ORG_FORWARD_RULE, eventBusName: CONTROLLER_OUTBOUND_BUS, pattern: orgForwardPattern({ account: accountId }), target: options.forwardTo });
    }

    return {
      apiUrl: gateway.url,
      sqsUrl: sqs.url,
      dynamoDbUrl: dynamoDb.url,
      eventsUrl: eventBus.url,
      eventBus,
      tableName,
      accountId,
      region: LOCAL_REGION,
      api,
      reconciler,
      reconcile,
      inventory,
      refreshInventory,
      events,
      get mover() {
        return mover!;
      },
      restartMover: async () => {
        await moverStarting?.catch(() => undefined);
        await mover?.stop();
        return currentMover();
      },
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

/** Runs `run` now and every `interval` ms, skipping a tick while the last run is still going (as one schedule target does). */
function startSchedule(interval: number, run: () => Promise<unknown>, name: string, onLog: ((line: string) => void) | undefined, stops: Array<() => Promise<void>>): void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    run()
      .catch((error: unknown) => (onLog ?? console.error)(`scheduled ${name} failed: ${String(error)}`))
      .finally(() => (running = false));
  };
  tick();
  const timer = setInterval(tick, interval);
  timer.unref();
  stops.push(async () => clearInterval(timer));
}

/** What an EventBridge schedule rule delivers to its target. */
function scheduledEvent(accountId: string): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${accountId}:rule/redrive-controller-reconcile`],
    detail: {},
  };
}
