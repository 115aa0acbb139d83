import { GetQueueAttributesCommand, GetQueueUrlCommand, QueueDoesNotExist, type SQSClient } from '@aws-sdk/client-sqs';

import { tryParseQueueArn } from '../../domain/queue-arn';
import type { DlqDepthReader } from '../../domain/recovery/recovery-ports';
import { toSqsError } from './to-sqs-error';

/** A DLQ's depth for recovery (resume, autoStart): GetQueueUrl once per ARN, then GetQueueAttributes. */
export class SqsDlqDepthReader implements DlqDepthReader {
  private readonly urls = new Map<string, string>();

  constructor(private readonly client: SQSClient) {}

  async messages(dlqArn: string): Promise<number | undefined> {
    const queue = tryParseQueueArn(dlqArn);
    if (!queue) return undefined;
    try {
      let url = this.urls.get(dlqArn);
      if (!url) {
        url = (await this.client.send(new GetQueueUrlCommand({ QueueName: queue.queueName, QueueOwnerAWSAccountId: queue.accountId }))).QueueUrl;
        if (!url) return undefined;
        this.urls.set(dlqArn, url);
      }
      const output = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      return Number(output.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    } catch (error) {
      if (error instanceof QueueDoesNotExist) {
        this.urls.delete(dlqArn);
        return undefined;
      }
      throw toSqsError(error);
    }
  }
}
