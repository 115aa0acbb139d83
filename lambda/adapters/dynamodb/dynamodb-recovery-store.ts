import { BatchGetItemCommand, ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

import type { RecoveryStore } from '../../domain/recovery/recovery-ports';
import type { RecoveryRecord } from '../../domain/recovery/recovery-state';
import { TASK_TABLE } from './task-table-schema';
import { toStoreError } from './to-store-error';

/** BatchGetItem reads at most 100 keys a call. */
const BATCH_GET_MAX = 100;

/**
 * One item per DLQ in the task table, keyed `recovery#<DLQ ARN>`: the record as one JSON string
 * (replaced whole by each conditional write) and its version. Like the source claims, the item
 * carries none of the indexes' keys, so no task listing ever sees it.
 */
export class DynamoDbRecoveryStore implements RecoveryStore {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  async get(dlqArn: string): Promise<RecoveryRecord | undefined> {
    const output = await guard(() => this.client.send(new GetItemCommand({ TableName: this.tableName, Key: keyOf(dlqArn), ConsistentRead: true })));
    return output.Item?.recovery?.S ? fromText(output.Item.recovery.S) : undefined;
  }

  async getMany(dlqArns: readonly string[]): Promise<RecoveryRecord[]> {
    const records: RecoveryRecord[] = [];
    for (let at = 0; at < dlqArns.length; at += BATCH_GET_MAX) {
      let keys = dlqArns.slice(at, at + BATCH_GET_MAX).map(keyOf);
      // unprocessed keys (throttling) are asked again, a bounded number of times
      for (let attempt = 0; attempt < 3 && keys.length > 0; attempt += 1) {
        const output = await guard(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys } } })));
        for (const item of output.Responses?.[this.tableName] ?? []) if (item.recovery?.S) records.push(fromText(item.recovery.S));
        keys = (output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as typeof keys;
      }
    }
    return records;
  }

  async put(next: RecoveryRecord, expectedVersion: number): Promise<boolean> {
    try {
      await guard(() => this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...keyOf(next.dlqArn), recovery: { S: JSON.stringify(next) }, version: { N: String(next.version) } },
          // conditional write on the version read: of two runs at once, one acts
          ...(expectedVersion === 0
            ? { ConditionExpression: `attribute_not_exists(${TASK_TABLE.partitionKey})` }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': { N: String(expectedVersion) } } }),
        }),
      ));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function keyOf(dlqArn: string) {
  return { [TASK_TABLE.partitionKey]: { S: `recovery#${dlqArn}` } };
}

function fromText(text: string): RecoveryRecord {
  return JSON.parse(text) as RecoveryRecord;
}

async function guard<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toStoreError(error);
  }
}
