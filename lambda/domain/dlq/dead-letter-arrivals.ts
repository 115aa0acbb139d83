import type { DeadLetterQueue } from './dead-letter-queue';
import type { DlqInventory } from './dlq-inventory';

/**
 * Messages that arrived in each DLQ since the previous run: the change in its depth (visible plus
 * in flight) plus what the controller's own tasks moved out of it meanwhile (controller-moves.ts).
 *
 * Why not CloudWatch's NumberOfMessagesSent: it does not count messages an SQS redrive policy moves
 * into a DLQ (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
 * Why not SentTimestamp: a dead letter keeps the timestamp of its first send to the source queue,
 * not of its arrival in the DLQ, and reading it means receiving every message.
 *
 * What this misses (docs/metrics.md): arrivals hidden by removals the controller does not make
 * (a consumer deleting from the DLQ, retention expiring messages, a purge) in the same minute. It
 * never invents arrivals: a depth that only falls counts 0. A DLQ the previous run did not know (the
 * first run, a queue that just became a DLQ) has no baseline and counts 0.
 */
export function countArrivals(previous: DlqInventory | undefined, dlqs: readonly DeadLetterQueue[], movedOut: ReadonlyMap<string, number>): Map<string, number> {
  const before = new Map((previous?.dlqs ?? []).map((dlq) => [dlq.queueArn, depthOf(dlq)]));
  const arrivals = new Map<string, number>();
  for (const dlq of dlqs) {
    const was = before.get(dlq.queueArn);
    arrivals.set(dlq.queueArn, was === undefined ? 0 : Math.max(0, depthOf(dlq) - was + (movedOut.get(dlq.queueArn) ?? 0)));
  }
  return arrivals;
}

/** Every message SQS holds in the queue: a message received by someone is still a dead letter. */
function depthOf(dlq: DeadLetterQueue): number {
  return dlq.approximateNumberOfMessages + dlq.approximateNumberOfMessagesNotVisible;
}
