import type { TaskStore } from '../ports';
import { deletesArchived, type TaskRecord } from '../task-record';
import { isActive } from '../task-status';
import type { DlqInventory } from './dlq-inventory';

/** Per task id: ApproximateNumberOfMessagesMoved when the run looked (the active tasks only). */
export type TaskMoves = Readonly<Record<string, number>>;

/** The task table as the inventory reads it: a few queries a run, never one per DLQ. */
export interface TaskMovesReader {
  /** every RUNNING and CANCELLING task */
  listActive(): Promise<TaskRecord[]>;
  /** tasks created at or after `since` (ISO), newest first */
  createdSince(since: string): Promise<TaskRecord[]>;
  get(taskId: string): Promise<TaskRecord | undefined>;
}

/** What the controller's tasks took out of the DLQs since the previous run (controllerMovesSince). */
export interface ControllerMoves {
  /** by source DLQ ARN: the rise of the moved counts of tasks that take messages out of it */
  readonly movedOut: ReadonlyMap<string, number>;
  /** the DLQs (ARNs) that a task still active may take messages out of: their counts may yet rise */
  readonly active: ReadonlySet<string>;
  /**
   * those of them with an active task whose count can record a move after the depth showed it: a native
   * task's (SQS's count as the reconciler last read it), not the mover's (it counts a batch, then deletes it)
   */
  readonly recordedLate: ReadonlySet<string>;
}

/**
 * Whether a task's moved count is messages gone from the DLQ its record names as source: a redrive's,
 * a replay's, a discard's. Not an archive without Delete (it copies to the archive, every message
 * stays) nor an archive-replay (it reads the archive's objects; the DLQ is its source only by name).
 */
export function movesOutOfDlq(task: Pick<TaskRecord, 'kind' | 'deleteAfterArchive' | 'messageAction'>): boolean {
  if (task.kind === 'archive-replay') return false;
  if (task.kind === 'archive') return deletesArchived(task);
  return true;
}

/** What the previous run left for this one: its time, the active tasks' counts, when it had read every depth. */
export type PreviousRun = Pick<DlqInventory, 'asOf' | 'taskMoves' | 'depthsReadBy'>;

/**
 * What the controller's tasks moved out of each DLQ (by source ARN) since the previous run, and the
 * active tasks' counts for the next run to start from. A task moved messages in that interval only if
 * it was active at the previous run (its count then is in `before`) or was created since. Tasks whose
 * count is no message leaving the DLQ (movesOutOfDlq) are left out.
 *
 * A task the previous run did not see counts from 0 only if it began after the previous run had read
 * every depth: else some of its moves may already be in that depth (a task started a moment before,
 * one started outside the controller and adopted since). Such a task counts from its count now, so the
 * next run counts only what it moves after this one.
 */
export async function controllerMovesSince(tasks: TaskMovesReader, previous: PreviousRun | undefined): Promise<ControllerMoves & { now: TaskMoves }> {
  const before = previous?.taskMoves;
  const seen = new Map((await tasks.listActive()).map((task) => [task.taskId, task]));
  if (previous !== undefined) {
    for (const task of await tasks.createdSince(previous.asOf)) if (!seen.has(task.taskId)) seen.set(task.taskId, task);
  }
  for (const taskId of Object.keys(before ?? {})) {
    if (seen.has(taskId)) continue;
    const task = await tasks.get(taskId);
    if (task) seen.set(taskId, task);
  }
  const movedOut = new Map<string, number>();
  const active = new Set<string>();
  const recordedLate = new Set<string>();
  const now: Record<string, number> = {};
  for (const task of seen.values()) {
    if (!movesOutOfDlq(task)) continue;
    const baseline = before?.[task.taskId] ?? (beganAfter(task, previous?.depthsReadBy) ? 0 : task.approximateNumberOfMessagesMoved);
    const moved = task.approximateNumberOfMessagesMoved - baseline;
    if (moved > 0) movedOut.set(task.sourceArn, (movedOut.get(task.sourceArn) ?? 0) + moved);
    if (!isActive(task.status)) continue;
    now[task.taskId] = task.approximateNumberOfMessagesMoved;
    active.add(task.sourceArn);
    if (isNative(task)) recordedLate.add(task.sourceArn);
  }
  return { movedOut, active, recordedLate, now };
}

/**
 * Whether a task moved nothing before `time`: a native task begins at SQS's StartedTimestamp (its record
 * is written after SQS accepted it; an adopted one much later), the mover's tasks when their record is
 * created (the mover is invoked after). A native task whose start SQS has not told is not known to have.
 */
function beganAfter(task: TaskRecord, time: string | undefined): boolean {
  if (time === undefined) return false;
  const began = isNative(task) ? task.startedTimestamp : Date.parse(task.createdAt);
  return began !== undefined && began >= Date.parse(time);
}

/** SQS's own move task (StartMessageMoveTask), started or adopted by the controller. */
function isNative(task: TaskRecord): boolean {
  return task.kind === undefined || task.kind === 'native';
}

/** The task store as a TaskMovesReader: tasks created since a time from the newest-first index, a page at a time. */
export function taskMovesReaderOf(store: Pick<TaskStore, 'listActive' | 'query' | 'get'>): TaskMovesReader {
  return {
    listActive: () => store.listActive(),
    get: (taskId) => store.get(taskId),
    async createdSince(since) {
      const found: TaskRecord[] = [];
      let nextToken: string | undefined;
      do {
        const page = await store.query({ limit: 100, ...(nextToken ? { nextToken } : {}) });
        const recent = page.tasks.filter((task) => task.createdAt >= since);
        found.push(...recent);
        // newest first: a page that reaches past `since` is the last one needed
        nextToken = recent.length === page.tasks.length ? page.nextToken : undefined;
      } while (nextToken);
      return found;
    },
  };
}
