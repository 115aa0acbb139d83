import type { TaskEvent } from './task-event';
import type { TaskStatus } from './task-status';

export type TaskOrigin = 'api' | 'event' | 'adopted';

/** The task table's record of one message move task: SQS's view plus who did what, when and why. */
export interface TaskRecord {
  readonly taskId: string;
  readonly taskHandle: string;
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxNumberOfMessagesPerSecond?: number;
  readonly status: TaskStatus;
  readonly approximateNumberOfMessagesMoved: number;
  readonly approximateNumberOfMessagesToMove?: number;
  readonly failureReason?: string;
  /** SQS's StartedTimestamp (epoch milliseconds), once known */
  readonly startedTimestamp?: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedBy: string;
  readonly startReason?: string;
  readonly cancelRequestedAt?: string;
  readonly cancelledBy?: string;
  readonly cancelReason?: string;
  /** a cancel by event: the event's `source` as its sender wrote it (cancelledBy names the account) */
  readonly cancelEventSource?: string;
  readonly completedAt?: string;
  /** Why the last cancel attempt did not reach SQS, when it did not */
  readonly lastCancelError?: string;
  readonly origin: TaskOrigin;
  /** Epoch seconds after which DynamoDB TTL deletes a finished task; active tasks never have it */
  readonly expiresAt?: number;
  /** Events promised by transitions and not yet sent (the transactional outbox) */
  readonly outbox?: readonly TaskEvent[];
  /** While the outbox holds events: the oldest of their `takenAt` (the stale-outbox index's sort key) */
  readonly outboxPendingSince?: string;
  /** Bumped by every write; conditional writes compare it */
  readonly version: number;
}

/** Who asked, and why: recorded with starts and cancels. */
export interface Actor {
  readonly by: string;
  /** events only: the sender's own `source`, labelled, never the identity */
  readonly eventSource?: string;
  readonly reason?: string;
  readonly origin: TaskOrigin;
}
