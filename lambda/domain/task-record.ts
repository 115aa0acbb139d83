import type { RuleTargetSettings } from './replay/rule-target-settings';
import type { TaskEvent } from './task-event';
import type { TaskStatus } from './task-status';

/** `recovery`: started by the recovery loop (API.md section 8); `expiry`: by archiveBeforeExpiry on the reconciler's tick (section 12) */
export type TaskOrigin = 'api' | 'event' | 'adopted' | 'recovery' | 'expiry';

/** What one-message-at-a-time does with the message (API.md section 12). */
export type MessageAction = 'retry' | 'edit' | 'discard';

/**
 * `native`: SQS's own move task. `selective`: the controller's mover, moving only what matches.
 * `replay`: the same mover on a Lambda or EventBridge DLQ, each message to the target it failed in (API.md section 11).
 * `archive`: the controller's mover, writing what matches to the archive bucket (API.md section 12).
 * `archive-replay`: the mover reading an archive task's objects instead of a DLQ, each message back to a queue (API.md section 12).
 */
export type TaskKind = 'native' | 'selective' | 'replay' | 'archive' | 'archive-replay';

/** The tasks the controller's own mover runs (leases, counts, cancel): selective moves, replays, archives and replays from the archive. */
export function isMoverTask(record: Pick<TaskRecord, 'kind'> | undefined): boolean {
  return record?.kind === 'selective' || record?.kind === 'replay' || record?.kind === 'archive' || record?.kind === 'archive-replay';
}

/** Tasks that write to the archive: archive tasks, and one-message edits (the original) and discards (API.md section 12). */
export function writesArchive(record: Pick<TaskRecord, 'kind' | 'messageAction'>): boolean {
  return record.kind === 'archive' || record.messageAction === 'edit' || record.messageAction === 'discard';
}

/** An archive task with Delete, an edit or a discard: each archived message leaves the DLQ once stored. */
export function deletesArchived(record: Pick<TaskRecord, 'deleteAfterArchive' | 'messageAction'>): boolean {
  return record.deleteAfterArchive === true || record.messageAction === 'edit' || record.messageAction === 'discard';
}

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
  /** absent on records written before selective tasks existed: those are native */
  readonly kind?: TaskKind;
  /** selective tasks: the SNS filter policy as JSON text, and what it is matched against */
  readonly filterPolicy?: string;
  readonly filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
  /** selective tasks: bounds on SentTimestamp (epoch milliseconds) */
  readonly sentAfter?: number;
  readonly sentBefore?: number;
  /** selective tasks: move at most this many matching messages (a canary) */
  readonly maxMessages?: number;
  /** selective tasks: considered and did not match */
  readonly numberOfMessagesSkipped?: number;
  /** selective tasks: matched, but no DestinationArn and no known source queue; replays: no target the message names can be delivered to */
  readonly numberOfMessagesUnroutable?: number;
  /** replays: what fails into the DLQ, as the inventory knew at the start */
  readonly replayOrigin?: 'lambda' | 'eventbridge';
  /** replays: the functions whose dead-letter queue or on-failure destination the DLQ is (a Lambda DLQ message's target) */
  readonly replayFunctions?: readonly string[];
  /** replays: the DLQ's rule targets that transform their input or name a FIFO message group, as the inventory knew at the start */
  readonly replayRuleTargets?: readonly RuleTargetSettings[];
  /** selective tasks: which mover invocation works on the task, and until when (ISO) unless it writes again */
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: string;
  /** selective tasks: how many batches of held (skipped) receipt handles are stored beside the record */
  readonly heldBatches?: number;
  /** recovery: the run this task belongs to; every task of one recovery shares it */
  readonly runId?: string;
  /** a start that overrode a recovery pause ("Force": true) */
  readonly force?: boolean;
  /**
   * selective tasks: ids of messages sent and counted in ApproximateNumberOfMessagesMoved whose delete
   * from the DLQ is not known to have happened; a mover resuming after a crash sends them again but
   * does not count them again
   */
  readonly sentNotDeleted?: readonly string[];
  /**
   * one message at a time (API.md section 12): the message this task decides on and what it does with
   * it. Such a task runs on the mover like a selective one (kind `selective`, MaxMessages 1) and is shown
   * as `"Kind": "message"`; an edit's body is never stored, only handed to the mover with the call.
   */
  readonly messageId?: string;
  readonly messageAction?: MessageAction;
  /** archive tasks: each archived message is deleted from the DLQ once its object is stored (a discard); else every message stays */
  readonly deleteAfterArchive?: boolean;
  /** archive-replay tasks: the archive (an archive task, an edit or a discard) whose objects are sent back */
  readonly archiveTaskId?: string;
  /** archive-replay tasks: the last object key whose selected messages are all sent and counted; the next slice lists after it */
  readonly archiveCursor?: string;
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
  /** starts by the recovery loop: the run's id */
  readonly runId?: string;
  /** a start that overrode a recovery pause */
  readonly force?: boolean;
}
