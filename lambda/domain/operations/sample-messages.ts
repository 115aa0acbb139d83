// peekDlq, dryRunSelection --> sampleMessages --> ReceiveMessage (hidden while we work) --> ChangeMessageVisibilityBatch to 0
import type { OperationLog } from '../ports';

/**
 * How long sampled messages stay hidden if we could not hand them back: longer than the API function
 * may run (25 s), so a sample never races its own messages, and short enough that a crash keeps them
 * from a consumer or a redrive for half a minute at most. Never 0: the emulator then answers one
 * message several times (EMULATORS.md).
 */
export const SAMPLE_VISIBILITY_SECONDS = 30;
/** Peek stops receiving after this long and answers with what it saw. */
const RECEIVE_BUDGET_MS = 8000;

/** A queue to sample: a receive that hides what it answers, and a release of receipt handles. */
export interface SampledQueue<T extends { readonly messageId: string; readonly receiptHandle: string }> {
  /** up to `max` (at most 10) messages, hidden for SAMPLE_VISIBILITY_SECONDS; a long poll of `waitSeconds` */
  receive(max: number, waitSeconds: number): Promise<T[]>;
  /** visible again now; answers the handles SQS did not take */
  release(receiptHandles: readonly string[]): Promise<readonly string[]>;
}

export interface SampleOptions<T> {
  /** epoch ms: no receive starts, and no message is inspected, after it (default: 8 s from the start) */
  readonly deadline?: number;
  /** each new message as it arrives; answers false when it could not consider it (out of time): the sample stops there */
  readonly inspect?: (message: T) => boolean;
  /** epoch ms; tests pass a fake clock */
  readonly now?: () => number;
}

export interface Sample<T> {
  readonly messages: T[];
  /** the deadline ended the sample while the queue may have held more: fewer than `max` were looked at, for time */
  readonly cutShort: boolean;
}

/**
 * Peek's and the dry run's one rule for looking at a queue without keeping anything: receive up to
 * `max` distinct messages within the time budget (an empty short poll confirmed once by a 1-second
 * long poll, which asks every SQS server), then, however that ended, make every one visible again
 * before answering (each one's receive count rises by one, as with any receive).
 */
export async function sampleMessages<T extends { readonly messageId: string; readonly receiptHandle: string }>(
  queue: SampledQueue<T>,
  max: number,
  log: OperationLog,
  context: Record<string, unknown>,
): Promise<T[]> {
  return (await sampleWithin(queue, max, log, context, {})).messages;
}

/** `sampleMessages` with a deadline, a look at each message as it arrives, and whether the deadline cut it short. */
export async function sampleWithin<T extends { readonly messageId: string; readonly receiptHandle: string }>(
  queue: SampledQueue<T>,
  max: number,
  log: OperationLog,
  context: Record<string, unknown>,
  options: SampleOptions<T>,
): Promise<Sample<T>> {
  const now = options.now ?? Date.now;
  const deadline = options.deadline ?? now() + RECEIVE_BUDGET_MS;
  const seen = new Map<string, T>();
  const receipts: string[] = [];
  let confirmingEmpty = false;
  let cutShort = false;
  try {
    while (seen.size < max) {
      if (now() >= deadline) {
        cutShort = true;
        break;
      }
      const batch = await queue.receive(Math.min(10, max - seen.size), confirmingEmpty ? 1 : 0);
      receipts.push(...batch.map((message) => message.receiptHandle));
      if (batch.length === 0) {
        if (confirmingEmpty) break;
        confirmingEmpty = true;
        continue;
      }
      confirmingEmpty = false;
      // a batch of messages already seen: the queue has come round (or the emulator repeats itself)
      const fresh = batch.filter((message) => !seen.has(message.messageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        if (seen.size >= max) break;
        if (options.inspect && !options.inspect(message)) {
          cutShort = true;
          break;
        }
        seen.set(message.messageId, message);
      }
      if (cutShort) break;
    }
  } finally {
    await releaseAll(queue, receipts, log, context);
  }
  return { messages: [...seen.values()], cutShort };
}

/** Every receipt back to visibility 0, 10 at a time; what SQS does not take is tried once more, then logged (it reappears after the timeout). */
async function releaseAll<T extends { readonly messageId: string; readonly receiptHandle: string }>(
  queue: SampledQueue<T>,
  receipts: readonly string[],
  log: OperationLog,
  context: Record<string, unknown>,
): Promise<void> {
  let pending = [...new Set(receipts)];
  for (let attempt = 1; attempt <= 2 && pending.length > 0; attempt += 1) {
    const batches = Array.from({ length: Math.ceil(pending.length / 10) }, (_, at) => pending.slice(at * 10, at * 10 + 10));
    const failed = await Promise.all(batches.map((batch) => queue.release(batch).catch(() => batch)));
    pending = failed.flat();
  }
  if (pending.length > 0) {
    log.error('sampled messages not all made visible again', { ...context, notReleased: pending.length, visibleAgainWithinSeconds: SAMPLE_VISIBILITY_SECONDS });
  }
}
