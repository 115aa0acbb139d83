// messages a task holds invisible for its pass (skipped, unroutable, arrived later): stored, then hidden; released at the end
import { inParallel } from '../in-parallel';
import { isPermanentRefusal, SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import { MAX_WRITE_ATTEMPTS, type MoverDependencies, UNRECORDED_HELD_BATCHES } from './mover-types';

/** Held batches released at once at the end of a pass (each: a read, a visibility change, a delete). */
const RELEASE_CONCURRENCY = 8;

/** Stores held handles under the next batch number no other mover has taken (a conditional write). */
export async function storeHeld(deps: MoverDependencies, taskId: string, nextIndex: () => number, handles: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    if (await deps.holds.put(taskId, nextIndex(), handles)) return;
  }
  throw new SqsError('InternalFailure', `task ${taskId}: no free held-batch number after ${MAX_WRITE_ATTEMPTS} tries`, 500);
}

/** ChangeMessageVisibility to 0 for every held batch, then the batch's item is removed. */
export async function releaseHeld(deps: MoverDependencies, record: TaskRecord): Promise<void> {
  // past the recorded count: batches stored just before a crash, whose record write was lost
  const batches = Array.from({ length: (record.heldBatches ?? 0) + UNRECORDED_HELD_BATCHES }, (_, batch) => batch);
  await inParallel(batches, RELEASE_CONCURRENCY, async (batch) => {
    const handles = await deps.holds.get(record.taskId, batch);
    if (!handles) return;
    try {
      await deps.messages.changeVisibility(record.sourceArn, handles, 0);
    } catch (error) {
      if (!isPermanentRefusal(error)) throw error;
      // the DLQ refuses for good (gone, access denied): the messages come back when their hold lapses
      deps.log.error('held messages not released; they are visible again once their hold lapses', { taskId: record.taskId, batch, count: handles.length, code: error.code });
      return;
    }
    await deps.holds.remove(record.taskId, batch);
  });
}
