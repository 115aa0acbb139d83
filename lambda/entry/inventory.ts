// EventBridge schedule (every minute; locally on the reconciler's interval) --> refreshDlqInventory --> its change events --> one log line per run
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent } from 'aws-lambda';

import { CloudWatchQueueAgeReader } from '../adapters/cloudwatch/cloudwatch-queue-age-reader';
import { UnknownQueueAges } from '../adapters/cloudwatch/unknown-queue-ages';
import { DynamoDbDlqInventoryStore } from '../adapters/dynamodb/dynamodb-dlq-inventory-store';
import { EventBridgeEventPublisher } from '../adapters/eventbridge/eventbridge-event-publisher';
import { oneSignerPerClient } from '../adapters/one-signer-per-client';
import { SqsQueueAttributeReader } from '../adapters/sqs/sqs-queue-attribute-reader';
import { SqsSentTimestampSampler } from '../adapters/sqs/sqs-sent-timestamp-sampler';
import { ENV, readSettings } from '../config/environment';
import { type InventoryDependencies, type InventorySummary,refreshDlqInventory } from '../domain/operations/refresh-dlq-inventory';
import { QueueScope } from '../domain/queue-scope';

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
// service name and level from POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL, which the stack sets
const logger = new Logger();
// calls go to the configured endpoint, not the host in each queue URL (the same in AWS; countable locally)
const sqs = oneSignerPerClient(new SQSClient({ ...clientOptions, useQueueUrlAsEndpoint: false }));
const deps: InventoryDependencies = {
  queues: new SqsQueueAttributeReader(sqs),
  // dates each standard DLQ's oldest message (message-expiry.ts): one receive where what is known may be stale
  sentTimestamps: new SqsSentTimestampSampler(sqs),
  ages: ageSource === 'cloudwatch' ? new CloudWatchQueueAgeReader(oneSignerPerClient(new CloudWatchClient(clientOptions))) : new UnknownQueueAges(),
  inventory: new DynamoDbDlqInventoryStore(oneSignerPerClient(new DynamoDBClient(clientOptions)), settings.tableName),
  scope: new QueueScope(settings),
  clock: { now: () => new Date() },
  // the inventory's outgoing feed (the org view reads it); one attempt: the next complete run makes up for a lost one
  changes: new EventBridgeEventPublisher({ eventBusName: settings.eventBusName, region: settings.region, clientOptions: { ...clientOptions, maxAttempts: 1 } }),
};

export async function handler(event: ScheduledEvent, context: Context): Promise<InventorySummary> {
  logger.addContext(context);
  const started = performance.now();
  const summary = await refreshDlqInventory(deps);
  const line = { ...summary, scheduledAt: event?.time, durationMs: Math.round((performance.now() - started) * 10) / 10 };
  if (summary.eventsError) logger.warn('inventory change events not all sent: the next complete run sends every DLQ', line);
  else if (summary.truncated) logger.warn('inventory stopped at its queue limit: DLQs past it are not listed', line);
  else if (summary.unreadable > 0) logger.warn('inventory: some queues refused GetQueueAttributes and are not listed', line);
  else logger.info('inventory', line);
  return summary;
}
