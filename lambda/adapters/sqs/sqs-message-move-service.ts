import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  ListQueuesCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { MessageMoveService, MoveTaskSummary } from '../../domain/ports';
import type { QueueArn } from '../../domain/queue-arn';
import { isTaskStatus } from '../../domain/task-status';
import { toSqsError } from './to-sqs-error';

/** MessageMoveService on the AWS SDK's SQSClient. */
export class SqsMessageMoveService implements MessageMoveService {
  /** `arnPrefix`: `arn:<partition>:sqs:<region>:`, to name the queues ListQueues answers by URL */
  constructor(private readonly client: SQSClient, private readonly arnPrefix = 'arn:aws:sqs:us-east-1:') {}

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
    const output = await call(() => this.client.send(new CancelMessageMoveTaskCommand({ TaskHandle: taskHandle })));
    return { approximateNumberOfMessagesMoved: output.ApproximateNumberOfMessagesMoved ?? 0 };
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

  async listQueues(namePrefix: string): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const output = await call(() =>
        this.client.send(new ListQueuesCommand({ ...(namePrefix ? { QueueNamePrefix: namePrefix } : {}), MaxResults: 1000, NextToken: nextToken })),
      );
      for (const url of output.QueueUrls ?? []) {
        // a queue URL's path is /<account id>/<queue name>
        const [accountId, queueName] = new URL(url).pathname.split('/').filter(Boolean);
        if (accountId && queueName) arns.push(`${this.arnPrefix}${accountId}:${queueName}`);
      }
      nextToken = output.NextToken;
    } while (nextToken);
    return arns;
  }

  async ping(): Promise<void> {
    await call(() => this.client.send(new ListQueuesCommand({ MaxResults: 1 })));
  }
}

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toSqsError(error);
  }
}
