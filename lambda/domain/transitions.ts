import type { MoveTaskSummary } from './ports';
import { snapshotOf, type TaskEvent,taskEventId, TaskEventType } from './task-event';
import type { TaskRecord } from './task-record';
import { canTransition, isFinal, TaskStatus } from './task-status';

type Changes = { -readonly [K in keyof TaskRecord]?: TaskRecord[K] };

/**
 * The record after one write: version bumped and, for a transition, its event promised in the outbox.
 * A status change the state machine does not allow (`canTransition`) is our bug: it throws.
 */
export function nextRecord(record: TaskRecord, changes: Changes, at: string, event?: TaskEventType): TaskRecord {
  if (changes.status !== undefined && changes.status !== record.status && !canTransition(record.status, changes.status)) {
    throw new Error(`task ${record.taskId}: ${record.status} → ${changes.status} is not a transition of the task state machine`);
  }
  const next: TaskRecord = { ...record, ...changes, updatedAt: at, version: record.version + 1 };
  return event ? withEvent(next, event, at) : next;
}

/**
 * Adds the event of the transition that produced `record` to its outbox, taken on by this writer.
 * Its id is `taskEventId(record.taskId, type, record.version)`.
 */
export function withEvent(record: TaskRecord, type: TaskEventType, at: string): TaskRecord {
  const promised: TaskEvent = { id: taskEventId(record.taskId, type, record.version), detailType: type, time: at, record: snapshotOf(record), takenAt: at };
  return withOutbox(record, [...(record.outbox ?? []), promised]);
}

/** Takes on the events nobody has sent within the grace (taken on before `cutoff`): answers their ids. */
export function takeStaleEvents(record: TaskRecord, cutoff: string, at: string): { record: TaskRecord; taken: string[] } {
  const taken: string[] = [];
  const outbox = (record.outbox ?? []).map((event) => {
    if (event.takenAt >= cutoff) return event;
    taken.push(event.id);
    return { ...event, takenAt: at };
  });
  return { record: taken.length > 0 ? withOutbox(record, outbox) : record, taken };
}

/** The ids of the events a write of `after` over `before` added to the outbox (all of them for a new record). */
export function addedEventIds(before: TaskRecord | undefined, after: TaskRecord): string[] {
  const earlier = new Set((before?.outbox ?? []).map((event) => event.id));
  return (after.outbox ?? []).filter((event) => !earlier.has(event.id)).map((event) => event.id);
}

/** Sets the outbox and its index attribute: present, as the oldest takenAt, only while events wait. */
export function withOutbox(record: TaskRecord, outbox: readonly TaskEvent[]): TaskRecord {
  if (outbox.length === 0) return { ...record, outbox: undefined, outboxPendingSince: undefined };
  return { ...record, outbox, outboxPendingSince: outbox.map((event) => event.takenAt).sort()[0] };
}

/** A RUNNING task SQS shows that the table does not know: started in the console, the CLI, or lost. */
export function adoptedRecord(taskId: string, entry: MoveTaskSummary, at: string): TaskRecord {
  const record: TaskRecord = {
    taskId,
    taskHandle: entry.taskHandle ?? '',
    sourceArn: entry.sourceArn,
    ...(entry.destinationArn ? { destinationArn: entry.destinationArn } : {}),
    ...(entry.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: entry.maxNumberOfMessagesPerSecond }),
    status: TaskStatus.RUNNING,
    approximateNumberOfMessagesMoved: entry.approximateNumberOfMessagesMoved,
    ...(entry.approximateNumberOfMessagesToMove === undefined ? {} : { approximateNumberOfMessagesToMove: entry.approximateNumberOfMessagesToMove }),
    startedTimestamp: entry.startedTimestamp,
    createdAt: at,
    updatedAt: at,
    startedBy: 'unknown',
    origin: 'adopted',
    version: 1,
  };
  return withEvent(record, TaskEventType.Started, at);
}

const FINAL_EVENT: Partial<Record<TaskStatus, TaskEventType>> = {
  CANCELLED: TaskEventType.Cancelled,
  COMPLETED: TaskEventType.Completed,
  FAILED: TaskEventType.Failed,
};

/**
 * What the record should become given SQS's entry for the task, or undefined when it is already in
 * step. Finished tasks get `completedAt` and `expiresAt` (DynamoDB TTL); active ones never expire.
 */
export function reconciledRecord(record: TaskRecord, entry: MoveTaskSummary, now: Date, retentionDays: number): TaskRecord | undefined {
  const at = now.toISOString();
  const progress: Changes = {
    approximateNumberOfMessagesMoved: entry.approximateNumberOfMessagesMoved,
    ...(entry.approximateNumberOfMessagesToMove === undefined ? {} : { approximateNumberOfMessagesToMove: entry.approximateNumberOfMessagesToMove }),
    startedTimestamp: entry.startedTimestamp,
  };
  if (isFinal(entry.status)) {
    return finishedRecord(record, { ...progress, status: entry.status, ...(entry.failureReason ? { failureReason: entry.failureReason } : {}) }, now, retentionDays);
  }
  if (entry.status === TaskStatus.CANCELLING && record.status === TaskStatus.RUNNING) {
    // cancelled outside the controller (console, CLI): SQS does not say by whom
    return nextRecord(record, { ...progress, status: TaskStatus.CANCELLING, cancelRequestedAt: at, cancelledBy: 'unknown' }, at, TaskEventType.CancelRequested);
  }
  const changed =
    record.approximateNumberOfMessagesMoved !== progress.approximateNumberOfMessagesMoved ||
    (progress.approximateNumberOfMessagesToMove !== undefined && record.approximateNumberOfMessagesToMove !== progress.approximateNumberOfMessagesToMove) ||
    record.startedTimestamp !== progress.startedTimestamp;
  return changed ? nextRecord(record, progress, at) : undefined;
}

/** A final transition: `completedAt`, `expiresAt` (DynamoDB TTL) and the status's event. */
export function finishedRecord(record: TaskRecord, changes: Changes & { status: TaskStatus }, now: Date, retentionDays: number): TaskRecord {
  const at = now.toISOString();
  return nextRecord(
    record,
    { ...changes, completedAt: at, expiresAt: Math.floor(now.getTime() / 1000) + Math.round(retentionDays * 86_400) },
    at,
    FINAL_EVENT[changes.status],
  );
}

/**
 * CANCELLING → RUNNING with the reason the cancel failed, so an operator sees it and can cancel
 * again; the claim's Cancel Requested events still in the outbox are withdrawn (answered as ids).
 */
export function releasedCancel(record: TaskRecord, error: string, at: string): { record: TaskRecord; withdrawn: string[] } {
  const outbox = record.outbox ?? [];
  const withdrawn = outbox.filter((event) => event.detailType === TaskEventType.CancelRequested).map((event) => event.id);
  const released = nextRecord(
    withOutbox(record, outbox.filter((event) => !withdrawn.includes(event.id))),
    { status: TaskStatus.RUNNING, lastCancelError: error.slice(0, 2048), cancelRequestedAt: undefined, cancelledBy: undefined, cancelReason: undefined, cancelEventSource: undefined },
    at,
  );
  return { record: released, withdrawn };
}
