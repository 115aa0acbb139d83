/**
 * The task table's keys and indexes, as plain data: the CDK construct, the local stack and the
 * store all read this one definition.
 *
 * - `taskId` (SQS's task id) is the key: starts, cancels and reconciles address one task.
 * - `by-source` answers "the history of a queue" and "the active task of a queue", newest first.
 * - `by-status` answers "every RUNNING / CANCELLING task" (what the reconciler walks) and status filters.
 * - `by-created` answers "every task, newest first"; `recordType` is constant. Redrives are started
 *   by people, at a few per minute at most, far below one partition's write limit.
 * - `by-outbox` is sparse: only items whose outbox holds unsent events have `outboxPendingSince`, so
 *   the reconciler finds events a crash left behind without reading the history.
 * - `expiresAt` (epoch seconds, DynamoDB TTL) is set on finished tasks only.
 */
export const TASK_TABLE = {
  partitionKey: 'taskId',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    bySource: { indexName: 'by-source', partitionKey: 'sourceArn', sortKey: 'createdAt' },
    byStatus: { indexName: 'by-status', partitionKey: 'status', sortKey: 'createdAt' },
    byCreated: { indexName: 'by-created', partitionKey: 'recordType', sortKey: 'createdAt' },
    byOutbox: { indexName: 'by-outbox', partitionKey: 'recordType', sortKey: 'outboxPendingSince' },
  },
  recordType: 'task',
} as const;

export type TaskTableIndex = (typeof TASK_TABLE.indexes)[keyof typeof TASK_TABLE.indexes];

/** Every attribute used as a key of the table or an index: all strings. */
export const TASK_TABLE_KEY_ATTRIBUTES: readonly string[] = [
  ...new Set([
    TASK_TABLE.partitionKey,
    ...Object.values(TASK_TABLE.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
  ]),
];
