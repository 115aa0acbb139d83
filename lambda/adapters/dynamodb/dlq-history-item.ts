/**
 * DLQ history in the task table (docs/metrics.md, "History"): one item per DLQ per hour, holding
 * that hour's points as short strings ("<second of the hour> <depth> <new>"), so an hour of
 * per-minute runs stays under 1 KB and each run's append costs one write unit. The items carry none
 * of the indexes' keys, so no task query sees them; the table's TTL attribute removes them after
 * HISTORY_KEPT_HOURS (plus the hour itself).
 */
export const HISTORY_KEY_PREFIX = 'dlq-history';

/** The ISO hour ("2026-12-07T11") a time falls in. */
export const hourOf = (at: string) => at.slice(0, 13);
/** The item holding one queue's points of one hour. */
export const historyItemKey = (queueName: string, hour: string) => `${HISTORY_KEY_PREFIX}#${queueName}#${hour}`;
