// what a slice has recorded: the record as last written, its held-batch numbers, and the sent ids whose delete is in doubt
import type { DlqMessage } from '../dlq-message';
import type { TaskRecord } from '../task-record';
import type { BatchOutcome, MoverDependencies, MoverOptions } from './mover-types';
import { recordProgress } from './record-progress';

/**
 * A slice's count writes: one conditional write at a time; batches that finish meanwhile go into the
 * next write together. `add` is the only caller of `recordProgress`, so a policy for when to write
 * is one change here: with `countLingerMs`, a write waits that long before it takes what is pending,
 * so the batches the other loops finish meanwhile share it (and every batch waits at most that long
 * more for its delete). The wait comes before the pending counts are taken: a write that waited
 * after taking them would carry one batch and hold the others back for a whole write.
 */
export class SliceProgress {
  /** the task as this slice last wrote or read it */
  record: TaskRecord;
  /** the next held-batch number to try */
  nextHold: number;
  /** counted before a crash and maybe not deleted: sent again if they come back, never counted again */
  readonly countedBefore: Set<string>;
  /** the held batches this slice stored, by number: released at the end without reading them back */
  readonly heldByUs = new Map<number, readonly string[]>();
  /** this slice's batches sent and counted whose delete has not answered yet, by batch */
  private readonly inDoubt = new Map<number, string[]>();
  private pending: BatchOutcome = { moved: 0, skipped: 0, unroutable: 0 };
  private dirty = false;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly deps: MoverDependencies,
    record: TaskRecord,
    private readonly options: MoverOptions,
  ) {
    this.record = record;
    this.nextHold = record.heldBatches ?? 0;
    this.countedBefore = new Set(record.sentNotDeleted ?? []);
  }

  /** Records a batch's counts and the ids it sent (in doubt until `deleted`); resolves once a write carried them. */
  async add(outcome: BatchOutcome, batch?: number, sent: readonly DlqMessage[] = []): Promise<void> {
    // in one step, so every write carries a batch's counts and its sent ids together, or neither
    for (const message of sent) this.countedBefore.delete(message.messageId);
    if (batch !== undefined && sent.length > 0) this.inDoubt.set(batch, sent.map((message) => message.messageId));
    this.pending = { moved: this.pending.moved + outcome.moved, skipped: this.pending.skipped + outcome.skipped, unroutable: this.pending.unroutable + outcome.unroutable };
    this.dirty = true;
    while (this.writing) await this.writing;
    // a write that took the pending counts after this batch's call carried its counts and ids
    if (!this.dirty) return;
    // every caller waiting on it sees its failure
    this.writing = this.write().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  /** After the linger, everything pending in one conditional write. */
  private async write(): Promise<void> {
    const linger = this.options.countLingerMs ?? 0;
    if (linger > 0) await this.options.sleep(linger);
    const delta = this.pending;
    this.pending = { moved: 0, skipped: 0, unroutable: 0 };
    this.dirty = false;
    const sentNotDeleted = [...this.countedBefore, ...[...this.inDoubt.values()].flat()];
    this.record = await recordProgress(this.deps, this.record, { outcome: delta, heldBatches: this.nextHold, sentNotDeleted }, this.options);
  }

  /** A batch's delete answered; the ids SQS did not delete stay counted (sent again if they come back, not counted again). */
  deleted(batch: number, notDeleted: readonly string[]): void {
    for (const id of notDeleted) this.countedBefore.add(id);
    this.inDoubt.delete(batch);
  }

  /** ids carried from a crash and not seen again: the hand-on keeps them in the record */
  stillInDoubt(): string[] {
    return [...this.countedBefore];
  }
}
