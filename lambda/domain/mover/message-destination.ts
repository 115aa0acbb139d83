import type { DlqMessage } from '../dlq-message';

/** One message to deliver, and where: a queue, a function, a rule's target, as the destination's kind names it. */
export interface Delivery {
  /** unique within the call; the report names entries by it */
  readonly id: string;
  readonly target: string;
  readonly message: DlqMessage;
  /**
   * the message as the DLQ held it, where `message` is what a replay's target receives (its payload
   * alone): an edit archives this original and routes its edited copy again; @default - `message`
   */
  readonly received?: DlqMessage;
}

/** Why one entry was not delivered. `permanent`: repeating will not change it (gone, access denied, refused). */
export interface RefusedDelivery {
  readonly id: string;
  readonly code: string;
  readonly permanent: boolean;
  /**
   * the target does not exist (a replay's function, queue, topic or bus): the message stays in the DLQ,
   * counted unroutable, and the task goes on; @default false
   */
  readonly gone?: boolean;
}

/** Every entry of a call is either accepted or refused. */
export interface DeliveryReport {
  readonly accepted: readonly string[];
  readonly refused: readonly RefusedDelivery[];
}

/**
 * Where a mover delivers the messages it moves (STYLE.md, "One mover, many destinations"): accepts a
 * batch and says which entries were accepted. It never throws for a refusal: whatever it did not
 * deliver is refused in the report, so the slice loop alone decides to retry, release or fail.
 * Within one target, entries are delivered in the order given; after an entry is refused, the rest of
 * that target is refused too (not attempted), so a message group's order holds.
 */
export interface MessageDestination {
  deliver(taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport>;
}
