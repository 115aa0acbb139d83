import type { ArchiveStore } from './archive/archive-store';
import type { DlqDependencies } from './dlq/dlq-ports';
import type { DlqMessage, FailedEntry, OutgoingMessage } from './dlq-message';
import type { QueueArn } from './queue-arn';
import type { QueueScope } from './queue-scope';
import type { RecoveryDependencies } from './recovery/recovery-ports';
import type { ConfiguredReplayScope } from './replay/replay-scope';
import type { TaskEvent } from './task-event';
import type { TaskRecord } from './task-record';
import type { TaskStatus } from './task-status';

/** One entry of SQS's ListMessageMoveTasks, in the controller's words. */
export interface MoveTaskSummary {
  readonly taskHandle?: string;
  readonly status: TaskStatus;
  readonly sourceArn: string;
  readonly destinationArn?: string;
  readonly maxNumberOfMessagesPerSecond?: number;
  readonly approximateNumberOfMessagesMoved: number;
  readonly approximateNumberOfMessagesToMove?: number;
  readonly failureReason?: string;
  readonly startedTimestamp: number;
}

export type SourceClaimKind = 'native' | 'selective';

/**
 * A DLQ's claim: the start that holds it. A selective holder is its task id; a native holder is an id
 * of the start (SQS names the task only when it answers). Claims written before `kind` existed are selective.
 */
export interface SourceClaim {
  readonly holder: string;
  readonly claimedAt: string;
  readonly kind?: SourceClaimKind;
  readonly released?: boolean;
}

/** A queue as SQS's ListQueues names it: by URL, whose path ends in /<account>/<name>. */
export interface QueueListing {
  readonly queueUrl: string;
  readonly accountId: string;
  readonly queueName: string;
}

/** GetQueueAttributes' approximate counts for one queue, and where its redrive policy sends failures. */
export interface QueueDepth {
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
  /** the DLQ its RedrivePolicy names; @default - no redrive policy */
  readonly deadLetterTargetArn?: string;
}

/** SQS's message move task actions. Implementations throw SqsError. */
export interface MessageMoveService {
  start(input: {
    source: QueueArn;
    destination?: QueueArn;
    maxNumberOfMessagesPerSecond?: number;
  }): Promise<{ taskHandle: string }>;
  cancel(taskHandle: string): Promise<{ approximateNumberOfMessagesMoved: number }>;
  list(sourceArn: string, maxResults: number): Promise<MoveTaskSummary[]>;
  /** ListQueues of the caller's account and region, at most `limit`, optionally by name prefix. */
  listQueues(input: { namePrefix?: string; limit: number }): Promise<{ queues: QueueListing[]; truncated: boolean }>;
  /** undefined when the queue no longer exists (deleted since it was listed) */
  depth(queueUrl: string): Promise<QueueDepth | undefined>;
  /** Cheap reachability probe for /health */
  ping(): Promise<void>;
}

export interface TaskQuery {
  readonly sourceArn?: string;
  /** one recovery run's tasks */
  readonly runId?: string;
  readonly status?: TaskStatus;
  readonly limit: number;
  readonly nextToken?: string;
}

export interface TaskPage {
  readonly tasks: TaskRecord[];
  readonly nextToken?: string;
}

/** The task table. Every state change is one conditional write. */
export interface TaskStore {
  /** Records a new task in one conditional write; false if the task id is already recorded. */
  create(record: TaskRecord): Promise<boolean>;
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * Writes `next` in place of `expected`, on condition that the item still has expected's version
   * and status: false when another write came first (re-read and decide again).
   */
  replace(expected: TaskRecord, next: TaskRecord): Promise<boolean>;
  /** Every RUNNING and CANCELLING task, from an index of active tasks (never a scan). */
  listActive(): Promise<TaskRecord[]>;
  /** Tasks whose outbox nobody has taken on since before `before` (ISO time), oldest first. */
  listStaleOutboxes(before: string, limit: number): Promise<TaskRecord[]>;
  query(query: TaskQuery): Promise<TaskPage>;
  /** The queue's newest RUNNING or CANCELLING task, if one is recorded (SQS allows one per queue). */
  findActiveTask(sourceArn: string): Promise<TaskRecord | undefined>;
  /** Cheap reachability probe for /health */
  ping(): Promise<void>;
  /** Who holds the source queue's claim, since when (ISO time), for which kind of task. */
  readSourceClaim(sourceArn: string): Promise<SourceClaim | undefined>;
  /**
   * Takes the source queue's claim in one conditional write: on condition that nobody holds it
   * (`previousHolder` undefined) or that `previousHolder` still does. False when another came first.
   */
  claimSource(sourceArn: string, claim: SourceClaim, previousHolder?: string): Promise<boolean>;
  /** Marks the claim released, on condition that `holder` still holds it (a refused start gives it back). */
  releaseSourceClaim(sourceArn: string, holder: string): Promise<void>;
}

/** Where promised events go (EventBridge). Answers which event ids were accepted. */
export interface EventPublisher {
  publish(events: readonly TaskEvent[]): Promise<{ readonly sent: readonly string[] }>;
}

/** A queue's messages, for the controller's own mover and for dry runs. Implementations throw SqsError. */
export interface QueueMessages {
  receive(queueArn: string, input: { max: number; visibilitySeconds: number; waitSeconds: number }): Promise<DlqMessage[]>;
  /** one SendMessageBatch (at most 10); answers the entries SQS did not take */
  send(queueArn: string, messages: readonly OutgoingMessage[]): Promise<{ failed: FailedEntry[] }>;
  /** DeleteMessageBatch, 10 at a time; answers the entries SQS did not delete, each `id` the entry's receipt handle */
  delete(queueArn: string, receiptHandles: readonly string[]): Promise<{ failed: FailedEntry[] }>;
  /** ChangeMessageVisibilityBatch, 10 at a time; a handle that is no longer valid is passed over */
  changeVisibility(queueArn: string, receiptHandles: readonly string[], seconds: number): Promise<void>;
}

/**
 * Receipt handles of messages a selective task holds invisible (skipped, unroutable), stored beside
 * its record in batches numbered from 0, so whoever ends the task can release them.
 */
export interface HoldStore {
  /** Stores a batch under a number not yet taken; false when that number is taken (by another mover). */
  put(taskId: string, batch: number, receiptHandles: readonly string[]): Promise<boolean>;
  get(taskId: string, batch: number): Promise<string[] | undefined>;
  /** The batches among `batches` that exist, in as few reads as the store allows (the end of a pass reads 16 numbers past the last it knows). */
  getMany(taskId: string, batches: readonly number[]): Promise<Map<number, string[]>>;
  remove(taskId: string, batch: number): Promise<void>;
}

/** Hands a selective task to the mover function, asynchronously (it answers once the invocation is queued). */
export interface MoverInvoker {
  invoke(taskId: string): Promise<void>;
  /**
   * Runs a one-message task's pass now and waits for it (a synchronous invoke): an edit's body goes with
   * the call, never into the table. Throws when the mover could not be run or failed.
   * @default - one message at a time is not offered
   */
  decide?(taskId: string, edit?: WireEdit): Promise<void>;
}

/** An edit as the request carried it (Body, MessageAttributes with base64 BinaryValue): the mover checks it again. */
export interface WireEdit {
  readonly Body: string;
  readonly MessageAttributes?: unknown;
}

/** What an operation needs from the outside world. */
export interface Clock {
  now(): Date;
}

/** Where operations report what the caller does not see (a failed write after SQS acted). */
export interface OperationLog {
  warn(message: string, details: Record<string, unknown>): void;
  error(message: string, details: Record<string, unknown>): void;
}

export interface ControllerDependencies {
  readonly sqs: MessageMoveService;
  readonly store: TaskStore;
  readonly events: EventPublisher;
  readonly scope: QueueScope;
  readonly clock: Clock;
  readonly log: OperationLog;
  /**
   * GET /dlqs and peek (API.md section 6), built on first use so the API's cold start does not pay
   * for them. @default - those routes answer 500 (the runtime wires them)
   */
  readonly dlqs?: () => Promise<DlqDependencies>;
  /** the selective mover's queue access; @default - selective tasks and dry runs are refused */
  readonly messages?: QueueMessages;
  /** @default - selective tasks are refused */
  readonly mover?: MoverInvoker;
  /** @default - selective tasks are refused */
  readonly holds?: HoldStore;
  /** replays (API.md section 11): where the configuration lets them deliver; @default - nowhere */
  readonly replayScope?: ConfiguredReplayScope;
  /** the recovery loop (API.md section 8); @default - no recovery policies */
  readonly recovery?: RecoveryDependencies;
  /** the archive bucket (API.md section 12): archive tasks write to it, GET /archives/{taskId}/messages reads it; @default - archive tasks are refused */
  readonly archive?: ArchiveStore;
}
