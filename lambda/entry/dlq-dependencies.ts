// The DLQ routes' adapters (GET /dlqs, peek): built by the API's runtime on first use.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';

import { DynamoDbDlqHistoryReader } from '../adapters/dynamodb/dynamodb-dlq-history-reader';
import { DynamoDbDlqInventoryStore } from '../adapters/dynamodb/dynamodb-dlq-inventory-store';
import { oneSignerPerClient } from '../adapters/one-signer-per-client';
import type { TraceClient } from '../adapters/sdk-client-settings';
import { SqsMessageSampler } from '../adapters/sqs/sqs-message-sampler';
import type { ControllerSettings } from '../config/environment';
import type { ActivityPublisher, DlqDependencies } from '../domain/dlq/dlq-ports';

export function createDlqDependencies(input: {
  readonly settings: ControllerSettings;
  readonly clientOptions: Omit<SQSClientConfig, 'region'>;
  readonly dynamoDbClient: DynamoDBClient;
  readonly activity: ActivityPublisher;
  readonly traced: TraceClient;
}): DlqDependencies {
  return {
    inventory: new DynamoDbDlqInventoryStore(input.dynamoDbClient, input.settings.tableName),
    // every peek call goes to the configured endpoint, not to the host a queue URL names: the same
    // regional endpoint in AWS, and the tests' recording proxy locally (so it counts every call)
    sampler: new SqsMessageSampler(input.traced(oneSignerPerClient(new SQSClient({ region: input.settings.region, ...input.clientOptions, useQueueUrlAsEndpoint: false })))),
    activity: input.activity,
    history: new DynamoDbDlqHistoryReader(input.dynamoDbClient, input.settings.tableName),
  };
}
