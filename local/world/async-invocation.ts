import { randomUUID } from 'node:crypto';

import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

import { functionErrorPayload } from '../lambda-invoke-endpoint';
import { stringAttribute } from './queue-sender';

/**
 * Lambda's asynchronous invocation for one local function
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html): an event is queued, run, and on
 * an error retried `maximumRetryAttempts` times (0..2); Lambda waits a minute before the first retry
 * and two before the second, here `retryDelayMs` and twice that. When every attempt failed, the event
 * goes to the on-failure destination as an invocation record and to the dead-letter queue as it was,
 * with the attributes Lambda documents
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 * Left out (docs/local-world.md): event age, throttling and concurrency, on-success destinations,
 * destinations other than SQS queues.
 */
export interface AsyncInvocationOptions {
  readonly functionArn: string;
  readonly maximumRetryAttempts: number;
  readonly retryDelayMs: number;
  /** one attempt: the handler's result, or its error; `requestId` is the same for every attempt */
  readonly run: (event: unknown, requestId: string) => Promise<unknown>;
  /** sends the invocation record of a failed event to the on-failure destination; @default - none configured */
  readonly onFailure?: (record: InvocationRecord) => Promise<void>;
  /** sends a failed event to the dead-letter queue; @default - none configured */
  readonly deadLetter?: (body: string, attributes: Record<string, MessageAttributeValue>) => Promise<void>;
  readonly onLog: (line: string) => void;
}

/** The invocation record Lambda sends to an on-failure destination (its documented example's fields). */
export interface InvocationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    /** qualified: the version that ran, `:$LATEST` here */
    readonly functionArn: string;
    readonly condition: 'RetriesExhausted';
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: { readonly statusCode: 200; readonly executedVersion: '$LATEST'; readonly functionError: 'Unhandled' };
  readonly responsePayload: unknown;
}

export class AsyncInvocationQueue {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: AsyncInvocationOptions) {}

  /** Queues one event; answers its request id (the same for every attempt, as Lambda keeps it). */
  enqueue(event: unknown): string {
    const requestId = randomUUID();
    this.track(this.attempt(event, requestId, 1));
    return requestId;
  }

  /** resolves once every queued event has run to its end (success, destination or dead-letter queue) */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.timers.size > 0) {
      if (this.pending.size > 0) await Promise.allSettled([...this.pending]);
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async attempt(event: unknown, requestId: string, count: number): Promise<void> {
    if (this.stopped) return;
    try {
      await this.options.run(event, requestId);
      return;
    } catch (error) {
      if (count <= this.options.maximumRetryAttempts) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.track(this.attempt(event, requestId, count + 1));
        }, this.options.retryDelayMs * count);
        this.timers.add(timer);
        return;
      }
      await this.exhausted(event, requestId, count, error);
    }
  }

  private async exhausted(event: unknown, requestId: string, count: number, error: unknown): Promise<void> {
    const { onFailure, deadLetter, onLog } = this.options;
    const payload = functionErrorPayload(error);
    if (!onFailure && !deadLetter) onLog(`local Lambda: ${this.options.functionArn}: event ${requestId} failed ${count} times and is discarded (no destination): ${payload.errorMessage}`);
    // with both configured, Lambda sends to both
    if (onFailure) {
      await onFailure(invocationRecord({ functionArn: this.options.functionArn, requestId, approximateInvokeCount: count, requestPayload: event, responsePayload: payload })).catch((failure: unknown) =>
        onLog(`local Lambda: ${this.options.functionArn}: the on-failure destination refused event ${requestId} (it is lost, as DestinationDeliveryFailures counts): ${String(failure)}`),
      );
    }
    if (deadLetter) {
      await deadLetter(JSON.stringify(event), deadLetterAttributes(requestId, payload.errorMessage)).catch((failure: unknown) =>
        onLog(`local Lambda: ${this.options.functionArn}: the dead-letter queue refused event ${requestId} (it is lost, as DeadLetterErrors counts): ${String(failure)}`),
      );
    }
  }
}

/** The record of an event that failed every attempt. */
export function invocationRecord(input: { functionArn: string; requestId: string; approximateInvokeCount: number; requestPayload: unknown; responsePayload: unknown; now?: Date }): InvocationRecord {
  return {
    version: '1.0',
    timestamp: (input.now ?? new Date()).toISOString(),
    requestContext: { requestId: input.requestId, functionArn: `${input.functionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: input.approximateInvokeCount },
    requestPayload: input.requestPayload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: input.responsePayload,
  };
}

/**
 * A dead-letter message's attributes: RequestID (String), ErrorCode (Number: the 3-digit HTTP status,
 * 200 for a function error), ErrorMessage (String, the first 1 KB), as https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq lists them.
 */
export function deadLetterAttributes(requestId: string, errorMessage: string): Record<string, MessageAttributeValue> {
  return {
    RequestID: stringAttribute(requestId),
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ErrorMessage: stringAttribute(Buffer.from(errorMessage || 'Unhandled').subarray(0, 1024).toString('utf8')),
  };
}
