import type { QueueArn } from './queue-arn';
import type { QueueScope } from './queue-scope';
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

/** A queue as SQS's ListQueues names it: by URL, whose path ends in /<account>/<name>. */
export interface QueueListing {
  readonly queueUrl: string;
  readonly accountId: string;
  readonly queueName: string;
}

/** GetQueueAttributes' approximate counts for one queue. */
export interface QueueDepth {
  readonly approximateNumberOfMessages: number;
  readonly approximateNumberOfMessagesNotVisible: number;
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

export type CancelClaim =
  | { readonly outcome: 'claimed'; readonly record: TaskRecord }
  | { readonly outcome: 'not-running'; readonly record: TaskRecord }
  | { readonly outcome: 'not-found' };

export interface TaskQuery {
  readonly sourceArn?: string;
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
  /** Records a new task; fails if the task id is already recorded. */
  create(record: TaskRecord): Promise<void>;
  get(taskId: string): Promise<TaskRecord | undefined>;
  /**
   * RUNNING → CANCELLING in one conditional write on status and handle. Of any number of
   * concurrent claims of one task, exactly one is `claimed`.
   */
  claimCancel(
    taskId: string,
    taskHandle: string,
    cancel: { at: string; by: string; reason?: string },
  ): Promise<CancelClaim>;
  /** Stores the count SQS answered for our cancel, if the task is still CANCELLING. */
  recordCancelAccepted(taskId: string, approximateNumberOfMessagesMoved: number, at: string): Promise<void>;
  /** Gives the claim back (CANCELLING → RUNNING) when the cancel did not reach SQS; says why. */
  releaseCancelClaim(taskId: string, claimedVersion: number, error: string, at: string): Promise<boolean>;
  query(query: TaskQuery): Promise<TaskPage>;
  /** The queue's newest RUNNING or CANCELLING task, if one is recorded (SQS allows one per queue). */
  findActiveTask(sourceArn: string): Promise<TaskRecord | undefined>;
  /** Cheap reachability probe for /health */
  ping(): Promise<void>;
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
  readonly scope: QueueScope;
  readonly clock: Clock;
  readonly log: OperationLog;
}
