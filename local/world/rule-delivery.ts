import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

import type { BusEvent, ListedTarget } from '../event-bus';
import { isMissingQueue, type QueueSender, stringAttribute } from './queue-sender';
import type { WorldRuleTarget } from './world-file';

/**
 * EventBridge's delivery of one rule's event to one target, with the target's retry policy and
 * dead-letter queue (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html):
 * - a function target is invoked asynchronously (accepted once queued; its own failures are the
 *   function's retries and destinations, not the rule's);
 * - a queue target gets the event as the message body (SendMessage);
 * - a target that does not exist is not retried: the event goes straight to the dead-letter queue,
 *   as the guide says of "a target resource that no longer exists"; other failures are retried
 *   `maximumRetryAttempts` times (here `retryDelayMs` apart, on AWS with exponential back-off);
 * - the dead-letter message is the event JSON with the attributes RULE_ARN, TARGET_ARN, ERROR_CODE,
 *   ERROR_MESSAGE, RETRY_ATTEMPTS and, when the retries ran out, EXHAUSTED_RETRY_CONDITION.
 * Without a dead-letter queue, a failed event is dropped.
 */
export interface RuleTargetDelivery {
  readonly listed: ListedTarget;
  deliver(event: BusEvent): Promise<void>;
}

export interface RuleTargetOptions {
  readonly ruleArn: string;
  readonly target: WorldRuleTarget;
  readonly accountId: string;
  readonly region: string;
  readonly queues: QueueSender;
  /** queues an asynchronous invocation of a world function; false when no such function exists */
  readonly invokeAsync: (functionName: string, event: unknown) => boolean;
  readonly retryDelayMs: number;
  readonly onLog: (line: string) => void;
}

/** An event as EventBridge hands it to a target. */
type DeliveredEvent = Omit<BusEvent, 'event-bus-name'>;

/** A failed delivery: EventBridge's error code for it, and whether a retry could help. */
class DeliveryFailure extends Error {
  constructor(readonly code: string, message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}

export function ruleTargetDelivery(options: RuleTargetOptions): RuleTargetDelivery {
  const { target, queues } = options;
  const targetArn = target.function !== undefined ? `arn:aws:lambda:${options.region}:${options.accountId}:function:${target.function}` : queues.arnOf(target.queue!);
  const listed: ListedTarget = {
    Id: target.id,
    Arn: targetArn,
    RetryPolicy: { MaximumRetryAttempts: target.maximumRetryAttempts, MaximumEventAgeInSeconds: 86_400 },
    ...(target.deadLetterQueue ? { DeadLetterConfig: { Arn: queues.arnOf(target.deadLetterQueue) } } : {}),
  };

  const once = async (event: DeliveredEvent): Promise<void> => {
    if (target.function !== undefined) {
      if (!options.invokeAsync(target.function, event)) throw new DeliveryFailure('NO_RESOURCE', `Function not found: ${targetArn}`, false);
      return;
    }
    try {
      await queues.send(target.queue!, JSON.stringify(event));
    } catch (error) {
      if (isMissingQueue(error)) throw new DeliveryFailure('NO_RESOURCE', `The specified queue does not exist: ${targetArn}`, false);
      throw new DeliveryFailure('SDK_CLIENT_ERROR', error instanceof Error ? error.message : String(error), true);
    }
  };

  const deadLetter = async (event: DeliveredEvent, failure: DeliveryFailure, retries: number, exhausted: boolean): Promise<void> => {
    if (!target.deadLetterQueue) {
      options.onLog(`local EventBridge: ${options.ruleArn} → ${targetArn}: event ${event.id} dropped (no dead-letter queue): ${failure.message}`);
      return;
    }
    const attributes: Record<string, MessageAttributeValue> = {
      RULE_ARN: stringAttribute(options.ruleArn),
      TARGET_ARN: stringAttribute(targetArn),
      ERROR_CODE: stringAttribute(failure.code),
      ERROR_MESSAGE: stringAttribute(failure.message),
      RETRY_ATTEMPTS: stringAttribute(String(retries)),
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: stringAttribute('MaximumRetryAttempts') } : {}),
    };
    await queues.send(target.deadLetterQueue, JSON.stringify(event), attributes).catch((error: unknown) =>
      options.onLog(`local EventBridge: ${options.ruleArn} → ${targetArn}: the dead-letter queue refused event ${event.id} (lost, as InvocationsFailedToBeSentToDlq counts): ${String(error)}`),
    );
  };

  return {
    listed,
    deliver: async (busEvent) => {
      // the bus name is the local bus's bookkeeping; EventBridge's events do not carry it
      const { 'event-bus-name': _bus, ...event } = busEvent;
      for (let retries = 0; ; retries += 1) {
        try {
          await once(event);
          return;
        } catch (error) {
          const failure = error instanceof DeliveryFailure ? error : new DeliveryFailure('SDK_CLIENT_ERROR', String(error), true);
          if (!failure.retryable || retries >= target.maximumRetryAttempts) {
            await deadLetter(event, failure, retries, failure.retryable);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
        }
      }
    },
  };
}
