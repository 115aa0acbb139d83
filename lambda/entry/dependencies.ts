import { randomUUID } from 'node:crypto';

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

import { PowertoolsControllerMetrics } from '../adapters/cloudwatch/powertools-controller-metrics';
import { DynamoDbHoldStore } from '../adapters/dynamodb/dynamodb-hold-store';
import { DynamoDbRecoveryStore } from '../adapters/dynamodb/dynamodb-recovery-store';
import { DynamoDbTaskStore } from '../adapters/dynamodb/dynamodb-task-store';
import { EventBridgeEventPublisher } from '../adapters/eventbridge/eventbridge-event-publisher';
import { LambdaMoverInvoker } from '../adapters/lambda/lambda-mover-invoker';
import { lazyClient } from '../adapters/lazy-client';
import { oneSignerPerClient } from '../adapters/one-signer-per-client';
import { S3ArchiveStore } from '../adapters/s3/s3-archive-store';
import type { TraceClient } from '../adapters/sdk-client-settings';
import { leanMoverClient } from '../adapters/sqs/lean-mover-client';
import { SqsDlqDepthReader } from '../adapters/sqs/sqs-dlq-depth-reader';
import { SqsMessageMoveService } from '../adapters/sqs/sqs-message-move-service';
import { SqsQueueMessages } from '../adapters/sqs/sqs-queue-messages';
import { type ControllerSettings, readRecoveryPolicies, readSettings } from '../config/environment';
import type { DlqDependencies } from '../domain/dlq/dlq-ports';
import { meteredTaskStore } from '../domain/metered-task-store';
import type { ControllerDependencies } from '../domain/ports';
import { QueueScope } from '../domain/queue-scope';
import { ConfiguredReplayScope } from '../domain/replay/replay-scope';
import { createDlqDependencies } from './dlq-dependencies';

// Standard retries back off on throttling (RequestThrottled, ThrottlingException, ...) before a caller
// sees it; timeouts keep a dead endpoint from holding the function until Lambda's own timeout
// (without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes).
// cacheMiddleware: the middleware stack is resolved once per command type instead of for every call
// (a quarter of the SDK's CPU per call; nothing here adds middleware after a client's first call).
const CLIENT_OPTIONS = {
  maxAttempts: 3,
  retryMode: 'standard',
  cacheMiddleware: true,
  requestHandler: { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true },
} as const;

// One attempt per send, for calls a blind retry would harm or that are retried elsewhere:
// - StartMessageMoveTask and CancelMessageMoveTask are not idempotent: a retry after a 5xx or timeout
//   that hid an accepted request is refused; the adapter repeats throttled ones only (SQS did not act)
//   and, after a lost start, asks SQS whether the task started.
// - PutEvents: every event sits in its record's outbox until sent, and the reconciler re-drains
//   outboxes, so a retry here only spends the API's time budget (docs/design.md, "Time budget").
const SINGLE_ATTEMPT = { maxAttempts: 1 } as const;

// Every SQS request goes to the configured endpoint, not a queue URL's host (the same host in AWS;
// locally the URLs name the emulator's own host, and the SDK warns on every call whose URL differs).
const SQS_ENDPOINT = { useQueueUrlAsEndpoint: false } as const;

export interface Runtime {
  /** the SDK clients' retries and timeouts, for clients an entry builds itself */
  readonly clientOptions: Record<string, unknown>;
  readonly settings: ControllerSettings;
  readonly deps: ControllerDependencies;
  readonly logger: Logger;
  /** CloudWatch metrics (EMF on stdout), flushed by each entry's handler (with-metrics.ts) */
  readonly metrics: PowertoolsControllerMetrics;
}

export type { TraceClient };

/**
 * Built once per Lambda instance, at init: clients are reused across invocations. `traced` comes
 * from the entry, so an entry that does not trace its SDK calls (the API: its cold start) does not
 * bundle the Tracer.
 */
export function createRuntime(env: Readonly<Record<string, string | undefined>> = process.env, traced: TraceClient = (client) => client): Runtime {
  const settings = readSettings(env);
  const clientOptions =
    settings.sdkRequestTimeoutMs === undefined
      ? CLIENT_OPTIONS
      : { ...CLIENT_OPTIONS, requestHandler: { ...CLIENT_OPTIONS.requestHandler, requestTimeout: settings.sdkRequestTimeoutMs } };
  // service name and level from POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL, which the stack sets
  const logger = new Logger();
  const metrics = new PowertoolsControllerMetrics();
  const sqsClient = traced(oneSignerPerClient(new SQSClient({ region: settings.region, ...clientOptions, ...SQS_ENDPOINT })));
  const dynamoDbClient = traced(oneSignerPerClient(new DynamoDBClient({ region: settings.region, ...clientOptions })));
  // loads its client on first use, so the API's cold start does not pay for it
  const events = new EventBridgeEventPublisher({ eventBusName: settings.eventBusName, region: settings.region, clientOptions: { ...clientOptions, ...SINGLE_ATTEMPT }, traced });
  let dlqs: Promise<DlqDependencies> | undefined;
  const policies = readRecoveryPolicies(env);
  const deps: ControllerDependencies = {
    // the clients below are built on first use: the API's cold start pays for one SQS client (lazy-client.ts)
    sqs: new SqsMessageMoveService(sqsClient, lazyClient(() => traced(oneSignerPerClient(new SQSClient({ region: settings.region, ...clientOptions, ...SQS_ENDPOINT, ...SINGLE_ATTEMPT }))))),
    // every start, end and moved message is one of its writes: counted there, once
    store: meteredTaskStore(new DynamoDbTaskStore(dynamoDbClient, { tableName: settings.tableName }), metrics),
    events,
    scope: new QueueScope(settings),
    clock: { now: () => new Date() },
    log: {
      warn: (message, details) => logger.warn(message, details),
      error: (message, details) => logger.error(message, details),
    },
    // built on first use: the API's cold start creates no client for them
    dlqs: () => (dlqs ??= Promise.resolve(createDlqDependencies({ settings, clientOptions, dynamoDbClient, activity: events, traced }))),
    // the selective mover: queue access for it and for dry runs, its held handles, and its invocation;
    // without the per-request middleware the mover does not need (lean-mover-client.ts, docs/performance.md)
    messages: new SqsQueueMessages(lazyClient(() => traced(leanMoverClient(oneSignerPerClient(new SQSClient({ region: settings.region, ...clientOptions, ...SQS_ENDPOINT })))))),
    holds: new DynamoDbHoldStore(dynamoDbClient, settings.tableName),
    // replays (API.md section 11): the functions, queues, topics and buses they may deliver to
    replayScope: new ConfiguredReplayScope({ replayTargets: settings.replayTargets, allowedDestinations: settings.allowedDestinations }),
    // the recovery loop: plain objects over the clients above, so no cold-start cost without policies
    ...(policies.size > 0
      ? {
          recovery: {
            policies,
            recoveries: new DynamoDbRecoveryStore(dynamoDbClient, settings.tableName),
            depth: new SqsDlqDepthReader(lazyClient(() => traced(oneSignerPerClient(new SQSClient({ region: settings.region, ...clientOptions, ...SQS_ENDPOINT }))))),
            activity: events,
            newRunId: () => randomUUID(),
            inFlightGraceSeconds: settings.inFlightGraceSeconds,
          },
        }
      : {}),
    // the archive bucket: its client is loaded on first use
    ...(settings.archiveBucketName ? { archive: new S3ArchiveStore({ bucketName: settings.archiveBucketName, region: settings.region, clientOptions, traced }) } : {}),
    ...(settings.moverFunctionName
      ? { mover: new LambdaMoverInvoker({ functionName: settings.moverFunctionName, region: settings.region }) }
      : {}),
  };
  return { settings, deps, logger, metrics, clientOptions };
}
