import { BatchWriteItemCommand, type DynamoDBClient,GetItemCommand } from '@aws-sdk/client-dynamodb';

import { fromItem, toItem } from '../../lambda/adapters/dynamodb/task-item';
import type { TaskRecord } from '../../lambda/domain/task-record';
import type { BusEvent } from '../../local/event-bus';

/** Writes records straight into the task table, 25 to a BatchWriteItem (history for tests). */
export async function putTaskRecords(dynamoDb: DynamoDBClient, tableName: string, records: readonly TaskRecord[]): Promise<void> {
  const batches: TaskRecord[][] = [];
  for (let at = 0; at < records.length; at += 25) batches.push(records.slice(at, at + 25));
  // a few batches at a time: dynalite is one process
  for (let at = 0; at < batches.length; at += 8) {
    await Promise.all(
      batches.slice(at, at + 8).map(async (batch) => {
        let unprocessed = { [tableName]: batch.map((record) => ({ PutRequest: { Item: toItem(record) } })) };
        while ((unprocessed[tableName] ?? []).length > 0) {
          const output = await dynamoDb.send(new BatchWriteItemCommand({ RequestItems: unprocessed }));
          unprocessed = (output.UnprocessedItems ?? {}) as typeof unprocessed;
        }
      }),
    );
  }
}

/** A finished task that ended `ageMinutes` ago. */
export function finishedRecord(sourceArn: string, index: number, ageMinutes: number): TaskRecord {
  const at = new Date(Date.now() - ageMinutes * 60_000).toISOString();
  return {
    taskId: `history-${index}-${Math.random().toString(36).slice(2, 10)}`,
    taskHandle: 'finished',
    sourceArn,
    status: 'COMPLETED',
    approximateNumberOfMessagesMoved: 5,
    createdAt: at,
    updatedAt: at,
    completedAt: at,
    startedBy: 'history',
    origin: 'api',
    version: 3,
  };
}

/** The record as stored, outbox and expiry included (the API does not show those). */
export async function storedRecord(dynamoDb: DynamoDBClient, tableName: string, taskId: string): Promise<TaskRecord | undefined> {
  const output = await dynamoDb.send(new GetItemCommand({ TableName: tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }));
  return output.Item ? fromItem(output.Item) : undefined;
}

/** The outgoing events of one task, in the order they reached the bus. */
export function eventsOf(events: readonly BusEvent[], taskId: string): BusEvent[] {
  return events.filter((event) => event.source === 'redrive-controller' && (event.detail as { taskId?: string }).taskId === taskId);
}

/**
 * A task's events in the order of its transitions: EventBridge keeps no order between PutEvents calls
 * (the api and the reconciler publish at once), the version ending each eventId does.
 */
export function inTransitionOrder(events: readonly BusEvent[]): BusEvent[] {
  const versionOf = (event: BusEvent) => Number((event.detail as { eventId: string }).eventId.split(':').at(-1));
  return [...events].sort((one, other) => versionOf(one) - versionOf(other));
}

/** What a consumer that drops repeated ids sees: one event per eventId. */
export function deduplicated(events: readonly BusEvent[]): BusEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const id = (event.detail as { eventId: string }).eventId;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
