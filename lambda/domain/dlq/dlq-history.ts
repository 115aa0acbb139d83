/**
 * A DLQ's history: one point per inventory run (API.md section 13), kept at least
 * HISTORY_KEPT_HOURS. GET /dlqs/{queueName}/history reads it; the page draws its sparklines from it.
 */
export interface HistoryPoint {
  /** ISO-8601: the run's `asOf`, to the second */
  readonly at: string;
  /** the DLQ's ApproximateNumberOfMessages at that run */
  readonly approximateNumberOfMessages: number;
  /** messages that arrived since the run before it (dead-letter-arrivals.ts) */
  readonly newMessages: number;
}

/** What one run writes for one DLQ. */
export interface HistoryEntry extends Omit<HistoryPoint, 'at'> {
  readonly queueName: string;
}

/** Seven days: the longest window the route serves (`hours` 1..168). */
export const HISTORY_KEPT_HOURS = 168;

/** Where the inventory job keeps each DLQ's points (the task table, dynamodb-dlq-history-writer.ts). */
export interface DlqHistoryWriter {
  /** one write per DLQ: this run's point for each entry; throws when a write fails */
  record(at: string, entries: readonly HistoryEntry[]): Promise<void>;
}

/** GET /dlqs/{queueName}/history's reads (dynamodb-dlq-history-reader.ts). */
export interface DlqHistoryReader {
  /** the queue's points with `since` <= at <= `until` (ISO), oldest first */
  read(queueName: string, since: string, until: string): Promise<HistoryPoint[]>;
}
