import { ControllerCounter, type ControllerMetrics } from './controller-metrics';
import type { TaskStore } from './ports';
import type { TaskRecord } from './task-record';
import { TaskStatus } from './task-status';

/**
 * The task store, counting what its successful writes record: every redrive's start, end and moved
 * messages pass through one conditional write, and only its winner counts, so each is counted once
 * whichever function (api, events, reconciler, mover) makes it. A start counts when its record is
 * created (a task adopted from SQS too: it is a redrive of the account all the same).
 */
export function meteredTaskStore(store: TaskStore, metrics: ControllerMetrics): TaskStore {
  return {
    get: (taskId) => store.get(taskId),
    listActive: () => store.listActive(),
    listStaleOutboxes: (before, limit) => store.listStaleOutboxes(before, limit),
    query: (query) => store.query(query),
    findActiveTask: (sourceArn) => store.findActiveTask(sourceArn),
    ping: () => store.ping(),
    readSourceClaim: (sourceArn) => store.readSourceClaim(sourceArn),
    claimSource: (sourceArn, claim, previousHolder) => store.claimSource(sourceArn, claim, previousHolder),
    releaseSourceClaim: (sourceArn, holder) => store.releaseSourceClaim(sourceArn, holder),
    async create(record: TaskRecord): Promise<boolean> {
      const created = await store.create(record);
      if (created) {
        metrics.count(ControllerCounter.RedrivesStarted, 1);
        countWrite(metrics, undefined, record);
      }
      return created;
    },
    async replace(expected: TaskRecord, next: TaskRecord): Promise<boolean> {
      const replaced = await store.replace(expected, next);
      if (replaced) countWrite(metrics, expected, next);
      return replaced;
    },
  };
}

function countWrite(metrics: ControllerMetrics, before: TaskRecord | undefined, after: TaskRecord): void {
  const moved = after.approximateNumberOfMessagesMoved - (before?.approximateNumberOfMessagesMoved ?? 0);
  if (moved > 0) metrics.count(counterOfMoved(after), moved);
  if (before?.status === after.status) return;
  if (after.status === TaskStatus.CANCELLED) metrics.count(ControllerCounter.RedrivesCancelled, 1);
  if (after.status === TaskStatus.FAILED) metrics.count(ControllerCounter.RedrivesFailed, 1);
}

/**
 * Each task's messages count under one counter, by where they went (API.md section 13): to a queue
 * (`MessagesMoved`), to the archive (`MessagesArchived`: archive tasks with or without Delete, and
 * one-message discards), or delivered again (`MessagesReplayed`: a replay to the Lambda function or
 * EventBridge target that failed, and an archive-replay sending archived messages back to a queue).
 * An edit's archived original is not counted: its edited copy is the message moved.
 */
export function counterOfMoved(record: Pick<TaskRecord, 'kind' | 'messageAction'>): ControllerCounter {
  if (record.kind === 'replay' || record.kind === 'archive-replay') return ControllerCounter.MessagesReplayed;
  if (record.kind === 'archive' || record.messageAction === 'discard') return ControllerCounter.MessagesArchived;
  return ControllerCounter.MessagesMoved;
}
