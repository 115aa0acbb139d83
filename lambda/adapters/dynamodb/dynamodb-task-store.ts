import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  type GetItemCommandOutput,
  PutItemCommand,
  type PutItemCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';

import type { SourceClaim, TaskPage, TaskQuery, TaskStore } from '../../domain/ports';
import type { TaskRecord } from '../../domain/task-record';
import { TaskStatus } from '../../domain/task-status';
import { decodeNextToken, encodeNextToken } from './next-token';
import { fromItem, type Item,toItem } from './task-item';
import { TASK_TABLE, type TaskTableIndex } from './task-table-schema';
import { toStoreError } from './to-store-error';

export interface DynamoDbTaskStoreOptions {
  readonly tableName: string;
}

/** At most this many DynamoDB pages are read to fill one filtered page of GET /tasks. */
const MAX_PAGES_PER_QUERY = 10;

export class DynamoDbTaskStore implements TaskStore {
  private readonly tableName: string;

  constructor(private readonly client: DynamoDBClient, options: DynamoDbTaskStoreOptions) {
    this.tableName = options.tableName;
  }

  async create(record: TaskRecord): Promise<boolean> {
    return this.conditionalPut(toItem(record), 'attribute_not_exists(taskId)', {});
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const item = await this.readItem(taskId);
    // the table also keeps held batches, claims and the DLQ inventory under other keys: those are no task
    return item?.recordType?.S === TASK_TABLE.recordType ? fromItem(item) : undefined;
  }

  async replace(expected: TaskRecord, next: TaskRecord): Promise<boolean> {
    // conditional write on the version read: of racing writers (cancels, reconcilers) one wins
    return this.conditionalPut(toItem(next), 'version = :version AND #status = :status', {
      ':version': { N: String(expected.version) },
      ':status': { S: expected.status },
    });
  }

  async listActive(): Promise<TaskRecord[]> {
    const index = TASK_TABLE.indexes.byStatus;
    const pages = await Promise.all(
      [TaskStatus.RUNNING, TaskStatus.CANCELLING].map((status) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey },
          ExpressionAttributeValues: { ':pk': { S: status } },
        }),
      ),
    );
    return pages.flat().map(fromItem);
  }

  async listStaleOutboxes(before: string, limit: number): Promise<TaskRecord[]> {
    const index = TASK_TABLE.indexes.byOutbox;
    const output = await this.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
        ExpressionAttributeValues: { ':pk': { S: TASK_TABLE.recordType }, ':before': { S: before } },
        Limit: limit,
      }),
    );
    return (output.Items ?? []).map(fromItem);
  }

  async query(query: TaskQuery): Promise<TaskPage> {
    const index = pickIndex(query);
    const names: Record<string, string> = { '#pk': index.partitionKey };
    const partition = partitionValue(index, query);
    const values: Item = { ':pk': { S: partition } };
    const filters: string[] = [];
    if (query.status && index !== TASK_TABLE.indexes.byStatus) {
      names['#status'] = 'status';
      values[':status'] = { S: query.status };
      filters.push('#status = :status');
    }
    if (query.runId) {
      // a run's tasks are few and recent: a filter on the newest-first index finds them in its first pages
      names['#runId'] = 'runId';
      values[':runId'] = { S: query.runId };
      filters.push('#runId = :runId');
    }
    const filter = filters.length > 0 ? filters.join(' AND ') : undefined;
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
    let startKey = query.nextToken ? decodeNextToken(query.nextToken, { ...index, tablePartitionKey: TASK_TABLE.partitionKey, answersOf: 'GET /tasks' }, partition) : undefined;
    for (let page = 0; page < MAX_PAGES_PER_QUERY && tasks.length < query.limit; page += 1) {
      const output = await this.send(
        new QueryCommand({ ...base, Limit: query.limit - tasks.length, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
      );
      tasks.push(...(output.Items ?? []).map(fromItem));
      startKey = output.LastEvaluatedKey;
      if (!startKey) break;
    }
    return { tasks, ...(startKey ? { nextToken: encodeNextToken(startKey, index) } : {}) };
  }

  async findActiveTask(sourceArn: string): Promise<TaskRecord | undefined> {
    const index = TASK_TABLE.indexes.bySource;
    let startKey: Item | undefined;
    // newest first: the active task is almost always on the first page; bounded like query()
    for (let page = 0; page < MAX_PAGES_PER_QUERY; page += 1) {
      const output = await this.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: '#status IN (:running, :cancelling)',
          ExpressionAttributeNames: { '#pk': index.partitionKey, '#status': 'status' },
          ExpressionAttributeValues: {
            ':pk': { S: sourceArn },
            ':running': { S: TaskStatus.RUNNING },
            ':cancelling': { S: TaskStatus.CANCELLING },
          },
          ScanIndexForward: false,
          Limit: 25,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const found = output.Items?.[0];
      if (found) return fromItem(found);
      startKey = output.LastEvaluatedKey;
      if (!startKey) return undefined;
    }
    return undefined;
  }

  async ping(): Promise<void> {
    await this.readItem('health-probe');
  }

  /** Every call to the table: its unavailability is answered as SQS would answer its own (503, retry later). */
  private send(command: QueryCommand): Promise<QueryCommandOutput>;
  private send(command: GetItemCommand): Promise<GetItemCommandOutput>;
  private send(command: PutItemCommand): Promise<PutItemCommandOutput>;
  private async send(command: QueryCommand | GetItemCommand | PutItemCommand): Promise<unknown> {
    try {
      return await this.client.send(command as QueryCommand);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async readSourceClaim(sourceArn: string): Promise<SourceClaim | undefined> {
    const item = await this.readItem(sourceClaimKey(sourceArn));
    if (!item?.holder?.S || !item.claimedAt?.S) return undefined;
    const kind = item.kind?.S;
    return {
      holder: item.holder.S,
      claimedAt: item.claimedAt.S,
      ...(kind === 'native' || kind === 'selective' ? { kind } : {}),
      ...(item.released?.BOOL ? { released: true } : {}),
    };
  }

  async claimSource(sourceArn: string, claim: SourceClaim, previousHolder?: string): Promise<boolean> {
    // the claim item carries none of the indexes' keys: no task query ever sees it
    const item = claimItem(sourceArn, claim);
    return previousHolder === undefined
      ? this.conditionalPut(item, 'attribute_not_exists(taskId)', {})
      : this.conditionalPut(item, 'holder = :previous', { ':previous': { S: previousHolder } });
  }

  async releaseSourceClaim(sourceArn: string, holder: string): Promise<void> {
    const current = await this.readSourceClaim(sourceArn);
    if (current?.holder !== holder) return;
    // a put, not a delete: the API's role writes items and deletes none
    await this.conditionalPut(claimItem(sourceArn, { ...current, released: true }), 'holder = :holder', { ':holder': { S: holder } });
  }

  private async readItem(taskId: string): Promise<Item | undefined> {
    const output = await this.send(
      new GetItemCommand({ TableName: this.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }),
    );
    return output.Item;
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const output = await this.send(new QueryCommand({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
      items.push(...(output.Items ?? []));
      startKey = output.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  private async conditionalPut(item: Item, condition: string, values: Item): Promise<boolean> {
    try {
      await this.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ...(condition.includes('#status') ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

function claimItem(sourceArn: string, claim: SourceClaim): Item {
  return {
    [TASK_TABLE.partitionKey]: { S: sourceClaimKey(sourceArn) },
    holder: { S: claim.holder },
    claimedAt: { S: claim.claimedAt },
    ...(claim.kind ? { kind: { S: claim.kind } } : {}),
    ...(claim.released ? { released: { BOOL: true } } : {}),
  };
}

/** One claim item per source queue, beside the task records. */
function sourceClaimKey(sourceArn: string): string {
  return `source-claim#${sourceArn}`;
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
