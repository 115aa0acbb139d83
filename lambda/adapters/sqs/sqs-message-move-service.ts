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

/** Attempts of one start or cancel, counting the first; only throttled attempts are repeated. */
const ATTEMPTS = 3;
/** Throttling backoff: full jitter up to base * 2^attempt, as the SDK's standard mode does for throttling. */
const THROTTLE_BACKOFF_BASE_MS = 500;
/** How far SQS's clock may trail ours when asking whether a task started since our lost request. */
const CLOCK_SKEW_MS = 2000;

/**
 * MessageMoveService on the AWS SDK's SQSClient. `singleAttemptClient` must make one attempt per send
 * (maxAttempts 1): neither StartMessageMoveTask nor CancelMessageMoveTask is idempotent, so a retry
 * after a timeout or a 5xx that hid an accepted request is refused ("There is already a task
 * running", "Only active tasks can be cancelled"). Only throttling, where SQS did not act, is repeated
 * here, with backoff.
 */
export class SqsMessageMoveService implements MessageMoveService {
  constructor(
    private readonly client: SQSClient,
    private readonly singleAttemptClient: SQSClient,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async start(input: { source: QueueArn; destination?: QueueArn; maxNumberOfMessagesPerSecond?: number }) {
    const sentAt = Date.now();
    let output;
    try {
      output = await this.repeatingThrottled(() => this.singleAttemptClient.send(new StartMessageMoveTaskCommand({
          SourceArn: input.source.arn,
          DestinationArn: input.destination?.arn,
          MaxNumberOfMessagesPerSecond: input.maxNumberOfMessagesPerSecond,
        })),
      );
    } catch (error) {
      // the answer was lost, not refused: SQS may have started the task, so ask it before failing
      if (!(error instanceof SqsError) || error.status < 500) throw error;
      const started = await this.runningSince(input.source.arn, sentAt - CLOCK_SKEW_MS).catch(() => undefined);
      if (started) return { taskHandle: started };
      throw error;
    }
    if (!output.TaskHandle) throw toSqsError(new Error('StartMessageMoveTask answered without a TaskHandle'));
    return { taskHandle: output.TaskHandle };
  }

  async cancel(taskHandle: string) {
    const output = await this.repeatingThrottled(() => this.singleAttemptClient.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle })));
    return { approximateNumberOfMessagesMoved: output.ApproximateNumberOfMessagesMoved ?? 0 };
  }

  private async repeatingThrottled<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call(send);
      } catch (error) {
        if (!(error instanceof SqsError && isThrottling(error)) || attempt >= ATTEMPTS) throw error;
        await this.sleep(Math.random() * THROTTLE_BACKOFF_BASE_MS * 2 ** (attempt - 1));
      }
    }
  }

  /** The handle of the source's running task if SQS started it at or after `since` (epoch ms). */
  private async runningSince(sourceArn: string, since: number): Promise<string | undefined> {
    const [newest] = await this.list(sourceArn, 1);
    return newest?.status === 'RUNNING' && newest.taskHandle && newest.startedTimestamp >= since ? newest.taskHandle : undefined;
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
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'RedrivePolicy'],
      }));
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return undefined;
      throw toSqsError(error);
    }
    const deadLetterTargetArn = deadLetterTargetOf(output.Attributes?.RedrivePolicy);
    return {
      approximateNumberOfMessages: Number(output.Attributes?.ApproximateNumberOfMessages ?? 0),
      approximateNumberOfMessagesNotVisible: Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
      ...(deadLetterTargetArn ? { deadLetterTargetArn } : {}),
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

/** RedrivePolicy is a JSON string: `{"deadLetterTargetArn": "...", "maxReceiveCount": n}`. */
function deadLetterTargetOf(redrivePolicy: string | undefined): string | undefined {
  if (!redrivePolicy) return undefined;
  try {
    const target = (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    return typeof target === 'string' ? target : undefined;
  } catch {
    return undefined;
  }
}
