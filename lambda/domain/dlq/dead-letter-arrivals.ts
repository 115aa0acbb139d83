import type { ControllerMoves } from './controller-moves';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { DlqInventory } from './dlq-inventory';

/** Per DLQ ARN: falls in depth that no recorded move explained yet, kept while a task of the DLQ runs. */
export type UnexplainedFalls = Readonly<Record<string, number>>;

export interface Arrivals {
  /** by DLQ ARN: messages that arrived since the previous run, never more than did (docs/metrics.md) */
  readonly arrivals: Map<string, number>;
  /** for the next run (stored beside the inventory): only the DLQs with some */
  readonly unexplainedFalls: UnexplainedFalls;
}

/**
 * Messages that arrived in each DLQ since the previous run: the change in its depth (visible plus in
 * flight) plus what the controller's tasks moved out of it meanwhile (controller-moves.ts), never less
 * than 0. Two corrections keep it from inventing arrivals (docs/metrics.md, "Counting arrivals"):
 *
 * - A move is counted once, against the fall in depth that showed it. The task table can record a move
 *   after the depth showed it (a native task's count is SQS's as the reconciler last read it, and jumps
 *   at a cancel), so a fall that no recorded move explains is kept while a task of the DLQ runs, and the
 *   moves recorded later explain it first: only what they exceed it by offsets this run's depth. A kept
 *   fall never hides a rise in depth, only moves; it is forgotten once no task of the DLQ is active.
 * - A rise of the messages in flight is never counted: a received message is no new dead letter, and the
 *   local emulator counts in-flight messages as visible too (then a peek would look like arrivals).
 *
 * Why not CloudWatch's NumberOfMessagesSent: it does not count messages an SQS redrive policy moves
 * into a DLQ (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
 * Why not SentTimestamp: a dead letter keeps the timestamp of its first send to the source queue,
 * not of its arrival in the DLQ, and reading it means receiving every message.
 *
 * What this misses: arrivals hidden by removals the controller does not make (a consumer deleting from
 * the DLQ, retention expiring messages, a purge) or by messages going in flight, in the same minute.
 * Arrivals hidden by moves not yet recorded are counted late, when the moves are (no depth and count
 * read once a minute can tell them from as many arrivals in the later minute).
 * A DLQ the previous run did not know (the first run, a queue that just became a DLQ) has no baseline and counts 0.
 */
export function countArrivals(previous: DlqInventory | undefined, dlqs: readonly DeadLetterQueue[], moves: ControllerMoves): Arrivals {
  const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, dlq]));
  const arrivals = new Map<string, number>();
  const unexplainedFalls: Record<string, number> = {};
  for (const dlq of dlqs) {
    const was = before.get(dlq.queueArn);
    if (was === undefined) {
      arrivals.set(dlq.queueArn, 0);
      continue;
    }
    const recorded = moves.movedOut.get(dlq.queueArn) ?? 0;
    const kept = previous?.unexplainedFalls?.[dlq.queueArn] ?? 0;
    // recorded moves explain the falls kept from earlier runs first: those moves are in no depth of this run's change
    const explained = Math.min(kept, recorded);
    const change = depthOf(dlq) - depthOf(was) + recorded - explained;
    const inFlightRise = Math.max(0, dlq.approximateNumberOfMessagesNotVisible - was.approximateNumberOfMessagesNotVisible);
    arrivals.set(dlq.queueArn, Math.max(0, change - inFlightRise));
    const stillUnexplained = kept - explained + Math.max(0, -change);
    if (moves.active.has(dlq.queueArn) && stillUnexplained > 0) unexplainedFalls[dlq.queueArn] = stillUnexplained;
  }
  return { arrivals, unexplainedFalls };
}

/** Every message SQS holds in the queue: a message received by someone is still a dead letter. */
function depthOf(dlq: DeadLetterQueue): number {
  return dlq.approximateNumberOfMessages + dlq.approximateNumberOfMessagesNotVisible;
}
