/**
 * The org read model's table (the org stack's), as plain data: the CDK construct, the local stack
 * and the store read this one definition. Every filter of GET /org/* is an index query, never a scan.
 *
 * - `pk`: `task#<account>#<taskId>`, `dlq#<queue ARN>` or `account#<account>`.
 * - Tasks, newest first (`createdAt`): all, by account, by status, by account and status, by DLQ.
 * - DLQs by messages (a number: most first), by name, or by age (`ageOrder`, org-dlq-order.ts: oldest
 *   message first, no known age last), in the org or in one account. A DLQ an
 *   inventory no longer lists keeps its row without these attributes, so no index lists it.
 * - Accounts: one partition, a few hundred rows at most.
 * The all-tasks and all-DLQs partitions take one write per task transition or changed DLQ: far below
 * a partition's 1,000 writes a second at the rates redrives and inventory runs happen.
 * - `expiresAt` (epoch seconds, DynamoDB TTL), in step with the accounts' task records: a finished
 *   task's row expires `retentionDays` after ingest saw it finish, as its account's record does after
 *   it finished; an active task's never. DLQ and account rows are refreshed by every write (the
 *   inventory's hourly complete run writes every live DLQ), so only what no account speaks of any
 *   more expires.
 */
export const ORG_TABLE = {
  partitionKey: 'pk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    tasksAll: { indexName: 'tasks', partitionKey: 'taskList', sortKey: 'createdAt', sortType: 'S' },
    tasksByAccount: { indexName: 'tasks-by-account', partitionKey: 'taskAccount', sortKey: 'createdAt', sortType: 'S' },
    tasksByStatus: { indexName: 'tasks-by-status', partitionKey: 'taskStatus', sortKey: 'createdAt', sortType: 'S' },
    tasksByAccountStatus: { indexName: 'tasks-by-account-status', partitionKey: 'taskAccountStatus', sortKey: 'createdAt', sortType: 'S' },
    tasksBySource: { indexName: 'tasks-by-source', partitionKey: 'taskSource', sortKey: 'createdAt', sortType: 'S' },
    dlqsByMessages: { indexName: 'dlqs-by-messages', partitionKey: 'dlqList', sortKey: 'messagesOrder', sortType: 'S' },
    dlqsByAccountMessages: { indexName: 'dlqs-by-account-messages', partitionKey: 'dlqAccount', sortKey: 'messagesOrder', sortType: 'S' },
    dlqsByName: { indexName: 'dlqs-by-name', partitionKey: 'dlqList', sortKey: 'queueName', sortType: 'S' },
    dlqsByAccountName: { indexName: 'dlqs-by-account-name', partitionKey: 'dlqAccount', sortKey: 'queueName', sortType: 'S' },
    dlqsByAge: { indexName: 'dlqs-by-age', partitionKey: 'dlqList', sortKey: 'ageOrder', sortType: 'S' },
    dlqsByAccountAge: { indexName: 'dlqs-by-account-age', partitionKey: 'dlqAccount', sortKey: 'ageOrder', sortType: 'S' },
    accounts: { indexName: 'accounts', partitionKey: 'accountList', sortKey: 'accountId', sortType: 'S' },
  },
  /** the constant partitions of the all-rows indexes */
  lists: { task: 'task', dlq: 'dlq', account: 'account' },
} as const;

export type OrgTableIndex = (typeof ORG_TABLE.indexes)[keyof typeof ORG_TABLE.indexes];

/** Every key attribute of the table and its indexes, with its type. */
export const ORG_TABLE_KEY_ATTRIBUTES: ReadonlyArray<{ readonly name: string; readonly type: 'S' | 'N' }> = [
  { name: ORG_TABLE.partitionKey, type: 'S' },
  ...[...new Map(Object.values(ORG_TABLE.indexes).flatMap((index) => [[index.partitionKey, 'S' as const], [index.sortKey, index.sortType]] as const)).entries()].map(([name, type]) => ({ name, type })),
];
