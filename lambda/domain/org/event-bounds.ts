// parseOrgEvent --> event bounds: no time from the future, no version more writes than could have happened
/**
 * How far an account's clock may run ahead of the org view's. EventBridge lets a sender set an
 * event's `Time`, and an account writes its own `createdAt`, `asOf` and `At`: an instant later than
 * this past the org's now was not written by a working clock, and kept, it would outrank every true
 * event for good (the stores keep the newest). Five minutes is far above NTP-synchronised drift.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The most writes one DynamoDB item takes in a second: a partition serves at most 1,000 write units a
 * second, an item lives in one partition, and each write of it costs at least one unit
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/warm-throughput-scenarios.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html).
 * A task's or recovery's `version` counts the conditional writes of its one item (transitions.ts,
 * recovery-machine.ts), so it cannot outgrow this rate over the item's life.
 */
export const MAX_ITEM_WRITES_PER_SECOND = 1000;

/**
 * No record of the controller predates SQS's message move task actions (June 2023): a task created
 * earlier is forged, and a recovery record's version, whose event carries no creation time, is
 * bounded by the writes possible since then.
 */
export const CONTROLLER_EPOCH = '2023-06-01T00:00:00.000Z';

/** Later than the org's now, beyond the clock skew. */
export function isFromTheFuture(instant: string, now: Date): boolean {
  return Date.parse(instant) > now.getTime() + MAX_CLOCK_SKEW_MS;
}

/**
 * The highest version an item created at `since` can have reached by now (with the clock skew): its
 * first write is version 1, and it takes at most MAX_ITEM_WRITES_PER_SECOND writes a second.
 */
export function maxVersionSince(since: string, now: Date): number {
  const seconds = Math.max(0, now.getTime() + MAX_CLOCK_SKEW_MS - Date.parse(since)) / 1000;
  return 1 + Math.ceil(seconds * MAX_ITEM_WRITES_PER_SECOND);
}
