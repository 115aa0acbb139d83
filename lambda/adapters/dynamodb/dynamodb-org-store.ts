import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

import type { InventoryTotals } from '../../domain/dlq/inventory-totals';
import { MAX_CLOCK_SKEW_MS } from '../../domain/org/event-bounds';
import type { OrgAccount } from '../../domain/org/org-account';
import type { OrgDlq } from '../../domain/org/org-dlq';
import { ageOrderKey, messagesOrderKey } from '../../domain/org/org-dlq-order';
import type { OrgDlqQuery, OrgListedDlq, OrgPage, OrgReadModelStore, OrgTaskQuery } from '../../domain/org/org-ports';
import type { OrgRecovery } from '../../domain/org/org-recovery';
import type { OrgTask } from '../../domain/org/org-task';
import { versionOrigin } from '../../domain/org/supersedes';
import { tryParseQueueArn } from '../../domain/queue-arn';
import { SqsError } from '../../domain/sqs-error';
import { ACTIVE_STATUSES, isActive, type TaskStatus } from '../../domain/task-status';
import { decodeNextToken, encodeNextToken } from './next-token';
import { ORG_TABLE, type OrgTableIndex } from './org-table-schema';
import { toStoreError } from './to-store-error';

/** A filtered query (a DLQ's tasks of one status, DLQs by prefix) reads at most this many pages to fill one. */
const MAX_PAGES_PER_QUERY = 10;
/** Rows a filtered query reads a call at least: 10 calls look at 10,000 DLQs for a prefix's page. */
const FILTERED_READ = 1000;

type Item = Record<string, AttributeValue>;

/** How long rows live (DynamoDB TTL, ORG_TABLE.timeToLiveAttribute): org ingest's; readers need none. */
export interface OrgRowExpiry {
  /** the accounts' retentionDays */
  readonly retentionDays: number;
  /** @default the system clock */
  readonly now?: () => Date;
}

/**
 * The org read model in DynamoDB. Rows are written only by conditional writes that compare the
 * version (tasks) or the inventory run (DLQs), so redelivered and reordered events settle on the newest.
 */
export class DynamoDbOrgStore implements OrgReadModelStore {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string, private readonly expiry?: OrgRowExpiry) {}

  /** `expiresAt` from now, as an account's finished task gets it (transitions.ts); nothing without an expiry */
  private expiresAt(): Item {
    if (!this.expiry) return {};
    const now = (this.expiry.now ?? (() => new Date()))();
    return { [ORG_TABLE.timeToLiveAttribute]: { N: String(Math.floor(now.getTime() / 1000) + Math.round(this.expiry.retentionDays * 86_400)) } };
  }

  async putTaskIfNewer(task: OrgTask): Promise<boolean> {
    const list = ORG_TABLE.indexes;
    const item: Item = {
      [ORG_TABLE.partitionKey]: { S: `task#${task.accountId}#${task.taskId}` },
      accountId: { S: task.accountId },
      region: { S: task.region },
      taskId: { S: task.taskId },
      version: { N: String(task.version) },
      status: { S: task.status },
      sourceArn: { S: task.sourceArn },
      view: { S: JSON.stringify(task.view) },
      [list.tasksAll.partitionKey]: { S: ORG_TABLE.lists.task },
      [list.tasksByAccount.partitionKey]: { S: task.accountId },
      [list.tasksByStatus.partitionKey]: { S: task.status },
      [list.tasksByAccountStatus.partitionKey]: { S: `${task.accountId}#${task.status}` },
      [list.tasksBySource.partitionKey]: { S: task.sourceArn },
      [list.tasksAll.sortKey]: { S: task.createdAt },
      ...(task.receivedMs !== undefined ? { receivedMs: { N: String(task.receivedMs) }, versionOrigin: { N: String(versionOrigin(task)) } } : {}),
      // a finished task expires as its account's record does; an active one never (its account's neither)
      ...(isActive(task.status as TaskStatus) ? {} : this.expiresAt()),
    };
    // taskSupersedes as one condition: a higher version of the same createdAt, within the writes its item can have taken
    const values: Record<string, AttributeValue> = { ':newer': { N: String(task.version) }, ':created': { S: task.createdAt } };
    if (task.receivedMs === undefined) return this.putIfNewer(item, `(version < :newer AND ${list.tasksAll.sortKey} = :created)`, values);
    values[':origin'] = { N: String(versionOrigin(task) - MAX_CLOCK_SKEW_MS) };
    return this.putIfNewer(item, `(version < :newer AND ${list.tasksAll.sortKey} = :created AND (attribute_not_exists(versionOrigin) OR versionOrigin >= :origin))`, values);
  }

  async putDlqIfNewer(dlq: OrgDlq): Promise<boolean> {
    const list = ORG_TABLE.indexes;
    const listed: Item = { [list.dlqsByMessages.partitionKey]: { S: ORG_TABLE.lists.dlq }, [list.dlqsByAccountMessages.partitionKey]: { S: dlq.accountId } };
    const figures: Item = {
      accountId: { S: dlq.accountId },
      region: { S: dlq.region },
      queueArn: { S: dlq.queueArn },
      asOf: { S: dlq.asOf },
      removed: { BOOL: dlq.removed },
      view: { S: JSON.stringify(dlq.view) },
      [list.dlqsByName.sortKey]: { S: dlq.queueName },
      messages: { N: String(dlq.approximateNumberOfMessages) },
      [list.dlqsByMessages.sortKey]: { S: messagesOrderKey(dlq) },
      [list.dlqsByAge.sortKey]: { S: ageOrderKey(dlq) },
      ...(dlq.oldestMessageAgeSeconds !== undefined ? { oldestMessageAgeSeconds: { N: String(dlq.oldestMessageAgeSeconds) } } : {}),
      ...(dlq.removed ? {} : listed),
      // refreshed by every write: the hourly complete run writes every live DLQ; a removed one goes after retentionDays
      ...this.expiresAt(),
    };
    // an update, not a put: the row also holds the DLQ's newest task and recovery state, written by
    // their own events; what the newer run does not have goes, and a removed DLQ keeps its row (its
    // asOf) but no index lists it
    const removes = [...(dlq.removed ? Object.keys(listed) : []), ...(dlq.oldestMessageAgeSeconds === undefined ? ['oldestMessageAgeSeconds'] : [])];
    return this.updateIf(`dlq#${dlq.queueArn}`, figures, removes, heldBelow('asOf', { S: dlq.asOf }));
  }

  async putDlqTaskIfNewer(task: OrgTask): Promise<boolean> {
    const held: Item = {
      newestTask: { S: JSON.stringify(task) },
      newestTaskCreatedAt: { S: task.createdAt },
      newestTaskId: { S: task.taskId },
      newestTaskVersion: { N: String(task.version) },
      ...(task.receivedMs !== undefined ? { newestTaskOrigin: { N: String(versionOrigin(task)) } } : {}),
      ...this.expiresAt(),
    };
    // newestTaskSupersedes as one condition: a later other task, or the same task (same createdAt) at a higher version within its item's writes
    const sameTask = task.receivedMs === undefined ? '(#t = :t AND #c = :c AND #v < :v)' : '(#t = :t AND #c = :c AND #v < :v AND (attribute_not_exists(#o) OR #o >= :o))';
    return this.updateIf(`dlq#${task.sourceArn}`, held, [], {
      expression: `attribute_not_exists(#c) OR (#t <> :t AND (#c < :c OR (#c = :c AND #t < :t))) OR ${sameTask}`,
      names: { '#c': 'newestTaskCreatedAt', '#t': 'newestTaskId', '#v': 'newestTaskVersion', ...(task.receivedMs === undefined ? {} : { '#o': 'newestTaskOrigin' }) },
      values: {
        ':c': { S: task.createdAt },
        ':t': { S: task.taskId },
        ':v': { N: String(task.version) },
        ...(task.receivedMs === undefined ? {} : { ':o': { N: String(versionOrigin(task) - MAX_CLOCK_SKEW_MS) } }),
      },
    });
  }

  async putRecoveryIfNewer(recovery: OrgRecovery): Promise<boolean> {
    const held: Item = { recovery: { S: JSON.stringify(recovery) }, recoveryVersion: { N: String(recovery.version) }, ...this.expiresAt() };
    return this.updateIf(`dlq#${recovery.queueArn}`, held, [], heldBelow('recoveryVersion', { N: String(recovery.version) }));
  }

  async noteAccount(account: OrgAccount): Promise<void> {
    // DynamoDB has no max(): each time moves forward by its own conditional update
    const raise = async (name: 'lastEventAt' | 'inventoryAsOf', value: string, totals?: AttributeValue) => {
      // the totals ride with the inventory run they are from: a newer run without totals removes older ones
      const setTotals = name === 'inventoryAsOf' ? (totals ? ', totals = :totals' : ' REMOVE totals') : '';
      // an account that stops sending (its stack deleted) leaves the view retentionDays later
      const expires = this.expiresAt()[ORG_TABLE.timeToLiveAttribute];
      const setExpiry = expires ? ', #expires = :expires' : '';
      try {
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { [ORG_TABLE.partitionKey]: { S: `account#${account.accountId}` } },
            UpdateExpression: `SET #time = :time, accountId = :account, #region = :region, #list = :list${setExpiry}${setTotals}`,
            ConditionExpression: 'attribute_not_exists(#time) OR #time < :time',
            ExpressionAttributeNames: { '#time': name, '#region': 'region', '#list': ORG_TABLE.indexes.accounts.partitionKey, ...(expires ? { '#expires': ORG_TABLE.timeToLiveAttribute } : {}) },
            ExpressionAttributeValues: {
              ':time': { S: value },
              ':account': { S: account.accountId },
              ':region': { S: account.region },
              ':list': { S: ORG_TABLE.lists.account },
              ...(totals ? { ':totals': totals } : {}),
              ...(expires ? { ':expires': expires } : {}),
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw toStoreError(error);
      }
    };
    await raise('lastEventAt', account.lastEventAt);
    if (account.inventoryAsOf) await raise('inventoryAsOf', account.inventoryAsOf, account.inventoryTotals ? totalsItem(account.inventoryTotals) : undefined);
  }

  async countActiveTasks(): Promise<ReadonlyMap<string, number>> {
    // active tasks are few: one query per active status for the whole org, reading only the account
    const index = ORG_TABLE.indexes.tasksByStatus;
    const counts = new Map<string, number>();
    for (const status of ACTIVE_STATUSES) {
      let startKey: Item | undefined;
      do {
        let output;
        try {
          output = await this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: index.indexName,
              KeyConditionExpression: '#pk = :pk',
              ProjectionExpression: 'accountId',
              ExpressionAttributeNames: { '#pk': index.partitionKey },
              ExpressionAttributeValues: { ':pk': { S: status } },
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
        } catch (error) {
          throw toStoreError(error);
        }
        for (const item of output.Items ?? []) {
          const accountId = item.accountId?.S;
          if (accountId) counts.set(accountId, (counts.get(accountId) ?? 0) + 1);
        }
        startKey = output.LastEvaluatedKey;
      } while (startKey);
    }
    return counts;
  }

  async queryTasks(query: OrgTaskQuery): Promise<OrgPage<OrgTask>> {
    const indexes = ORG_TABLE.indexes;
    // the most selective index answers; only a DLQ's tasks of one status need a filter on top
    const [index, partition] = query.sourceArn
      ? [indexes.tasksBySource, query.sourceArn]
      : query.accountId && query.status
        ? [indexes.tasksByAccountStatus, `${query.accountId}#${query.status}`]
        : query.accountId
          ? [indexes.tasksByAccount, query.accountId]
          : query.status
            ? [indexes.tasksByStatus, query.status]
            : [indexes.tasksAll, ORG_TABLE.lists.task];
    if (query.sourceArn && query.accountId && tryParseQueueArn(query.sourceArn)?.accountId !== query.accountId) return { items: [] };
    const filter = query.sourceArn && query.status ? { FilterExpression: '#status = :status', names: { '#status': 'status' }, values: { ':status': { S: query.status } } } : undefined;
    const page = await this.queryPage(index, partition, false, query.limit, query.nextToken, filter);
    return { items: page.items.map(taskOf), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async queryDlqs(query: OrgDlqQuery): Promise<OrgPage<OrgListedDlq>> {
    const indexes = ORG_TABLE.indexes;
    const index = {
      messages: query.accountId ? indexes.dlqsByAccountMessages : indexes.dlqsByMessages,
      name: query.accountId ? indexes.dlqsByAccountName : indexes.dlqsByName,
      age: query.accountId ? indexes.dlqsByAccountAge : indexes.dlqsByAge,
    }[query.sort];
    const { prefix } = query;
    // by name the prefix is a key condition; in the other orders a filter, read on until the page is full
    const match = prefix === undefined ? {} : query.sort === 'name' ? { sortKeyPrefix: prefix } : { filter: { FilterExpression: 'begins_with(#queueName, :prefix)', names: { '#queueName': 'queueName' }, values: { ':prefix': { S: prefix } } } };
    const page = await this.queryPage(index, query.accountId ?? ORG_TABLE.lists.dlq, true, query.limit, query.nextToken, match.filter, match.sortKeyPrefix);
    return { items: page.items.map(dlqOf), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  async listAccounts(): Promise<readonly OrgAccount[]> {
    const accounts: OrgAccount[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.queryPage(ORG_TABLE.indexes.accounts, ORG_TABLE.lists.account, true, 1000, nextToken);
      for (const item of page.items) {
        accounts.push({
          accountId: item.accountId!.S!,
          region: item.region?.S ?? '',
          lastEventAt: item.lastEventAt?.S ?? '',
          ...(item.inventoryAsOf?.S ? { inventoryAsOf: item.inventoryAsOf.S } : {}),
          ...(item.totals?.M ? { inventoryTotals: totalsOf(item.totals.M) } : {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return accounts;
  }

  private async putIfNewer(item: Item, newer: string, values: Record<string, AttributeValue>): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: `attribute_not_exists(#pk) OR ${newer}`,
          ExpressionAttributeNames: { '#pk': ORG_TABLE.partitionKey },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      // what is held is as new or newer: a repeat or a late older event
      if (error instanceof ConditionalCheckFailedException) return false;
      throw toStoreError(error);
    }
  }

  /**
   * Sets `sets` and removes `removes` on the row on `condition` (what is held is older). Each part of
   * a DLQ's row (inventory figures, newest task, recovery) is written by its own condition, so none
   * overwrites another.
   */
  private async updateIf(pk: string, sets: Item, removes: readonly string[], condition: NewerCondition): Promise<boolean> {
    const names: Record<string, string> = { ...condition.names };
    const values: Record<string, AttributeValue> = { ...condition.values };
    const assignments = Object.entries(sets).map(([name, value], at) => {
      names[`#s${at}`] = name;
      values[`:s${at}`] = value;
      return `#s${at} = :s${at}`;
    });
    const removals = removes.map((name, at) => ((names[`#r${at}`] = name), `#r${at}`));
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [ORG_TABLE.partitionKey]: { S: pk } },
          UpdateExpression: `SET ${assignments.join(', ')}${removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''}`,
          ConditionExpression: condition.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      // what is held is as new or newer: a repeat or a late older event
      if (error instanceof ConditionalCheckFailedException) return false;
      throw toStoreError(error);
    }
  }

  private async queryPage(
    index: OrgTableIndex,
    partition: string,
    ascending: boolean,
    limit: number,
    nextToken: string | undefined,
    filter?: { FilterExpression: string; names: Record<string, string>; values: Record<string, AttributeValue> },
    sortKeyPrefix?: string,
  ): Promise<{ items: Item[]; nextToken?: string }> {
    let items: Item[] = [];
    // a token is bound to the filter's values too: one from another prefix or status would skip entries
    const filterOf = filter ? JSON.stringify(filter.values) : undefined;
    let startKey = nextToken ? decodeNextToken(nextToken, { ...index, tablePartitionKey: ORG_TABLE.partitionKey, answersOf: 'org API' }, partition, filterOf) : undefined;
    // a token from another prefix lies outside this key condition: DynamoDB would refuse it
    if (startKey && sortKeyPrefix !== undefined && !startKey[index.sortKey]?.S?.startsWith(sortKeyPrefix)) {
      throw new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous org API answer with the same filters');
    }
    for (let pages = 0; pages < MAX_PAGES_PER_QUERY && items.length < limit; pages += 1) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: sortKeyPrefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :skPrefix)',
        ExpressionAttributeNames: { '#pk': index.partitionKey, ...(sortKeyPrefix === undefined ? {} : { '#sk': index.sortKey }), ...filter?.names },
        ExpressionAttributeValues: { ':pk': { S: partition }, ...(sortKeyPrefix === undefined ? {} : { ':skPrefix': { S: sortKeyPrefix } }), ...filter?.values },
        ScanIndexForward: ascending,
        // a filter drops rows after the read: read more of them a call, and cut the page to the limit below
        Limit: filter ? Math.max(limit - items.length, FILTERED_READ) : limit - items.length,
        ...(filter ? { FilterExpression: filter.FilterExpression } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      };
      let output;
      try {
        output = await this.client.send(new QueryCommand(input));
      } catch (error) {
        throw toStoreError(error);
      }
      items.push(...(output.Items ?? []));
      startKey = output.LastEvaluatedKey;
      if (!startKey) break;
    }
    if (items.length > limit) {
      // the page ends at its last entry: the next one starts right after it
      items = items.slice(0, limit);
      const last = items[limit - 1]!;
      startKey = { [ORG_TABLE.partitionKey]: last[ORG_TABLE.partitionKey]!, [index.partitionKey]: last[index.partitionKey]!, [index.sortKey]: last[index.sortKey]! };
    }
    return { items, ...(startKey ? { nextToken: encodeNextToken(startKey, index, filterOf) } : {}) };
  }
}

interface NewerCondition {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/** The row holds no `name` yet, or a lower one than `newer`. */
function heldBelow(name: string, newer: AttributeValue): NewerCondition {
  return { expression: 'attribute_not_exists(#held) OR #held < :newer', names: { '#held': name }, values: { ':newer': newer } };
}

function totalsItem(totals: InventoryTotals): AttributeValue {
  return {
    M: {
      deadLetterQueues: { N: String(totals.deadLetterQueues) },
      approximateNumberOfMessages: { N: String(totals.approximateNumberOfMessages) },
      approximateNumberOfMessagesNotVisible: { N: String(totals.approximateNumberOfMessagesNotVisible) },
    },
  };
}

function totalsOf(map: Item): InventoryTotals {
  return {
    deadLetterQueues: Number(map.deadLetterQueues?.N ?? 0),
    approximateNumberOfMessages: Number(map.approximateNumberOfMessages?.N ?? 0),
    approximateNumberOfMessagesNotVisible: Number(map.approximateNumberOfMessagesNotVisible?.N ?? 0),
  };
}

function taskOf(item: Item): OrgTask {
  return {
    accountId: item.accountId!.S!,
    region: item.region!.S!,
    taskId: item.taskId!.S!,
    version: Number(item.version!.N),
    status: item.status!.S!,
    sourceArn: item.sourceArn!.S!,
    createdAt: item.createdAt!.S!,
    ...(item.receivedMs?.N !== undefined ? { receivedMs: Number(item.receivedMs.N) } : {}),
    view: JSON.parse(item.view!.S!) as Record<string, unknown>,
  };
}

function dlqOf(item: Item): OrgListedDlq {
  return {
    ...(item.recovery?.S ? { recovery: JSON.parse(item.recovery.S) as OrgRecovery } : {}),
    ...(item.newestTask?.S ? { newestTask: JSON.parse(item.newestTask.S) as OrgTask } : {}),
    accountId: item.accountId!.S!,
    region: item.region!.S!,
    queueArn: item.queueArn!.S!,
    queueName: item.queueName!.S!,
    asOf: item.asOf!.S!,
    approximateNumberOfMessages: Number(item.messages!.N),
    ...(item.oldestMessageAgeSeconds?.N !== undefined ? { oldestMessageAgeSeconds: Number(item.oldestMessageAgeSeconds.N) } : {}),
    removed: item.removed?.BOOL ?? false,
    view: JSON.parse(item.view!.S!) as Record<string, unknown>,
  };
}
