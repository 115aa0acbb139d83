import type { TaskRecord } from '../task-record';

/** Matches a canary (MaxMessages) may still move; without one, no limit. */
export function canaryLeft(record: TaskRecord): number {
  return record.maxMessages === undefined ? Number.POSITIVE_INFINITY : Math.max(0, record.maxMessages - record.approximateNumberOfMessagesMoved);
}
