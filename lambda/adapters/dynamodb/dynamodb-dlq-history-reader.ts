import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

import type { DlqHistoryReader, HistoryPoint } from '../../domain/dlq/dlq-history';
import { historyItemKey, hourOf } from './dlq-history-item';
import { TASK_TABLE } from './task-table-schema';
import { toStoreError } from './to-store-error';

const BATCH_GET_LIMIT = 100;
const HOUR_MS = 3_600_000;

/** GET /dlqs/{queueName}/history's side (dlq-history-item.ts): the window's hour items, in one or two BatchGetItem calls. */
export class DynamoDbDlqHistoryReader implements DlqHistoryReader {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  async read(queueName: string, since: string, until: string): Promise<HistoryPoint[]> {
    const hours: string[] = [];
    for (let at = Date.parse(`${hourOf(since)}:00:00Z`); at <= Date.parse(until); at += HOUR_MS) hours.push(hourOf(new Date(at).toISOString()));
    const items = new Map<string, AttributeValue[]>();
    let keys: Array<Record<string, AttributeValue>> = hours.map((hour) => ({ [TASK_TABLE.partitionKey]: { S: historyItemKey(queueName, hour) } }));
    for (let round = 0; keys.length > 0 && round < 10; round += 1) {
      const unprocessed: Array<Record<string, AttributeValue>> = [];
      for (let at = 0; at < keys.length; at += BATCH_GET_LIMIT) {
        const output = await this.run(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys.slice(at, at + BATCH_GET_LIMIT), ProjectionExpression: '#key, points', ExpressionAttributeNames: { '#key': TASK_TABLE.partitionKey } } } })));
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const key = item[TASK_TABLE.partitionKey]?.S;
          if (key && item.points?.L) items.set(key, item.points.L);
        }
        unprocessed.push(...(output.UnprocessedKeys?.[this.tableName]?.Keys ?? []));
      }
      keys = unprocessed;
    }
    const points: HistoryPoint[] = [];
    // points are kept to the second: the window's bounds are too
    const from = Math.floor(Date.parse(since) / 1000) * 1000;
    const to = Date.parse(until);
    for (const hour of hours) {
      const start = Date.parse(`${hour}:00:00Z`);
      for (const value of items.get(historyItemKey(queueName, hour)) ?? []) {
        const [second, depth, arrived] = (value.S ?? '').split(' ').map(Number);
        if (second === undefined || depth === undefined || arrived === undefined || [second, depth, arrived].some(Number.isNaN)) continue;
        const at = start + second * 1000;
        if (at >= from && at <= to) points.push({ at: new Date(at).toISOString().replace('.000Z', 'Z'), approximateNumberOfMessages: depth, newMessages: arrived });
      }
    }
    return points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
