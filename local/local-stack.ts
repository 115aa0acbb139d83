import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

import { ENV, formatCircuitBreakerAlarms, readRecoveryPolicies, withRecoveryAlarms } from '../lambda/config/environment';
import { alarmEventPattern, cancelEventPattern, CONTROLLER_EVENT_BUS, CONTROLLER_OUTBOUND_BUS, orgForwardPattern } from '../lambda/config/event-patterns';
import { bundlePath, LAMBDA_ENTRIES, type LambdaEntryName } from '../lib/lambda-bundling';
import { startLocalApiGateway } from './api-gateway';
import { type RunningServer,startDynamoDbEmulator, startSqsEmulator } from './emulators';
import { type BusEvent, type LocalBusPolicy, type LocalEventBus, startLocalEventBus } from './event-bus';
import { senderBusPolicy } from './event-bus-policy';
import { LambdaHost } from './lambda-host';
import { startLocalLambdaInvokeEndpoint } from './lambda-invoke-endpoint';
import { startEnforcement } from './policy/enforcement';
import type { IdentityPolicy, PolicyDocument } from './policy/policy-evaluator';
import { startS3Emulator } from './s3-emulator';
import { startedOnFirstRequest } from './started-on-first-request';
import { taskTableDefinition } from './task-table-definition';
import type { RuleDescription, StackDescription } from './template/describe-stack';
import { transformInput } from './template/input-transformer';
import { readConfigFile } from './template/local-config';
import { describeLocalStack, LOCAL_RULE_NAMES } from './template/local-description';
import { type RunningWorld, startWorld, worldOperatorPolicy } from './world/running-world';
import type { LocalWorld } from './world/world-file';
import { withWorldReplayTargets } from './world/world-replay-targets';

// The SDK warns that Node.js 20 support ends; the local stack also runs on Lambda's Node.js 22.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_REGION = 'us-east-1';
/** Dummy credentials: the emulators accept any, and nothing can reach AWS with these. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
/** The local event bus's rule names (deployed, the stack's rules have generated names). */
export const LOCAL_CANCEL_RULE = LOCAL_RULE_NAMES.CancelEvents;
export const LOCAL_CIRCUIT_BREAKER_RULE = LOCAL_RULE_NAMES.CircuitBreakerAlarms;
export const LOCAL_ORG_FORWARD_RULE = 'redrive-controller-org-forward';
/** What the local API gateway puts in requestContext.apiId and .stage; the api function expects them. */
export const LOCAL_API_ID = 'local';
export const LOCAL_API_STAGE = 'local';
/** Lambda's API on 127.0.0.1 (API.md section 11: LAMBDA_PORT, default 9001). */
export const DEFAULT_LAMBDA_PORT = 9001;

export interface LocalStackOptions {
  /**
   * The configuration in the deployment's format (docs/configuration.md), as raw JSON: it is
   * synthesized, and the functions' environment, roles, policies and rules come from the template.
   * The options below are applied over it. @default - config/local/local.json
   */
  readonly config?: Readonly<Record<string, unknown>>;
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
  readonly interpose?: (service: 'sqs' | 'dynamodb' | 'events' | 's3', url: string) => Promise<string>;
  /** the S3 emulator (the archive bucket, API.md section 12); `npm start` uses S3_PORT, default 4569. @default 0 (a free port) */
  readonly s3Port?: number;
  /**
   * How often the scheduled reconciler runs, as EventBridge's schedule would; 0 runs it only when
   * `reconcile()` is called (tests).
   * @default 5000
   */
  readonly reconcileIntervalMs?: number;
  /** extra or overriding environment variables for the functions; @default - none */
  readonly functionEnv?: Readonly<Record<string, string>>;
  /** Lambda's API (Invoke, and the control plane's reads) for the functions (AWS_ENDPOINT_URL_LAMBDA), evaluated under enforcement. @default 9001 */
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
  /**
   * Evaluate every call of the functions (their synthesized roles), every API request (the API's
   * resource policy) and every PutEvents (the buses' policies), as AWS would. @default true
   */
  readonly enforce?: boolean;
  /** changes what the template says before the stack runs (tests: a grant removed from a role); @default - as synthesized */
  readonly alterDescription?: (description: StackDescription) => StackDescription;
  /** Node.js flags for the mover's processes only, e.g. `--cpu-prof` (the benchmark's profiles); @default - none */
  readonly moverExecArgv?: readonly string[];
  /**
   * The application around the controller (LOCAL_WORLD, API.md section 11; local/world/): its functions
   * run with asynchronous invocation, its rules deliver on the local buses. @default - none
   */
  readonly world?: LocalWorld;
  /** the local world's wait before a retry (Lambda waits a minute, then two; here this, then twice this). @default 1000 */
  readonly worldRetryDelayMs?: number;
  /** bundles to run instead of `npm run build`'s, e.g. an asset from cdk.out; @default - dist/lambda/<entry>/index.mjs */
  readonly bundles?: Partial<Record<LambdaEntryName, string>>;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly sqsUrl: string;
  readonly dynamoDbUrl: string;
  readonly eventsUrl: string;
  /** the S3 emulator, straight (no policy evaluation): path-style, any credentials */
  readonly s3Url: string;
  /** starts the S3 emulator now rather than on its first request */
  startS3(): Promise<void>;
  /** the archive bucket's local name */
  readonly archiveBucket: string;
  /** Lambda's API (Invoke of the mover and the world's functions, ListFunctions, ...), on LAMBDA_PORT: every call is evaluated as the functions' are */
  readonly lambdaUrl: string;
  /** the local world's functions and rules, running; @default - absent without a world */
  readonly world?: RunningWorld;
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
  /** the api function's environment without its function name: for a test's own host of the api bundle */
  readonly functionEnv: Readonly<Record<string, string>>;
  /** each function's own environment, as it runs: the template's, the local endpoints, its role's name as access key id */
  readonly functionEnvs: Readonly<Record<LambdaEntryName, Readonly<Record<string, string>>>>;
  /** what the synthesized template has: functions, their roles' policies, the API's and buses' policies, rules */
  readonly description: StackDescription;
  /** the synthesized stack's name, e.g. RedriveController-local */
  readonly stackName: string;
  /** how the template was had: from the cache, or synthesized in `ms` */
  readonly synthesis: { readonly cached: boolean; readonly ms: number };
  stop(): Promise<void>;
}

/** SQS and DynamoDB emulators, a local event bus, the bundled functions and a local API Gateway, on 127.0.0.1. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = options.tableName ?? 'redrive-tasks';
  const config = options.config ?? readConfigFile();
  const accountId = options.accountId ?? String(config.account);
  const region = String(config.region);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close().catch(() => undefined);
  };
  // the emulators start together; each is awaited below, or by stop(): a failed start is not an unhandled rejection meanwhile
  const sqsStarting = startSqsEmulator({ port: options.sqsPort ?? 9324, region, accountId });
  const dynamoDbStarting = startDynamoDbEmulator({ port: options.dynamoDbPort ?? 8000 });
  for (const starting of [sqsStarting, dynamoDbStarting]) {
    starting.catch(() => undefined);
    stops.push(async () => (await starting).close());
  }
  const tableCreated = dynamoDbStarting.then((dynamoDb) => createTaskTable(dynamoDb, tableName, region));
  tableCreated.catch(() => undefined);
  try {
    const sqs = await sqsStarting;
    // the deployed stack as `cdk synth` builds it for the configuration (cached: see local/template/synthesize.ts)
    const synthesisStart = Date.now();
    const { description: synthesized, stackName, cached } = await describeLocalStack({
      // the world's functions and target queues are the replay targets of its dead letters (local/world/world-replay-targets.ts)
      config: withWorldReplayTargets(withOrgCaller(withRecoveryPolicies(config, options), options, region), options.world, accountId, region),
      accountId,
      tableName,
      apiId: LOCAL_API_ID,
      queueUrl: (name) => `${sqs.url}/${accountId}/${name}`,
    });
    const description = options.alterDescription ? options.alterDescription(synthesized) : synthesized;
    // S3 (its own process) starts on the first request, its buckets created then: most stacks never touch it
    const s3 = await startedOnFirstRequest(options.s3Port ?? 0, async () => {
      const emulator = await startS3Emulator({ port: 0, buckets: [] });
      await createBuckets(emulator, Object.values(description.buckets), region).catch(async (error: unknown) => {
        await emulator.close();
        throw error;
      });
      return emulator;
    });
    stops.push(() => s3.close());
    const dynamoDb = await dynamoDbStarting;
    await tableCreated;
    // what the template's policies say is what the local stack enforces (API.md section 10)
    const enforce = options.enforce ?? true;
    const identityPolicies = Object.fromEntries(Object.values(description.functions).map((fn) => [fn.roleArn, fn.identityPolicies]));
    const cancelBus = description.rules.find((rule) => rule.constructId === 'CancelEvents')?.eventBusName ?? CONTROLLER_EVENT_BUS;
    const busPolicies: Record<string, PolicyDocument> = {
      ...description.buses,
      // other senders than the configuration's (tests of the cancel bus's door)
      ...(options.eventSenders ? { [cancelBus]: senderBusPolicy(`arn:aws:events:${region}:${accountId}:event-bus/${cancelBus}`, options.eventSenders.allowedSenders) } : {}),
    };
    const eventBus = await startLocalEventBus({
      port: options.eventsPort ?? 4010,
      accountId,
      region,
      // the template's buses (cancel events, the controller's own events) and the world's; `default` always exists
      buses: [...Object.keys(description.buses), ...(options.world?.rules.map((rule) => rule.eventBusName) ?? [])],
      ...(enforce ? { policies: busPolicies, identityPolicies: { ...identityPolicies, ...localOperatorPolicies(accountId, region, options.world) }, awsSourceSenders: [localOperator(accountId)] } : {}),
      ...(options.eventSenders ? { identities: options.eventSenders.identities } : {}),
      onDeliveryError: (rule, error) => (options.onLog ?? console.error)(`local rule ${rule}: delivery failed: ${String(error)}`),
      onDenied: (bus, principal) => (options.onLog ?? console.error)(`local bus ${bus}: PutEvents denied for ${principal ?? 'an unsigned caller'} (not in the bus policy)`),
    });
    const senderAccounts = [
      ...new Set([accountId, ...(options.eventSenders?.allowedSenders ?? []).flatMap((arn) => /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] ?? [])]),
    ];
    stops.push(() => eventBus.close());

    // what runs here and not on AWS: the emulators' endpoints, dummy secrets, short local timings
    const local: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      [ENV.region]: region,
      ...(options.logLevel ?? process.env.LOG_LEVEL ? { [ENV.logLevel]: options.logLevel ?? process.env.LOG_LEVEL ?? 'INFO' } : {}),
      // functions here finish in seconds; deployed, a batch lost in a crash waits out a minute
      [ENV.moverVisibilitySeconds]: '5',
      [ENV.moverLeaseSeconds]: '8',
      // functions here finish in milliseconds; deployed, the grace must outlast the functions' timeout
      [ENV.inFlightGraceSeconds]: '10',
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // as Lambda sets it; Powertools reports cold_start only for on-demand instances
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      // no CloudWatch here: the DLQs' oldest-message ages are simply not known locally
      [ENV.queueAgeSource]: 'none',
    };

    // the options' circuit breakers and recovery policies replace the configuration's (one alarm map, checked before any function starts)
    const overridesAlarms = options.circuitBreakerAlarms !== undefined || options.recoveryPolicies !== undefined || options.functionEnv?.[ENV.recoveryPolicies] !== undefined;
    const templateEnv = description.functions.reconciler?.env ?? {};
    const recoveryEnv = {
      ...(options.recoveryPolicies ? { [ENV.recoveryPolicies]: JSON.stringify(options.recoveryPolicies) } : {}),
      ...(options.functionEnv?.[ENV.recoveryPolicies] ? { [ENV.recoveryPolicies]: options.functionEnv[ENV.recoveryPolicies] } : {}),
    };
    const policies = [...readRecoveryPolicies(overridesAlarms ? recoveryEnv : templateEnv).values()];
    const alarms = overridesAlarms ? withRecoveryAlarms(options.circuitBreakerAlarms ?? {}, policies) : (JSON.parse(templateEnv[ENV.circuitBreakerAlarms] ?? '{}') as Record<string, string[]>);
    const shared: Record<string, string> = {
      ...(overridesAlarms ? { [ENV.circuitBreakerAlarms]: formatCircuitBreakerAlarms(alarms), ...recoveryEnv } : {}),
    };
    const envOf = (entry: LambdaEntryName): Record<string, string> => {
      const synthesized = description.functions[entry];
      if (!synthesized) throw new Error(`the synthesized stack has no ${entry} function`);
      return {
        ...synthesized.env,
        ...local,
        // the function signs with its role's name: the enforcing proxy knows the caller by its access key id
        AWS_ACCESS_KEY_ID: synthesized.roleName,
        AWS_LAMBDA_FUNCTION_NAME: synthesized.functionName,
        ...shared,
        ...(entry === 'api'
          ? {
              // the local gateway's stage (the resource policy's method ARNs match any stage)
              [ENV.apiGatewayStage]: LOCAL_API_STAGE,
              ...(options.orgCaller ? { [ENV.orgCallers]: options.orgCaller.principalArn } : {}),
              // the account accepts every person the local org view names, unless a test narrows it
              ...(options.orgCaller ? { [ENV.orgAllowedCallers]: (options.orgCaller.allowedCallers ?? ['*']).join(',') } : {}),
            }
          : {}),
        ...(entry === 'events' && options.eventSenders ? { [ENV.eventSenderAccounts]: senderAccounts.join(',') } : {}),
        ...options.functionEnv,
      };
    };

    // the mover is invoked through Lambda's Invoke API, as deployed; a killed process is replaced on the next invocation
    const moverName = description.functions.mover?.functionName ?? 'redrive-controller-mover';
    let mover: LambdaHost | undefined;
    let moverStarting: Promise<LambdaHost> | undefined;
    const root = resolve(__dirname, '..');
    const currentMover = (): Promise<LambdaHost> => {
      if (mover?.running) return Promise.resolve(mover);
      moverStarting ??= LambdaHost.start({
        bundle: options.bundles?.mover ?? resolve(root, bundlePath('mover')),
        env: envOf('mover'),
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
    // the raw Invoke endpoint evaluates nothing: under enforcement it listens on a free loopback port and
    // only the enforcing proxy, on the published LAMBDA_PORT, reaches it
    const configurationOf = (entry: string) => {
      const fn = description.functions[entry];
      return fn ? { functionName: fn.functionName, functionArn: `arn:aws:lambda:${region}:${accountId}:function:${fn.functionName}`, role: fn.roleArn } : undefined;
    };
    const moverConfiguration = configurationOf('mover');
    const lambdaEndpoint = await startLocalLambdaInvokeEndpoint({
      port: enforce ? 0 : (options.lambdaPort ?? DEFAULT_LAMBDA_PORT),
      functions: { [moverName]: { invoke: async (event) => (await currentMover()).invoke(event), ...(moverConfiguration ? { configuration: moverConfiguration } : {}) } },
      onError: (name, error) => (options.onLog ?? console.error)(`local function ${name}: invocation failed: ${String(error)}`),
    });
    stops.push(() => lambdaEndpoint.close());
    // the functions reach each service through an enforcing proxy that evaluates their role's policies (local/policy/)
    const upstreams = { sqs: sqs.url, dynamodb: dynamoDb.url, events: eventBus.url, lambda: lambdaEndpoint.url, s3: s3.url };
    const enforcement = enforce
      ? await startEnforcement({
          scope: { accountId, region },
          // the local operator plays the world's application: it may invoke the world's functions (docs/local-world.md)
          identityPolicies: options.world ? { ...identityPolicies, ...localOperatorPolicies(accountId, region, options.world) } : identityPolicies,
          resourcePolicies: Object.fromEntries(Object.entries(busPolicies).map(([bus, policy]) => [`arn:aws:events:${region}:${accountId}:event-bus/${bus}`, policy])),
          upstreams,
          ports: { lambda: options.lambdaPort ?? DEFAULT_LAMBDA_PORT },
          onDenied: (line) => (options.onLog ?? console.error)(`local IAM: ${line}`),
        })
      : undefined;
    if (enforcement) stops.push(() => enforcement.close());
    const endpoint = (service: keyof typeof upstreams) => enforcement?.urls[service] ?? upstreams[service];
    Object.assign(local, {
      AWS_ENDPOINT_URL_SQS: options.interpose ? await options.interpose('sqs', endpoint('sqs')) : endpoint('sqs'),
      AWS_ENDPOINT_URL_DYNAMODB: options.interpose ? await options.interpose('dynamodb', endpoint('dynamodb')) : endpoint('dynamodb'),
      AWS_ENDPOINT_URL_EVENTBRIDGE: options.interpose ? await options.interpose('events', endpoint('events')) : endpoint('events'),
      AWS_ENDPOINT_URL_LAMBDA: endpoint('lambda'),
      AWS_ENDPOINT_URL_S3: options.interpose ? await options.interpose('s3', endpoint('s3')) : endpoint('s3'),
    });
    stops.push(async () => {
      await moverStarting?.catch(() => undefined);
      await mover?.stop();
    });

    const functionEnvs = Object.fromEntries((Object.keys(LAMBDA_ENTRIES) as LambdaEntryName[]).map((entry) => [entry, envOf(entry)])) as Record<LambdaEntryName, Record<string, string>>;
    // the api function's: a host a test starts with it signs as the api's role
    const { AWS_LAMBDA_FUNCTION_NAME: _name, ...functionEnv } = functionEnvs.api;
    // one line per function: its bundle (options.bundles, else npm run build's) and its environment from the template
    const startFunction = async (entry: LambdaEntryName): Promise<LambdaHost> => {
      const host = await LambdaHost.start({
        bundle: options.bundles?.[entry] ?? resolve(root, bundlePath(entry)),
        env: functionEnvs[entry],
        ...(options.onLog ? { onLog: options.onLog } : {}),
      });
      stops.push(() => host.stop());
      return host;
    };
    // the functions' processes start together (each is busy loading its bundle); all settle before a failure stops the rest
    const starts = await Promise.allSettled([startFunction('api'), startFunction('reconciler'), startFunction('events'), startFunction('inventory'), currentMover()]);
    const failedStart = starts.find((start) => start.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    const [api, reconciler, events, inventory] = starts.map((start) => (start as PromiseFulfilledResult<LambdaHost>).value) as [LambdaHost, LambdaHost, LambdaHost, LambdaHost];
    const reconcile = () => reconciler.invoke<Record<string, number>>(scheduledEvent(accountId, region, LOCAL_RULE_NAMES.ReconcileSchedule));
    const refreshInventory = () => inventory.invoke<Record<string, number | boolean>>(scheduledEvent(accountId, region, LOCAL_RULE_NAMES.InventorySchedule));
    const hosts: Partial<Record<string, LambdaHost>> = { api, reconciler, events, inventory };
    // every function is Lambda's to list (ListFunctions), and to invoke for whoever its policy allows
    for (const [entry, host] of Object.entries(hosts)) {
      const configuration = configurationOf(entry);
      if (host && configuration) lambdaEndpoint.register(configuration.functionName, { invoke: (event) => host.invoke(event), configuration });
    }
    // the application around the controller (LOCAL_WORLD): its functions on Lambda's API, its rules on the buses
    const world = options.world
      ? await startWorld({
          world: options.world,
          accountId,
          region,
          sqsUrl: sqs.url,
          eventBus,
          lambda: lambdaEndpoint,
          // the world's functions have no roles here: they reach the emulators directly (docs/local-world.md)
          env: {
            PATH: process.env.PATH ?? '',
            AWS_REGION: region,
            AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            AWS_ENDPOINT_URL_SQS: sqs.url,
            AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.url,
            AWS_ENDPOINT_URL_EVENTBRIDGE: eventBus.url,
            AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint.url,
          },
          ...(options.worldRetryDelayMs !== undefined ? { retryDelayMs: options.worldRetryDelayMs } : {}),
          onLog: options.onLog ?? ((line: string) => console.log(line)),
        })
      : undefined;
    if (world) stops.push(() => world.stop());
    const interval = options.reconcileIntervalMs ?? 5000;
    const scheduled = new Set(description.rules.filter((rule) => rule.scheduleExpression && rule.enabled).flatMap((rule) => rule.targets.map((target) => target.entry)));
    if (interval > 0) {
      // the template's schedules, each run every `interval` here (deployed: every minute)
      if (scheduled.has('inventory')) startSchedule(interval, refreshInventory, 'inventory', options.onLog, stops);
      if (scheduled.has('reconciler')) {
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
    }
    const gateway = await startLocalApiGateway({
      port: options.apiPort ?? 3000,
      accountId,
      identities: { ...options.callers, ...(options.orgCaller ? { [options.orgCaller.accessKeyId]: options.orgCaller.sessionArn } : {}) },
      // the template's resource policy, on the method ARNs of this API and stage
      ...(enforce && description.apiResourcePolicy ? { resourcePolicy: description.apiResourcePolicy, identityPolicies } : {}),
      region,
      apiId: LOCAL_API_ID,
      stage: LOCAL_API_STAGE,
      onDenied: (message) => (options.onLog ?? console.error)(`local API Gateway: ${message}`),
      invoke: (event: APIGatewayProxyEvent) => api.invoke<APIGatewayProxyResult>(event),
      onInvokeError: (error) => (options.onLog ?? console.error)(`local API Gateway: the api function failed to answer (502): ${String(error)}`),
    });
    stops.push(() => gateway.close());

    // the template's event rules; the options' senders, sources and alarms replace their patterns
    const patternOverrides: Partial<Record<string, object>> = {
      ...(options.eventSenders || options.eventSources
        ? { CancelEvents: cancelEventPattern({ accounts: senderAccounts, region, ...(options.eventSources ? { sources: options.eventSources } : {}) }) }
        : {}),
      ...(overridesAlarms && Object.keys(alarms).length > 0
        ? { CircuitBreakerAlarms: alarmEventPattern({ alarmNames: Object.keys(alarms), partition: 'aws', account: accountId, region, withOk: policies.length > 0 }) }
        : {}),
    };
    // a rule whose targets are not local functions (the org forwarding rule's cross-account bus) is options.forwardTo's
    const eventRules = description.rules.filter((rule) => rule.eventPattern && rule.enabled && rule.targets.some((target) => target.entry) && !(overridesAlarms && rule.constructId === 'CircuitBreakerAlarms'));
    if (patternOverrides.CircuitBreakerAlarms) {
      eventRules.push({ ...(description.rules.find((rule) => rule.constructId === 'CancelEvents') as RuleDescription), constructId: 'CircuitBreakerAlarms', name: LOCAL_CIRCUIT_BREAKER_RULE, eventBusName: 'default' });
    }
    for (const rule of eventRules) {
      const ruleArn = `arn:aws:events:${region}:${accountId}:rule/${rule.name}`;
      eventBus.addRule({
        name: rule.name,
        eventBusName: rule.eventBusName,
        pattern: (rule.constructId ? patternOverrides[rule.constructId] : undefined) ?? rule.eventPattern!,
        targets: rule.targets.map((target) => ({ Id: target.id, Arn: target.arn, ...(target.input !== undefined ? { Input: target.input } : {}), ...(target.inputTransformer ? { InputTransformer: target.inputTransformer } : {}) })),
        target: async (event) => {
          for (const target of rule.targets.filter((each) => each.entry)) {
            const host = hosts[target.entry!];
            if (!host) throw new Error(`rule ${rule.name}: its target ${target.arn} does not run locally`);
            // as the deployed targets' input transformer does: the rule's name travels with the event
            const input = target.inputTransformer ? transformInput(target.inputTransformer, event as unknown as Record<string, unknown>, rule.name, ruleArn) : target.input !== undefined ? JSON.parse(target.input) : event;
            await host.invoke(input);
          }
        },
      });
    }

    if (options.forwardTo) {
      // the controller's own outbound bus (EVENT_BUS_NAME), where the deployed org forwarding rule listens (lib/outbound-event-bus.ts)
      eventBus.addRule({ name: LOCAL_ORG_FORWARD_RULE, eventBusName: templateEnv[ENV.eventBusName] ?? CONTROLLER_OUTBOUND_BUS, pattern: orgForwardPattern({ account: accountId }), target: options.forwardTo });
    }

    return {
      apiUrl: gateway.url,
      sqsUrl: sqs.url,
      dynamoDbUrl: dynamoDb.url,
      eventsUrl: eventBus.url,
      s3Url: s3.url,
      startS3: async () => {
        await s3.start();
      },
      archiveBucket: description.buckets[ARCHIVE_BUCKET_PATH] ?? '',
      lambdaUrl: endpoint('lambda'),
      ...(world ? { world } : {}),
      eventBus,
      tableName,
      accountId,
      region,
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
      functionEnvs,
      description,
      stackName,
      synthesis: { cached, ms: Date.now() - synthesisStart },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The org view's role given as an option joins the configuration's `org` section before synthesis:
 * the API's resource policy then admits it, as a deployment's does (docs/organization.md).
 */
function withOrgCaller(config: Readonly<Record<string, unknown>>, options: LocalStackOptions, region: string): Readonly<Record<string, unknown>> {
  if (!options.orgCaller || config.org !== undefined) return config;
  const orgAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(options.orgCaller.principalArn)?.[1];
  if (!orgAccount) throw new Error(`orgCaller.principalArn must be an IAM role ARN; got ${options.orgCaller.principalArn}`);
  return { ...config, org: { busArn: `arn:aws:events:${region}:${orgAccount}:event-bus/redrive-org`, apiRoleArns: [options.orgCaller.principalArn] } };
}

/** The local operator: an unsigned caller, or one signing with the access key id `local`. */
function localOperator(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/local`;
}

/**
 * The local operator's identity policy (docs/local-stack.md): it may put events on the account's
 * `default` bus, which has no resource policy, so its identity policy decides as on AWS. With
 * `awsSourceSenders` it alone may also put `aws.*` sources there: it stands in for CloudWatch's
 * alarm state changes. Other same-account roles the stack does not know have no policy: refused.
 */
function localOperatorPolicies(accountId: string, region: string, world?: LocalWorld): Record<string, IdentityPolicy[]> {
  return {
    [localOperator(accountId)]: [
      {
        name: 'local operator: PutEvents on the default bus',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: `arn:aws:events:${region}:${accountId}:event-bus/default` }] },
      },
      ...(world ? [worldOperatorPolicy(accountId, region, world)] : []),
    ],
  };
}

/**
 * Recovery policies given as options join the configuration before it is synthesized: the
 * reconciler's role then gets the grants to start their redrives, as a deployment's would.
 */
function withRecoveryPolicies(config: Readonly<Record<string, unknown>>, options: LocalStackOptions): Readonly<Record<string, unknown>> {
  const text = options.functionEnv?.[ENV.recoveryPolicies] ?? (options.recoveryPolicies ? JSON.stringify(options.recoveryPolicies) : undefined);
  if (text === undefined) return config;
  // checked as the functions check RECOVERY_POLICIES, so a bad policy fails with their message
  const policies = [...readRecoveryPolicies({ [ENV.recoveryPolicies]: text }).values()];
  return { ...config, recoveryPolicies: policies };
}

/** The archive bucket's construct path in the template (lib/redrive-controller-stack.ts, lib/archive-bucket.ts). */
export const ARCHIVE_BUCKET_PATH = 'Archive/Bucket';

/** The template's buckets, as CloudFormation would create them. */
async function createBuckets(s3: RunningServer, buckets: readonly string[], region: string): Promise<void> {
  const client = new S3Client({ endpoint: s3.url, region, credentials: LOCAL_CREDENTIALS });
  try {
    for (const bucket of buckets) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

async function createTaskTable(dynamoDb: RunningServer, tableName: string, region: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint: dynamoDb.url, region, credentials: LOCAL_CREDENTIALS });
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
function scheduledEvent(accountId: string, region: string, ruleName: string): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:events:${region}:${accountId}:rule/${ruleName}`],
    detail: {},
  };
}
