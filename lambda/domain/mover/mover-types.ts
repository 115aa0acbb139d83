import type { ControllerDependencies, HoldStore, MoverInvoker, QueueMessages } from '../ports';
import type { MessageDestination } from './message-destination';

export type MoverDependencies = ControllerDependencies & {
  /** the DLQ: receive, hold, release, delete */
  readonly messages: QueueMessages;
  /** where matches go: SQS queues (DestinationArn, else the queue each failed in); for replays also functions, topics and buses */
  readonly destination: MessageDestination;
  readonly holds: HoldStore;
  /** to hand on at once; without it the reconciler's next run invokes the next slice */
  readonly mover?: MoverInvoker;
};

export interface MoverOptions {
  /** this invocation, as the lease names it */
  readonly owner: string;
  /** a received batch stays invisible this long while it is sent and deleted */
  readonly visibilitySeconds: number;
  /** the lease outlives a write by this long; longer than visibilitySeconds, so a batch lost in a crash is visible again before anyone takes over */
  readonly leaseSeconds: number;
  /** skipped and unroutable messages stay invisible this long at most (one pass); SQS allows 12 hours */
  readonly holdSeconds: number;
  readonly retentionDays: number;
  /** epoch milliseconds after which the slice stops and hands the task on */
  readonly sliceEndsAt: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** a count write waits this long for the other loops' batches before it goes (SliceProgress); @default 0 */
  readonly countLingerMs?: number;
  /** receive/send/delete loops per slice on a standard queue without rate or canary; at most 8; @default 8 */
  readonly loops?: number;
  /**
   * From its receive, a batch starts no delivery after this many milliseconds: what it has not delivered
   * by then is released (visible again, not counted), so its visibility never lapses mid-send.
   * @default - half the batch's visibility
   */
  readonly batchBudgetMs?: number;
}

export type SliceOutcome = 'finished' | 'handed-on' | 'leased-elsewhere' | 'lease-lost' | 'not-active' | 'not-selective';

export interface SliceSummary {
  readonly taskId: string;
  outcome: SliceOutcome;
  status?: string;
  batches: number;
  moved: number;
  skipped: number;
  unroutable: number;
  /** sent into the DLQ after the task started (a consumer that failed them again): held for the next decision, not counted */
  arrivedLater: number;
  /** released undelivered (out of time, a send that failed for now): visible again, not counted */
  released: number;
}

/** One batch's counts, as the record adds them. */
export interface BatchOutcome {
  moved: number;
  skipped: number;
  unroutable: number;
}

export class LeaseLost extends Error {}

/** SQS's batch limit for receive, send, delete and visibility changes. */
export const BATCH = 10;
export const MAX_WRITE_ATTEMPTS = 8;
/** The emulator moves about 2,000 msg/s with 8 concurrent loops, 430 with one (EMULATORS.md). */
export const LOOPS = 8;
/**
 * Held batches past the recorded count that a crash may have left (stored, their record write lost):
 * one per loop, and the numbers a loop skipped because another mover had taken them. Loops are
 * capped at LOOPS so that this bound holds.
 */
export const UNRECORDED_HELD_BATCHES = LOOPS + MAX_WRITE_ATTEMPTS;
