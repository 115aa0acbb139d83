import { type AttributeValue, BatchGetItemCommand, ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

import type { HoldStore } from '../../domain/ports';
import { SqsError } from '../../domain/sqs-error';
import { toStoreError } from './to-store-error';

/** Held batches outlive no task by much: DynamoDB TTL removes any a crash left behind. */
const HOLD_TTL_SECONDS = 2 * 86_400;
/** BatchGetItem reads at most 100 keys a call. */
const BATCH_GET_LIMIT = 100;
/** Rounds of UnprocessedKeys retried before the read is given up as unavailable. */
const BATCH_GET_ROUNDS = 10;

/**
 * Held receipt handles as items of the task table, keyed `<taskId>#held#<batch>`. They carry none of
 * the indexes' keys, so no index and no task listing ever sees them.
 */
export class DynamoDbHoldStore implements HoldStore {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  async put(taskId: string, batch: number, receiptHandles: readonly string[]): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            taskId: { S: keyOf(taskId, batch) },
            receiptHandles: { S: JSON.stringify(receiptHandles) },
            expiresAt: { N: String(Math.floor(Date.now() / 1000) + HOLD_TTL_SECONDS) },
          },
          // a second mover numbering from the same record must not overwrite this batch's handles
          ConditionExpression: 'attribute_not_exists(taskId)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw toStoreError(error);
    }
  }

  async get(taskId: string, batch: number): Promise<string[] | undefined> {
    const output = await guard(() => this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { taskId: { S: keyOf(taskId, batch) } }, ConsistentRead: true })));
    const text = output.Item?.receiptHandles?.S;
    return text === undefined ? undefined : (JSON.parse(text) as string[]);
  }

  /** One strongly consistent BatchGetItem per 100 numbers; keys DynamoDB leaves unprocessed (throttling) are asked again. */
  async getMany(taskId: string, batches: readonly number[]): Promise<Map<number, string[]>> {
    const found = new Map<number, string[]>();
    const numberOf = new Map(batches.map((batch) => [keyOf(taskId, batch), batch]));
    let keys: Array<Record<string, AttributeValue>> = [...numberOf.keys()].map((key) => ({ taskId: { S: key } }));
    for (let round = 0; keys.length > 0; round += 1) {
      if (round === BATCH_GET_ROUNDS) throw new SqsError('ServiceUnavailable', `task ${taskId}: the task table left held batches unread; try again`, 503);
      const unprocessed: Array<Record<string, AttributeValue>> = [];
      for (let at = 0; at < keys.length; at += BATCH_GET_LIMIT) {
        const output = await guard(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys.slice(at, at + BATCH_GET_LIMIT), ConsistentRead: true } } })));
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const batch = numberOf.get(item.taskId?.S ?? '');
          const text = item.receiptHandles?.S;
          if (batch !== undefined && text !== undefined) found.set(batch, JSON.parse(text) as string[]);
        }
        unprocessed.push(...(output.UnprocessedKeys?.[this.tableName]?.Keys ?? []));
      }
      keys = unprocessed;
    }
    return found;
  }

  async remove(taskId: string, batch: number): Promise<void> {
    await guard(() => this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { taskId: { S: keyOf(taskId, batch) } } })));
  }
}

function keyOf(taskId: string, batch: number): string {
  return `${taskId}#held#${batch}`;
}

async function guard<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toStoreError(error);
  }
}
