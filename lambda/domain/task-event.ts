import type { TaskRecord } from './task-record';

/** Outgoing EventBridge detail-types, one per transition (see docs/events.md). */
export const TaskEventType = {
  Started: 'Message Move Task Started',
  CancelRequested: 'Message Move Task Cancel Requested',
  Cancelled: 'Message Move Task Cancelled',
  Completed: 'Message Move Task Completed',
  Failed: 'Message Move Task Failed',
} as const;

export type TaskEventType = (typeof TaskEventType)[keyof typeof TaskEventType];

export const EVENT_SOURCE = 'redrive-controller';

const SLUG: Record<TaskEventType, string> = {
  [TaskEventType.Started]: 'started',
  [TaskEventType.CancelRequested]: 'cancel-requested',
  [TaskEventType.Cancelled]: 'cancelled',
  [TaskEventType.Completed]: 'completed',
  [TaskEventType.Failed]: 'failed',
};

/** The record as an event carries it: without the outbox it travels in. */
export type TaskSnapshot = Omit<TaskRecord, 'outbox' | 'outboxPendingSince'>;

/**
 * A promised event, kept on the task item (the outbox) by the same conditional write as its
 * transition. `id` is stable across redeliveries: consumers drop a repeated id.
 */
export interface TaskEvent {
  readonly id: string;
  readonly detailType: TaskEventType;
  readonly time: string;
  readonly record: TaskSnapshot;
  /**
   * When a writer last took this event on to send it. Until the in-flight grace has passed since,
   * only that writer sends it; after, a reconciler may take it on (one conditional write).
   */
  readonly takenAt: string;
}

/**
 * `<taskId>:<transition>:<version>`: the version the transition wrote makes a second cancel request
 * after a released claim a distinct event, and is the same every time one outbox entry is re-sent.
 */
export function taskEventId(taskId: string, type: TaskEventType, version: number): string {
  return `${taskId}:${SLUG[type]}:${version}`;
}

export function snapshotOf(record: TaskRecord): TaskSnapshot {
  const { outbox: _outbox, outboxPendingSince: _since, ...snapshot } = record;
  return snapshot;
}
