import { GetQueueAttributesCommand, ListQueuesCommand, QueueDoesNotExist, type SQSClient } from '@aws-sdk/client-sqs';

import { deadLetterTargetOf, type QueueAttributes } from '../../domain/dlq/dead-letter-queue';
import type { QueueAttributeReader } from '../../domain/dlq/dlq-ports';
import { toSqsError } from './to-sqs-error';

/** The attributes the inventory needs, in one GetQueueAttributes call per queue. */
const ATTRIBUTE_NAMES = ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'RedrivePolicy', 'MessageRetentionPeriod'] as const;

/** QueueAttributeReader on the AWS SDK's SQSClient: ListQueues pages of 1,000, one GetQueueAttributes per queue. */
export class SqsQueueAttributeReader implements QueueAttributeReader {
  constructor(private readonly client: SQSClient) {}

  async listQueueUrls(limit: number): Promise<{ queueUrls: string[]; truncated: boolean }> {
    const queueUrls: string[] = [];
    let nextToken: string | undefined;
    try {
      do {
        const output = await this.client.send(new ListQueuesCommand({ MaxResults: 1000, ...(nextToken ? { NextToken: nextToken } : {}) }));
        queueUrls.push(...(output.QueueUrls ?? []));
        nextToken = output.NextToken;
      } while (nextToken && queueUrls.length < limit);
    } catch (error) {
      throw toSqsError(error);
    }
    return { queueUrls: queueUrls.slice(0, limit), truncated: queueUrls.length > limit || nextToken !== undefined };
  }

  async readAttributes(queueUrl: string): Promise<QueueAttributes | undefined> {
    let attributes: Record<string, string> | undefined;
    try {
      attributes = (await this.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...ATTRIBUTE_NAMES] }))).Attributes;
    } catch (error) {
      // deleted between ListQueues and now: not part of this inventory
      if (error instanceof QueueDoesNotExist) return undefined;
      throw toSqsError(error);
    }
    const queueArn = attributes?.QueueArn;
    if (!attributes || !queueArn) return undefined;
    const deadLetterTargetArn = deadLetterTargetOf(attributes.RedrivePolicy);
    return {
      queueArn,
      queueName: queueArn.slice(queueArn.lastIndexOf(':') + 1),
      approximateNumberOfMessages: Number(attributes.ApproximateNumberOfMessages ?? 0),
      approximateNumberOfMessagesNotVisible: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      ...(deadLetterTargetArn ? { deadLetterTargetArn } : {}),
      ...(attributes.MessageRetentionPeriod ? { retentionSeconds: Number(attributes.MessageRetentionPeriod) } : {}),
    };
  }
}
