// the one count write of a batch: counts, held batches, sent ids in doubt and the lease, in one conditional write
import type { TaskRecord } from '../task-record';
import { isFinal } from '../task-status';
import { nextRecord } from '../transitions';
import { leaseUntil } from './lease';
import { type BatchOutcome, LeaseLost, MAX_WRITE_ATTEMPTS, type MoverDependencies, type MoverOptions } from './mover-types';

export interface ProgressWrite {
  readonly outcome: BatchOutcome;
  readonly heldBatches: number;
  readonly sentNotDeleted: readonly string[];
}

/** Adds counts to whatever the record is now (a cancel or an outbox drain may have written). */
export async function recordProgress(deps: MoverDependencies, record: TaskRecord, write: ProgressWrite, options: MoverOptions): Promise<TaskRecord> {
  const { outcome, heldBatches, sentNotDeleted } = write;
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && current; attempt += 1) {
    const now = deps.clock.now();
    const ours = current.leaseOwner === options.owner;
    const next = nextRecord(
      current,
      {
        approximateNumberOfMessagesMoved: current.approximateNumberOfMessagesMoved + outcome.moved,
        numberOfMessagesSkipped: (current.numberOfMessagesSkipped ?? 0) + outcome.skipped,
        numberOfMessagesUnroutable: (current.numberOfMessagesUnroutable ?? 0) + outcome.unroutable,
        heldBatches: Math.max(current.heldBatches ?? 0, heldBatches),
        sentNotDeleted: sentNotDeleted.length > 0 ? sentNotDeleted : undefined,
        ...(ours ? { leaseExpiresAt: leaseUntil(now, options) } : {}),
      },
      now.toISOString(),
    );
    if (await deps.store.replace(current, next)) {
      if (!ours) throw new LeaseLost();
      return next;
    }
    current = await deps.store.get(record.taskId);
    if (current && isFinal(current.status)) break;
  }
  deps.log.error('selective move: a batch\'s counts could not be recorded', { taskId: record.taskId, moved: outcome.moved, skipped: outcome.skipped });
  throw new LeaseLost();
}
