// messages a task holds invisible for its pass (skipped, unroutable, arrived later): stored, then hidden; released at the end
import { inParallel } from '../in-parallel';
import { isPermanentRefusal, SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import { MAX_WRITE_ATTEMPTS, type MoverDependencies, UNRECORDED_HELD_BATCHES } from './mover-types';

/** Held batches released at once at the end of a pass (each: a visibility change, a delete): the usual pass's all in one round. */
const RELEASE_CONCURRENCY = 32;

/** Stores held handles under the next batch number no other mover has taken (a conditional write); answers that number. */
export async function storeHeld(deps: MoverDependencies, taskId: string, nextIndex: () => number, handles: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const batch = nextIndex();
    if (await deps.holds.put(taskId, batch, handles)) return batch;
  }
  throw new SqsError('InternalFailure', `task ${taskId}: no free held-batch number after ${MAX_WRITE_ATTEMPTS} tries`, 500);
}

/**
 * ChangeMessageVisibility to 0 for every held batch; answers once every message is visible again, with
 * the removal of the batches' items still under way (`removed`): the final write need not wait for it
 * (an item a crash leaves behind is released again by a re-drive, or expires by TTL). Batches the
 * caller stored itself (`known`) are not read again; every other number is (another slice's, or one
 * stored just before a crash whose record write was lost), all in one `getMany`.
 */
export async function releaseHeld(deps: MoverDependencies, record: TaskRecord, known: ReadonlyMap<number, readonly string[]> = new Map()): Promise<{ removed: Promise<void> }> {
  // past the recorded count: batches stored just before a crash, whose record write was lost
  const batches = Array.from({ length: Math.max(record.heldBatches ?? 0, ...[...known.keys()].map((batch) => batch + 1)) + UNRECORDED_HELD_BATCHES }, (_, batch) => batch);
  const unknown = batches.filter((batch) => !known.has(batch));
  // one read (BatchGetItem) for every number this slice did not store itself, not one each
  const found = unknown.length > 0 ? await deps.holds.getMany(record.taskId, unknown) : new Map<number, string[]>();
  const toRelease = batches.flatMap((batch) => {
    const handles = known.get(batch) ?? found.get(batch);
    return handles ? [{ batch, handles }] : [];
  });
  const released: number[] = [];
  await inParallel(toRelease, RELEASE_CONCURRENCY, async ({ batch, handles }) => {
    try {
      await deps.messages.changeVisibility(record.sourceArn, handles, 0);
    } catch (error) {
      if (!isPermanentRefusal(error)) throw error;
      // the DLQ refuses for good (gone, access denied): the messages come back when their hold lapses
      deps.log.error('held messages not released; they are visible again once their hold lapses', { taskId: record.taskId, batch, count: handles.length, code: error.code });
      return;
    }
    released.push(batch);
  });
  const removed = inParallel(released, RELEASE_CONCURRENCY, (batch) => deps.holds.remove(record.taskId, batch)).then(() => undefined);
  // awaited by the caller after its final write; marked handled now, so a failure meanwhile is not an unhandled rejection
  removed.catch(() => undefined);
  return { removed };
}
