import { ConditionalCheckFailedException, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

import { type DlqHistoryWriter, HISTORY_KEPT_HOURS, type HistoryEntry } from '../../domain/dlq/dlq-history';
import { inParallel } from '../../domain/in-parallel';
import { historyItemKey, hourOf } from './dlq-history-item';
import { TASK_TABLE } from './task-table-schema';
import { toStoreError } from './to-store-error';

/** UpdateItem calls in flight at once: 2,000 DLQs in a few seconds, far below on-demand's limits. */
const WRITE_CONCURRENCY = 32;

/** The inventory job's side of the history (dlq-history-item.ts): one UpdateItem per DLQ per run. */
export class DynamoDbDlqHistoryWriter implements DlqHistoryWriter {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  async record(at: string, entries: readonly HistoryEntry[]): Promise<void> {
    const hour = hourOf(at);
    const second = Math.floor((Date.parse(at) - Date.parse(`${hour}:00:00Z`)) / 1000);
    const expiresAt = Math.floor(Date.parse(`${hour}:00:00Z`) / 1000) + (HISTORY_KEPT_HOURS + 1) * 3600;
    await inParallel(entries, WRITE_CONCURRENCY, async (entry) => {
      try {
        await this.client.send(new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [TASK_TABLE.partitionKey]: { S: historyItemKey(entry.queueName, hour) } },
          UpdateExpression: 'SET points = list_append(if_not_exists(points, :none), :point), lastAt = :at, #ttl = :expiresAt',
          // one point per run: an SDK retry of a write that did land appends nothing
          ConditionExpression: 'attribute_not_exists(lastAt) OR lastAt < :at',
          ExpressionAttributeNames: { '#ttl': TASK_TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: {
            ':none': { L: [] },
            ':point': { L: [{ S: `${second} ${entry.approximateNumberOfMessages} ${entry.newMessages}` }] },
            ':at': { S: at },
            ':expiresAt': { N: String(expiresAt) },
          },
        }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw toStoreError(error);
      }
    });
  }
}
