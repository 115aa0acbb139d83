import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

import type { MessageMoveService, MoveTaskSummary, QueueDepth, QueueListing } from '../../domain/ports';
import type { QueueArn } from '../../domain/queue-arn';
import { isThrottling, SqsError } from '../../domain/sqs-error';
import { isTaskStatus } from '../../domain/task-status';
import { toSqsError } from './to-sqs-error';

/** Attempts of one cancel, counting the first; only throttled attempts are repeated. */
const CANCEL_ATTEMPTS = 3;
/** Throttling backoff: full jitter up to base * 2^attempt, as the SDK's standard mode does for throttling. */
const THROTTLE_BACKOFF_BASE_MS = 500;

/**
 * MessageMoveService on the AWS SDK's SQSClient. `cancelClient` must make one attempt per send
 * (maxAttempts 1): CancelMessageMoveTask is not idempotent, so a retry after a timeout or a 5xx
 * that hid an accepted cancel is refused ("Only active tasks can be cancelled"). Only throttling,
 * where SQS did not act, is repeated here, with backoff.
 */
export class SqsMessageMoveService implements MessageMoveService {
  constructor(
    private readonly client: SQSClient,
    private readonly cancelClient: SQSClient,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async start(input: { source: QueueArn; destination?: QueueArn; maxNumberOfMessagesPerSecond?: number }) {
    const output = await call(() => this.client.send(new StartMessageMoveTaskCommand({
        SourceArn: input.source.arn,
        DestinationArn: input.destination?.arn,
        MaxNumberOfMessagesPerSecond: input.maxNumberOfMessagesPerSecond,
      })),
    );
    if (!output.TaskHandle) throw toSqsError(new Error('StartMessageMoveTask answered without a TaskHandle'));
    return { taskHandle: output.TaskHandle };
  }

  async cancel(taskHandle: string) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const output = await call(() => this.cancelClient.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle })));
        return { approximateNumberOfMessagesMoved: output.ApproximateNumberOfMessagesMoved ?? 0 };
      } catch (error) {
        if (!(error instanceof SqsError && isThrottling(error)) || attempt >= CANCEL_ATTEMPTS) throw error;
        await this.sleep(Math.random() * THROTTLE_BACKOFF_BASE_MS * 2 ** (attempt - 1));
      }
    }
  }

  async list(sourceArn: string, maxResults: number): Promise<MoveTaskSummary[]> {
    const output = await call(() => this.client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: maxResults })));
    return (output.Results ?? []).flatMap((entry) => {
      if (!isTaskStatus(entry.Status)) return [];
      return [
        {
          ...(entry.TaskHandle ? { taskHandle: entry.TaskHandle } : {}),
          status: entry.Status,
          sourceArn: entry.SourceArn ?? sourceArn,
          ...(entry.DestinationArn ? { destinationArn: entry.DestinationArn } : {}),
          ...(entry.MaxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: entry.MaxNumberOfMessagesPerSecond }),
          approximateNumberOfMessagesMoved: entry.ApproximateNumberOfMessagesMoved ?? 0,
          ...(entry.ApproximateNumberOfMessagesToMove === undefined ? {} : { approximateNumberOfMessagesToMove: entry.ApproximateNumberOfMessagesToMove }),
          ...(entry.FailureReason ? { failureReason: entry.FailureReason } : {}),
          startedTimestamp: entry.StartedTimestamp ?? 0,
        },
      ];
    });
  }

  async listQueues(input: { namePrefix?: string; limit: number }): Promise<{ queues: QueueListing[]; truncated: boolean }> {
    const queues: QueueListing[] = [];
    let nextToken: string | undefined;
    do {
      const output = await call(() => this.client.send(new ListQueuesCommand({
          ...(input.namePrefix ? { QueueNamePrefix: input.namePrefix } : {}),
          MaxResults: Math.min(1000, input.limit + 1 - queues.length),
          ...(nextToken ? { NextToken: nextToken } : {}),
        })),
      );
      for (const queueUrl of output.QueueUrls ?? []) {
        const listing = listingOf(queueUrl);
        if (listing) queues.push(listing);
      }
      nextToken = output.NextToken;
    } while (nextToken && queues.length <= input.limit);
    return { queues: queues.slice(0, input.limit), truncated: queues.length > input.limit || nextToken !== undefined };
  }

  async depth(queueUrl: string): Promise<QueueDepth | undefined> {
    let output;
    try {
      output = await this.client.send(new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }));
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return undefined;
      throw toSqsError(error);
    }
    return {
      approximateNumberOfMessages: Number(output.Attributes?.ApproximateNumberOfMessages ?? 0),
      approximateNumberOfMessagesNotVisible: Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  async ping(): Promise<void> {
    await call(() => this.client.send(new ListQueuesCommand({ MaxResults: 1 })));
  }
}

/** Queue URLs end in /<12-digit account>/<queue name>, in AWS and in the emulator alike. */
function listingOf(queueUrl: string): QueueListing | undefined {
  const match = /\/(\d{12})\/([^/?#]+)\/?$/.exec(queueUrl);
  return match ? { queueUrl, accountId: match[1]!, queueName: decodeURIComponent(match[2]!) } : undefined;
}

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toSqsError(error);
  }
}
