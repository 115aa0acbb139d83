// how a slice ends: the task's final status (after releasing what it held), or a hand-on to the next slice
import { drainOutboxes } from '../operations/drain-outbox';
import type { TaskRecord } from '../task-record';
import { isFinal, TaskStatus } from '../task-status';
import { finishedRecord, nextRecord } from '../transitions';
import { releaseHeld } from './held-batches';
import { MAX_WRITE_ATTEMPTS, type MoverDependencies, type MoverOptions, type SliceSummary } from './mover-types';

/** Releases every held message, then records the final status (while the held batches' items are removed) and sends its event. */
export async function finishTask(
  deps: MoverDependencies,
  record: TaskRecord,
  status: TaskStatus,
  options: MoverOptions,
  summary: SliceSummary,
  failureReason?: string,
  heldByThisSlice?: ReadonlyMap<number, readonly string[]>,
): Promise<SliceSummary> {
  const { removed } = await releaseHeld(deps, record, heldByThisSlice);
  try {
    return await recordFinal(deps, record, status, options, summary, failureReason);
  } finally {
    await removed.catch((error: unknown) => {
      deps.log.warn('held batches released but not removed; a re-drive or their TTL removes them', { taskId: record.taskId, error: String(error) });
    });
  }
}

/** The final status, re-read and retried like every write (a cancel may have been claimed meanwhile), then its event. */
async function recordFinal(deps: MoverDependencies, record: TaskRecord, status: TaskStatus, options: MoverOptions, summary: SliceSummary, failureReason?: string): Promise<SliceSummary> {
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && current && !isFinal(current.status); attempt += 1) {
    // a cancel claimed while the pass was ending: the task stopped because of it
    const final = current.status === TaskStatus.CANCELLING ? TaskStatus.CANCELLED : status;
    const next = finishedRecord(
      current,
      { status: final, ...(failureReason ? { failureReason } : {}), leaseOwner: undefined, leaseExpiresAt: undefined, heldBatches: 0, sentNotDeleted: undefined },
      deps.clock.now(),
      options.retentionDays,
    );
    if (await deps.store.replace(current, next)) {
      summary.outcome = 'finished';
      summary.status = final;
      const eventIds = (next.outbox ?? []).filter((event) => !(current!.outbox ?? []).some((old) => old.id === event.id)).map((event) => event.id);
      await drainOutboxes(deps, [{ record: next, eventIds }]).catch((error: unknown) => {
        deps.log.warn('selective task ended; its event is left in the outbox for the reconciler', { taskId: record.taskId, error: String(error) });
      });
      return summary;
    }
    current = await deps.store.get(record.taskId);
  }
  summary.outcome = 'lease-lost';
  return summary;
}

/**
 * Frees the lease and invokes the next slice; without an invoker, or should the invocation be lost, the
 * reconciler re-drives the task. Re-reads and retries like `finishTask`: a cancel claimed since the last
 * write ends the task here (CANCELLED, held messages released), not after the lease has lapsed.
 */
export async function handOn(
  deps: MoverDependencies,
  record: TaskRecord,
  options: MoverOptions,
  summary: SliceSummary,
  stillInDoubt: readonly string[],
  heldByThisSlice?: ReadonlyMap<number, readonly string[]>,
): Promise<SliceSummary> {
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && current && !isFinal(current.status); attempt += 1) {
    if (current.status === TaskStatus.CANCELLING) return finishTask(deps, current, TaskStatus.CANCELLED, options, summary, undefined, heldByThisSlice);
    // another mover took the task over: it goes on with it
    if (current.leaseOwner !== options.owner) break;
    const now = deps.clock.now().toISOString();
    // every delete of this slice has answered: only ids carried from a crash and not yet seen again stay
    const next = nextRecord(current, { leaseExpiresAt: now, sentNotDeleted: stillInDoubt.length > 0 ? stillInDoubt : undefined }, now);
    if (await deps.store.replace(current, next)) {
      summary.outcome = 'handed-on';
      await deps.mover?.invoke(record.taskId).catch((error: unknown) => {
        deps.log.warn('could not hand the task on; the reconciler re-drives it', { taskId: record.taskId, error: String(error) });
      });
      return summary;
    }
    current = await deps.store.get(record.taskId);
  }
  summary.outcome = 'lease-lost';
  return summary;
}
