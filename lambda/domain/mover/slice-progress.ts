// what a slice has recorded: the record as last written, its held-batch numbers, and the sent ids whose delete is in doubt
import type { DlqMessage } from '../dlq-message';
import type { TaskRecord } from '../task-record';
import type { BatchOutcome, MoverDependencies, MoverOptions } from './mover-types';
import { recordProgress } from './record-progress';

/**
 * A slice's count writes: one conditional write at a time; batches that finish meanwhile go into the
 * next write together. `add` is the only caller of `recordProgress`, so a policy for when to write
 * is one change here: with `countLingerMs`, a write waits up to that long before it takes what is pending,
 * so the batches the other loops finish meanwhile share it (and every batch waits at most that long
 * more for its delete). The wait comes before the pending counts are taken: a write that waited
 * after taking them would carry one batch and hold the others back for a whole write. Given the
 * number of loops, the wait ends as soon as every loop still running has a batch pending: each loop
 * has at most one (its next batch waits for this one's write), so nothing more can come.
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
  /** batches added since the last write took the pending counts */
  private pendingBatches = 0;
  /** loops that may still add a batch */
  private loopsRunning: number;
  /** ends a lingering write's wait early */
  private wake: (() => void) | undefined;

  constructor(
    private readonly deps: MoverDependencies,
    record: TaskRecord,
    private readonly options: MoverOptions,
    /** the slice's loops, each with at most one batch pending; @default - unknown: a write lingers its whole countLingerMs */
    loops = Number.POSITIVE_INFINITY,
  ) {
    this.loopsRunning = loops;
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
    this.pendingBatches += 1;
    this.wakeIfAllPending();
    while (this.writing) await this.writing;
    // a write that took the pending counts after this batch's call carried its counts and ids
    if (!this.dirty) return;
    // every caller waiting on it sees its failure
    this.writing = this.write().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  /** A loop ended, or waits for something slower than a batch (the long poll that confirms the end of the pass): a write need not wait for its batch. */
  loopEnded(): void {
    this.loopsRunning -= 1;
    this.wakeIfAllPending();
  }

  /** A loop that `loopEnded` for a wait goes on receiving. */
  loopResumed(): void {
    this.loopsRunning += 1;
  }

  private wakeIfAllPending(): void {
    if (this.pendingBatches >= this.loopsRunning) this.wake?.();
  }

  /** After the linger (or once every running loop has a batch pending), everything pending in one conditional write. */
  private async write(): Promise<void> {
    const linger = this.options.countLingerMs ?? 0;
    if (linger > 0 && this.pendingBatches < this.loopsRunning) {
      await Promise.race([this.options.sleep(linger), new Promise<void>((resolve) => (this.wake = resolve))]);
      this.wake = undefined;
    }
    const delta = this.pending;
    this.pending = { moved: 0, skipped: 0, unroutable: 0 };
    this.pendingBatches = 0;
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
