import type { QueueArn } from './queue-arn';
import { matchesQueuePattern } from './queue-pattern';
import { SqsError } from './sqs-error';

/** Which queues this deployment may touch, by queue ARN pattern (`queue-pattern.ts`). */
export interface QueueScopeSettings {
  readonly accountId: string;
  readonly region: string;
  readonly managedQueues: readonly string[];
  /** @default - none: a task without DestinationArn moves messages back to their source queues */
  readonly allowedDestinations?: readonly string[];
}

export class QueueScope {
  constructor(private readonly settings: QueueScopeSettings) {}

  get managedQueues(): readonly string[] {
    return this.settings.managedQueues;
  }

  get accountId(): string {
    return this.settings.accountId;
  }

  get region(): string {
    return this.settings.region;
  }

  isManaged(arn: string): boolean {
    return this.settings.managedQueues.some((pattern) => matchesQueuePattern(arn, pattern));
  }

  /** A source queue must be in this account and region, and managed. */
  checkSource(queue: QueueArn, field: string): void {
    this.checkAddress(queue, field);
    if (!this.isManaged(queue.arn)) {
      throw new SqsError(
        'UnsupportedOperation',
        `${field} names queue ${queue.queueName}, which this controller does not manage; managed queues: ${describe(this.settings.managedQueues)}`,
      );
    }
  }

  /** A destination must be in this account and region, and explicitly allowed. */
  checkDestination(queue: QueueArn, field: string): void {
    this.checkAddress(queue, field);
    const allowed = this.settings.allowedDestinations ?? [];
    if (!allowed.some((pattern) => matchesQueuePattern(queue.arn, pattern))) {
      throw new SqsError(
        'UnsupportedOperation',
        `${field} names queue ${queue.queueName}, which is not an allowed destination; allowed: ${describe(allowed)}`,
      );
    }
  }

  private checkAddress(queue: QueueArn, field: string): void {
    if (queue.accountId !== this.settings.accountId) {
      throw new SqsError(
        'InvalidAddress',
        `${field} is in account ${queue.accountId}; this controller acts only on queues of account ${this.settings.accountId}`,
      );
    }
    if (queue.region !== this.settings.region) {
      throw new SqsError(
        'InvalidAddress',
        `${field} is in region ${queue.region}; this controller acts only on queues in ${this.settings.region}`,
      );
    }
  }
}

function describe(patterns: readonly string[]): string {
  if (patterns.length === 0) return 'none';
  const shown = patterns.slice(0, 5).join(', ');
  return patterns.length > 5 ? `${shown} and ${patterns.length - 5} more` : shown;
}
