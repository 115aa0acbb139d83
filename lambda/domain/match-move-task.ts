import type { MoveTaskSummary } from './ports';
import type { TaskRecord } from './task-record';

/** How far SQS's StartedTimestamp may lie before the record's createdAt (the Start call's duration). */
export const START_WINDOW_BEFORE_MS = 60_000;
/** ... and after it (clock skew between Lambda and SQS). */
export const START_WINDOW_AFTER_MS = 5_000;

/**
 * Finds a record's task among one queue's ListMessageMoveTasks entries (newest first, at most 10).
 * SQS's entries carry no task id, and a handle only while RUNNING, so (see docs/reconciler.md):
 * 1. an entry with the record's handle is the task (it is RUNNING);
 * 2. else an entry without a handle whose StartedTimestamp equals the one recorded is the task
 *    (a queue runs one task at a time, so no two of its tasks start in the same millisecond);
 * 3. else, for a record that never saw its StartedTimestamp, the handle-less entry that started
 *    closest to createdAt within [createdAt - 60 s, createdAt + 5 s].
 */
export function matchMoveTask(record: TaskRecord, entries: readonly MoveTaskSummary[]): MoveTaskSummary | undefined {
  const byHandle = entries.find((entry) => entry.taskHandle !== undefined && entry.taskHandle === record.taskHandle);
  if (byHandle) return byHandle;
  const finished = entries.filter((entry) => entry.taskHandle === undefined);
  if (record.startedTimestamp !== undefined) return finished.find((entry) => entry.startedTimestamp === record.startedTimestamp);
  const created = Date.parse(record.createdAt);
  const candidates = finished.filter(
    (entry) => entry.startedTimestamp >= created - START_WINDOW_BEFORE_MS && entry.startedTimestamp <= created + START_WINDOW_AFTER_MS,
  );
  return candidates.sort((a, b) => Math.abs(a.startedTimestamp - created) - Math.abs(b.startedTimestamp - created))[0];
}
