import type { ControllerMoves } from './controller-moves';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { DlqInventory } from './dlq-inventory';

/** Per DLQ ARN: falls in depth that no recorded move explained yet, kept while a native task of the DLQ runs. */
export type UnexplainedFalls = Readonly<Record<string, number>>;
/** Per DLQ ARN: recorded moves the depth did not show yet (still in flight), held back from the count. */
export type UnconfirmedMoves = Readonly<Record<string, number>>;

export interface Arrivals {
  /** by DLQ ARN: messages that arrived since the previous run, never more than did (docs/metrics.md) */
  readonly arrivals: Map<string, number>;
  /** for the next run (stored beside the inventory): only the DLQs with some */
  readonly unexplainedFalls: UnexplainedFalls;
  /** for the next run (stored beside the inventory): only the DLQs with some */
  readonly unconfirmedMoves: UnconfirmedMoves;
}

/**
 * Messages that arrived in each DLQ since the previous run: the change in its depth (visible plus in
 * flight) plus what the controller's tasks moved out of it meanwhile (controller-moves.ts), never less
 * than 0. Two corrections keep it from inventing arrivals (docs/metrics.md, "Counting arrivals"):
 *
 * - A move is counted once, against the fall in depth that showed it. The task table can record a move
 *   after the depth showed it (a native task's count is SQS's as the reconciler last read it, and jumps
 *   at a cancel), so a fall that no recorded move explains is kept while a native task of the DLQ runs,
 *   and the moves recorded later explain it first: only what they exceed it by offsets this run's depth.
 *   A kept fall never hides a rise in depth, only moves; it is forgotten once no native task of the DLQ
 *   is active (the mover's tasks never record a move after the depth showed it).
 * - A move can also be recorded before the depth shows it: the mover records a batch's count, then deletes
 *   it, and SQS's depth can lag the delete. Such a batch is still in the DLQ's in-flight count (it was
 *   received), so a rise the recorded moves would make is held back, up to the messages in flight, as
 *   unconfirmed moves; a later fall that no recorded move explains confirms them. What is still held once
 *   no task of the DLQ is active and fewer messages are in flight than held was hidden by arrivals (the
 *   depth never fell for it) and is counted then.
 * - A rise of the messages in flight is never counted: a received message is no new dead letter, and the
 *   local emulator counts in-flight messages as visible too (then a peek would look like arrivals).
 *
 * Why not CloudWatch's NumberOfMessagesSent: it does not count messages an SQS redrive policy moves
 * into a DLQ (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
 * Why not SentTimestamp: a dead letter keeps the timestamp of its first send to the source queue,
 * not of its arrival in the DLQ, and reading it means receiving every message.
 *
 * What this misses: arrivals hidden by removals the controller does not make (a consumer deleting from
 * the DLQ, retention expiring messages, a purge) or by messages going in flight, in the same minute; and
 * while a native task of the DLQ runs, as many arrivals as such removals were, for as long as it runs
 * (its count is read before the depth: no run can tell such a fall from moves it has not recorded yet).
 * Arrivals hidden by moves not yet recorded are counted late, when the moves are (no depth and count
 * read once a minute can tell them from as many arrivals in the later minute). Arrivals hidden by recorded
 * moves, up to the messages in flight, are counted late, once no task of the DLQ is active.
 * A DLQ the previous run did not know (the first run, a queue that just became a DLQ) has no baseline and counts 0.
 */
export function countArrivals(previous: DlqInventory | undefined, dlqs: readonly DeadLetterQueue[], moves: ControllerMoves): Arrivals {
  const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, dlq]));
  const arrivals = new Map<string, number>();
  const unexplainedFalls: Record<string, number> = {};
  const unconfirmedMoves: Record<string, number> = {};
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
    const inFlight = dlq.approximateNumberOfMessagesNotVisible;
    const inFlightRise = Math.max(0, inFlight - was.approximateNumberOfMessagesNotVisible);
    const active = moves.active.has(dlq.queueArn);
    // a fall no recorded move explains confirms moves recorded before the depth showed them first
    let held = previous?.unconfirmedMoves?.[dlq.queueArn] ?? 0;
    const confirmed = Math.min(held, Math.max(0, -change));
    held -= confirmed;
    // held moves the depth never showed, once no task can still be deleting them: arrivals hid them
    const hidden = active ? 0 : Math.max(0, held - inFlight);
    held -= hidden;
    // a rise the recorded moves make may be moves still in flight (received, counted, their delete not shown)
    const rise = Math.max(0, change - inFlightRise);
    const holding = Math.min(rise, recorded - explained, Math.max(0, inFlight - held));
    held += holding;
    arrivals.set(dlq.queueArn, rise - holding + hidden);
    if (held > 0) unconfirmedMoves[dlq.queueArn] = held;
    const stillUnexplained = kept - explained + Math.max(0, -change) - confirmed;
    // only a native task's count can record later what the depth showed: no other task's record will explain the fall
    if (moves.recordedLate.has(dlq.queueArn) && stillUnexplained > 0) unexplainedFalls[dlq.queueArn] = stillUnexplained;
  }
  return { arrivals, unexplainedFalls, unconfirmedMoves };
}

/** Every message SQS holds in the queue: a message received by someone is still a dead letter. */
function depthOf(dlq: DeadLetterQueue): number {
  return dlq.approximateNumberOfMessages + dlq.approximateNumberOfMessagesNotVisible;
}
