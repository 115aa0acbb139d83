import type { QueueAttributes } from './dead-letter-queue';
import type { DlqHistoryReader } from './dlq-history';
import type { DlqInventory } from './dlq-inventory';
import type { InventoryChange } from './inventory-event';
import type { PeekedMessage } from './peeked-message';

/** Reads every queue of the account (ListQueues, then GetQueueAttributes per queue). Throws SqsError. */
export interface QueueAttributeReader {
  /** every queue of the caller's account and region, at most `limit`; `truncated` when there were more */
  listQueueUrls(limit: number): Promise<{ queueUrls: string[]; truncated: boolean }>;
  /** undefined when the queue was deleted since it was listed */
  readAttributes(queueUrl: string): Promise<QueueAttributes | undefined>;
}

/** CloudWatch's ApproximateAgeOfOldestMessage, read in bulk (GetMetricData, many queues a call). */
export interface QueueAgeReader {
  /** seconds by queue name; a queue CloudWatch says nothing about is absent */
  oldestMessageAges(queueNames: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

/**
 * The oldest SentTimestamp among a few of a queue's messages: one ReceiveMessage (up to 10, short
 * poll, visibility 0, SentTimestamp only), so nothing is hidden or released. Throws SqsError.
 */
export interface SentTimestampSampler {
  /** epoch ms; undefined when the receive saw no message */
  oldestSentTimestamp(queueUrl: string): Promise<number | undefined>;
}

/** Where the inventory job keeps its newest inventory (the task table). */
export interface DlqInventoryStore {
  /**
   * Replaces the stored inventory; false when another run's is stored. With `loaded` (the inventory
   * this run loaded, `asOf` undefined when it found none), only if that one is still stored: of two
   * runs that loaded the same one, one saves. Without it, only if the stored one is older.
   */
  save(inventory: DlqInventory, loaded?: { readonly asOf: string | undefined }): Promise<boolean>;
  /** undefined until the job's first run */
  load(): Promise<DlqInventory | undefined>;
}

/**
 * Receives a sample of a queue's messages and hands them back: SQS's ReceiveMessage with a
 * visibility timeout, then ChangeMessageVisibilityBatch to 0. Throws SqsError.
 */
export interface MessageSampler {
  /** undefined when no queue has that name */
  queueUrl(queueName: string): Promise<string | undefined>;
  /** whether any queue's redrive policy names this one (ListDeadLetterSourceQueues) */
  isDeadLetterQueue(queueUrl: string): Promise<boolean>;
  /** the queue's own RedrivePolicy target (GetQueueAttributes): set on a chained DLQ; undefined when it has none */
  deadLetterTargetOf(queueUrl: string): Promise<string | undefined>;
  /** up to 10 messages, each hidden for `visibilitySeconds`; a long poll of `waitSeconds` (@default 0) */
  receive(queueUrl: string, max: number, visibilitySeconds: number, waitSeconds?: number): Promise<PeekedMessage[]>;
  /** makes the messages visible again now; answers the receipt handles SQS did not take */
  release(queueUrl: string, receiptHandles: readonly string[]): Promise<string[]>;
}

/** An event that is not a task's transition (no outbox). */
export interface ActivityEvent {
  readonly detailType: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** Events that are not a task's transition (no outbox): sent once, a failure only logged. */
export interface ActivityPublisher {
  publishActivity(event: ActivityEvent): Promise<void>;
}

/**
 * Many such events at once (the inventory's arrival alerts, up to one per DLQ a run) in as few calls
 * as the bus takes; answers how many were accepted and, if not all, why not. Never throws.
 */
export interface ActivityBatchPublisher {
  publishActivities(events: readonly ActivityEvent[]): Promise<{ readonly sent: number; readonly error?: string }>;
}

/** What the DLQ routes need beyond the controller's dependencies. */
export interface DlqDependencies {
  readonly inventory: DlqInventoryStore;
  readonly sampler: MessageSampler;
  readonly activity: ActivityPublisher;
  /** GET /dlqs/{queueName}/history; @default - that route answers 500 (the runtime wires it) */
  readonly history?: DlqHistoryReader;
}

/** Sends one part of an inventory run's changes (the `Dead-Letter Queue Inventory Changed` event). */
export interface InventoryChangePublisher {
  publishInventoryChange(change: InventoryChange): Promise<void>;
}
