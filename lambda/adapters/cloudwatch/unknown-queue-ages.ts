import type { QueueAgeReader } from '../../domain/dlq/dlq-ports';

/**
 * Where no CloudWatch answers (the local stack): no age is known, so none is shown. SQS itself
 * has no attribute for the oldest message's age; only its CloudWatch metric tells it.
 */
export class UnknownQueueAges implements QueueAgeReader {
  async oldestMessageAges(): Promise<ReadonlyMap<string, number>> {
    return new Map();
  }
}
