// The task as callers see it, in SQS's field names: GET /tasks and the actions (HTTP adapter), and the detail of task events (EventBridge adapter)
import type { SampledRoute } from '../domain/operations/dry-run-selection';
import type { ManagedQueue } from '../domain/operations/list-managed-queues';
import type { MoveTaskSummary } from '../domain/ports';
import { isMoverTask, type TaskRecord } from '../domain/task-record';

/** A value on the wire: JSON, or one XML element (a list: one element per entry). */
export type WireValue = string | number | boolean | undefined | readonly WireRecord[];
export type WireRecord = { readonly [name: string]: WireValue };

/** SQS's ListMessageMoveTasksResultEntry shape; TaskHandle only while RUNNING, as in SQS. */
export function moveTaskView(task: MoveTaskSummary): WireRecord {
  return {
    TaskHandle: task.status === 'RUNNING' ? task.taskHandle : undefined,
    Status: task.status,
    SourceArn: task.sourceArn,
    DestinationArn: task.destinationArn,
    MaxNumberOfMessagesPerSecond: task.maxNumberOfMessagesPerSecond,
    ApproximateNumberOfMessagesMoved: task.approximateNumberOfMessagesMoved,
    ApproximateNumberOfMessagesToMove: task.approximateNumberOfMessagesToMove,
    FailureReason: task.failureReason,
    StartedTimestamp: task.startedTimestamp,
  };
}

/** GET /tasks entries: the SQS fields plus the controller's record. */
export function taskRecordView(record: TaskRecord): WireRecord {
  return {
    ...moveTaskView({ ...record, taskHandle: record.taskHandle, startedTimestamp: record.startedTimestamp ?? Date.parse(record.createdAt) }),
    taskId: record.taskId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    startedBy: record.startedBy,
    startReason: record.startReason,
    cancelRequestedAt: record.cancelRequestedAt,
    cancelledBy: record.cancelledBy,
    cancelReason: record.cancelReason,
    cancelEventSource: record.cancelEventSource,
    completedAt: record.completedAt,
    lastCancelError: record.lastCancelError,
    origin: record.origin,
    RunId: record.runId,
    Force: record.force,
    Kind: record.messageAction ? 'message' : (record.kind ?? 'native'),
    ...(record.messageAction ? { MessageId: record.messageId, Action: record.messageAction } : {}),
    ...(record.kind === 'archive' ? { NumberOfMessagesArchived: record.approximateNumberOfMessagesMoved, Delete: record.deleteAfterArchive === true } : {}),
    ...(isMoverTask(record)
      ? {
          FilterPolicy: record.filterPolicy,
          FilterPolicyScope: record.filterPolicy === undefined ? undefined : record.filterPolicyScope,
          SentAfter: record.sentAfter,
          SentBefore: record.sentBefore,
          MaxMessages: record.maxMessages,
          NumberOfMessagesSkipped: record.numberOfMessagesSkipped ?? 0,
          NumberOfMessagesUnroutable: record.numberOfMessagesUnroutable ?? 0,
        }
      : {}),
    ...(record.kind === 'replay' ? { ReplayOrigin: record.replayOrigin } : {}),
    ...(record.kind === 'archive-replay' ? { ArchiveTaskId: record.archiveTaskId } : {}),
  };
}

/** GET /queues entries: SQS's attribute names, as GetQueueAttributes spells them. */
export function managedQueueView(queue: ManagedQueue): WireRecord {
  return {
    QueueArn: queue.queueArn,
    QueueName: queue.queueName,
    ApproximateNumberOfMessages: queue.approximateNumberOfMessages,
    ApproximateNumberOfMessagesNotVisible: queue.approximateNumberOfMessagesNotVisible,
    ...(queue.role ? { RedriveRole: queue.role } : {}),
    ...(queue.deadLetterTargetArn ? { DeadLetterTargetArn: queue.deadLetterTargetArn } : {}),
  };
}

/** A replay's dry run: one sampled message's route (`Kind`, `TargetArn`), or why it stays (`Unroutable`). */
export function sampledRouteView(route: SampledRoute): WireRecord {
  const { outcome } = route;
  // replay-route.ts's isRoute, spelled out: this module is on the cold-start path, the replay router is not
  return outcome.kind === 'unroutable'
    ? { MessageId: route.messageId, Format: outcome.format, Unroutable: outcome.reason }
    : { MessageId: route.messageId, Format: outcome.format, Kind: outcome.kind, TargetArn: outcome.targetArn };
}
