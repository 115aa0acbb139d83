// EventBridge schedule (every minute; locally on the reconciler's interval) --> refreshDlqInventory (with the discovery of
// functions' and rule targets' DLQs, docs/dlq-discovery.md) --> its change events --> one log line per run
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent } from 'aws-lambda';

import { CloudWatchQueueAgeReader } from '../adapters/cloudwatch/cloudwatch-queue-age-reader';
import { PowertoolsControllerMetrics } from '../adapters/cloudwatch/powertools-controller-metrics';
import { UnknownQueueAges } from '../adapters/cloudwatch/unknown-queue-ages';
import { DynamoDbDlqHistoryWriter } from '../adapters/dynamodb/dynamodb-dlq-history-writer';
import { DynamoDbDlqInventoryStore } from '../adapters/dynamodb/dynamodb-dlq-inventory-store';
import { DynamoDbTaskStore } from '../adapters/dynamodb/dynamodb-task-store';
import { EventBridgeEventPublisher } from '../adapters/eventbridge/eventbridge-event-publisher';
import { EventBridgeRuleDeadLetterReader } from '../adapters/eventbridge/eventbridge-rule-dead-letter-reader';
import { LambdaFunctionDeadLetterReader } from '../adapters/lambda/lambda-function-dead-letter-reader';
import { oneSignerPerClient } from '../adapters/one-signer-per-client';
import { SqsQueueAttributeReader } from '../adapters/sqs/sqs-queue-attribute-reader';
import { SqsSentTimestampSampler } from '../adapters/sqs/sqs-sent-timestamp-sampler';
import { ENV, readSettings } from '../config/environment';
import { taskMovesReaderOf } from '../domain/dlq/controller-moves';
import { newDiscoveryState } from '../domain/operations/discover-dlq-owners';
import { type InventoryDependencies, type InventorySummary,refreshDlqInventory } from '../domain/operations/refresh-dlq-inventory';
import { QueueScope } from '../domain/queue-scope';
import { clockMs, elapsedMs } from './elapsed-ms';
import { withMetrics } from './with-metrics';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const settings = readSettings(process.env);
const ageSource = process.env[ENV.queueAgeSource]?.trim() || 'cloudwatch';
if (ageSource !== 'cloudwatch' && ageSource !== 'none') throw new Error(`${ENV.queueAgeSource} must be cloudwatch or none, got ${ageSource}`);
const clientOptions = {
  region: settings.region,
  maxAttempts: 3,
  retryMode: 'standard',
  // the middleware stack resolved once per command type, not for every call (entry/dependencies.ts)
  cacheMiddleware: true,
  requestHandler: { connectionTimeout: 2000, requestTimeout: settings.sdkRequestTimeoutMs ?? 5000, throwOnRequestTimeout: true },
} as const;
// Discovery's list calls: 'adaptive' retries, whose client-side rate limiter slows this client after a throttle instead
// of only retrying, as Lambda's control plane allows 15 calls a second for the whole account, deployments included
const discoveryClientOptions = { ...clientOptions, retryMode: 'adaptive', maxAttempts: 5 } as const;
const functionReader = new LambdaFunctionDeadLetterReader(traced(oneSignerPerClient(new LambdaClient(discoveryClientOptions))));
const ruleReader = new EventBridgeRuleDeadLetterReader(traced(oneSignerPerClient(new EventBridgeClient(discoveryClientOptions))));
// service name and level from POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL, which the stack sets
const logger = new Logger();
// calls go to the configured endpoint, not the host in each queue URL (the same in AWS; countable locally)
const sqs = traced(oneSignerPerClient(new SQSClient({ ...clientOptions, useQueueUrlAsEndpoint: false })));
const metrics = new PowertoolsControllerMetrics();
const dynamoDb = traced(oneSignerPerClient(new DynamoDBClient(clientOptions)));
const deps: InventoryDependencies = {
  queues: new SqsQueueAttributeReader(sqs),
  // dates each standard DLQ's oldest message (message-expiry.ts): one receive where what is known may be stale
  sentTimestamps: new SqsSentTimestampSampler(sqs),
  ages: ageSource === 'cloudwatch' ? new CloudWatchQueueAgeReader(traced(oneSignerPerClient(new CloudWatchClient(clientOptions)))) : new UnknownQueueAges(),
  inventory: new DynamoDbDlqInventoryStore(dynamoDb, settings.tableName),
  history: new DynamoDbDlqHistoryWriter(dynamoDb, settings.tableName),
  tasks: taskMovesReaderOf(new DynamoDbTaskStore(dynamoDb, { tableName: settings.tableName })),
  scope: new QueueScope(settings),
  clock: { now: () => new Date() },
  // the inventory's outgoing feed (the org view reads it); one attempt: the next complete run makes up for a lost one
  changes: new EventBridgeEventPublisher({ eventBusName: settings.eventBusName, region: settings.region, clientOptions: { ...clientOptions, maxAttempts: 1 }, traced }),
  // what this process read of the functions and rules lives as long as it does (seeded from the stored inventory)
  discovery: {
    reader: {
      listFunctions: () => functionReader.listFunctions(),
      onFailureDestinations: (functionArn) => functionReader.onFailureDestinations(functionArn),
      listEventBuses: () => ruleReader.listEventBuses(),
      listRules: (eventBusName) => ruleReader.listRules(eventBusName),
      listTargets: (rule) => ruleReader.listTargets(rule),
    },
    state: newDiscoveryState(),
  },
  // the arrival alerts go out on the same bus, with the SDK's retries: each is sent once
  alerts: new EventBridgeEventPublisher({ eventBusName: settings.eventBusName, region: settings.region, clientOptions, traced }),
  metrics,
};

async function handle(event: ScheduledEvent, context: Context): Promise<InventorySummary> {
  logger.addContext(context);
  const started = clockMs();
  const summary = await refreshDlqInventory(deps);
  const line = { ...summary, scheduledAt: event?.time, durationMs: elapsedMs(started) };
  if (!summary.saved) logger.warn('inventory not saved: an overlapping run saved first; this run published no history, alerts or metrics', line);
  else if (summary.discoveryError) logger.warn('inventory: discovery of functions\' and rules\' DLQs failed; the stored owners were kept', line);
  else if (summary.historyError) logger.warn('inventory history not written: the run\'s points are missing from GET /dlqs/{queueName}/history', line);
  else if (summary.alertsError) logger.warn('inventory: some Dead-Letter Queue Received Messages events not sent', line);
  else if (summary.eventsError) logger.warn('inventory change events not all sent: the next complete run sends every DLQ', line);
  else if (summary.truncated) logger.warn('inventory stopped at its queue limit: DLQs past it are not listed', line);
  else if (summary.unreadable > 0) logger.warn('inventory: some queues refused GetQueueAttributes and are not listed', line);
  else logger.info('inventory', line);
  return summary;
}

export const handler = withTracing('inventory', withMetrics(metrics, handle));

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
