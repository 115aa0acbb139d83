import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { CancelClaim, TaskPage, TaskQuery, TaskStore } from '../../domain/ports';
import type { TaskRecord } from '../../domain/task-record';
import { TaskStatus } from '../../domain/task-status';
import { fromItem, toItem, type Item } from './task-item';
import { decodeNextToken, encodeNextToken } from './next-token';
import { TASK_TABLE, type TaskTableIndex } from './task-table-schema';

export interface DynamoDbTaskStoreOptions {
  readonly tableName: string;
  /**
   * DynamoDB returns the current item with a failed condition (ReturnValuesOnConditionCheckFailure),
   * so a refused cancel costs one call. Emulators that lack it (dynalite) need a second read.
   * @default true
   */
  readonly itemOnConditionFailure?: boolean;
}

/** At most this many DynamoDB pages are read to fill one filtered page of GET /tasks. */
const MAX_PAGES_PER_QUERY = 10;

export class DynamoDbTaskStore implements TaskStore {
  private readonly tableName: string;
  private readonly itemOnConditionFailure: boolean;

  constructor(private readonly client: DynamoDBClient, options: DynamoDbTaskStoreOptions) {
    this.tableName = options.tableName;
    this.itemOnConditionFailure = options.itemOnConditionFailure ?? true;
  }

  async create(record: TaskRecord): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: toItem(record),
        ConditionExpression: 'attribute_not_exists(taskId)',
      }),
    );
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const output = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }),
    );
    return output.Item ? fromItem(output.Item) : undefined;
  }

  async claimCancel(taskId: string, taskHandle: string, cancel: { at: string; by: string; reason?: string }): Promise<CancelClaim> {
    try {
      const output = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { taskId: { S: taskId } },
          // conditional write: cancels race; only the winner calls SQS
          ConditionExpression: '#status = :running AND taskHandle = :handle',
          UpdateExpression:
            'SET #status = :cancelling, cancelRequestedAt = :at, cancelledBy = :by, updatedAt = :at, version = version + :one' +
            (cancel.reason === undefined ? ' REMOVE cancelReason' : ', cancelReason = :reason'),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':running': { S: TaskStatus.RUNNING },
            ':cancelling': { S: TaskStatus.CANCELLING },
            ':handle': { S: taskHandle },
            ':at': { S: cancel.at },
            ':by': { S: cancel.by },
            ':one': { N: '1' },
            ...(cancel.reason === undefined ? {} : { ':reason': { S: cancel.reason } }),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      // ALL_NEW: the record as we left it; its version is what a later release compares.
      return { outcome: 'claimed', record: fromItem(output.Attributes ?? {}) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = error.Item ?? (this.itemOnConditionFailure ? undefined : await this.readItem(taskId));
      if (!current) return { outcome: 'not-found' };
      const record = fromItem(current);
      // a handle that names a known task id but is not that task's handle is no handle of ours
      if (record.taskHandle !== taskHandle) return { outcome: 'not-found' };
      return { outcome: 'not-running', record };
    }
  }

  async recordCancelAccepted(taskId: string, approximateNumberOfMessagesMoved: number, at: string): Promise<void> {
    await this.updateIfStatus(taskId, TaskStatus.CANCELLING, {
      UpdateExpression: 'SET approximateNumberOfMessagesMoved = :moved, updatedAt = :at, version = version + :one',
      ExpressionAttributeValues: { ':moved': { N: String(approximateNumberOfMessagesMoved) }, ':at': { S: at }, ':one': { N: '1' } },
    });
  }

  async releaseCancelClaim(taskId: string, claimedVersion: number, error: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { taskId: { S: taskId } },
          ConditionExpression: '#status = :cancelling AND version = :version',
          UpdateExpression:
            'SET #status = :running, lastCancelError = :error, updatedAt = :at, version = version + :one REMOVE cancelRequestedAt, cancelledBy, cancelReason',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':cancelling': { S: TaskStatus.CANCELLING },
            ':running': { S: TaskStatus.RUNNING },
            ':version': { N: String(claimedVersion) },
            ':error': { S: error.slice(0, 2048) },
            ':at': { S: at },
            ':one': { N: '1' },
          },
        }),
      );
      return true;
    } catch (caught) {
      if (caught instanceof ConditionalCheckFailedException) return false;
      throw caught;
    }
  }

  async query(query: TaskQuery): Promise<TaskPage> {
    const index = pickIndex(query);
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const values: Item = {
      ':pk': { S: partitionValue(index, query) },
    };
    let filter: string | undefined;
    if (query.status && index !== TASK_TABLE.indexes.byStatus) {
      names['#status'] = 'status';
      values[':status'] = { S: query.status };
      filter = '#status = :status';
    }
    const base: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index.indexName,
      KeyConditionExpression: '#pk = :pk',
      ...(filter ? { FilterExpression: filter } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false, // newest first
    };

    const tasks: TaskRecord[] = [];
    let startKey = query.nextToken ? decodeNextToken(query.nextToken, index, partitionValue(index, query)) : undefined;
    for (let page = 0; page < MAX_PAGES_PER_QUERY && tasks.length < query.limit; page += 1) {
      const output = await this.client.send(
        new QueryCommand({ ...base, Limit: query.limit - tasks.length, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      tasks.push(...(output.Items ?? []).map(fromItem));
      startKey = output.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { tasks, ...(startKey ? { nextToken: encodeNextToken(startKey, index) } : {}) };
  }

  async ping(): Promise<void> {
    await this.readItem('health-probe');
  }

  private async readItem(taskId: string): Promise<Item | undefined> {
    const output = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }),
    );
    return output.Item;
  }

  private async updateIfStatus(
    taskId: string,
    status: TaskStatus,
    update: { UpdateExpression: string; ExpressionAttributeValues: Item },
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { taskId: { S: taskId } },
          ConditionExpression: '#status = :expected',
          UpdateExpression: update.UpdateExpression,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':expected': { S: status } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function pickIndex(query: TaskQuery): TaskTableIndex {
  if (query.sourceArn) return TASK_TABLE.indexes.bySource;
  if (query.status) return TASK_TABLE.indexes.byStatus;
  return TASK_TABLE.indexes.byCreated;
}

function partitionValue(index: TaskTableIndex, query: TaskQuery): string {
  if (index === TASK_TABLE.indexes.bySource) return query.sourceArn!;
  if (index === TASK_TABLE.indexes.byStatus) return query.status!;
  return TASK_TABLE.recordType;
}
