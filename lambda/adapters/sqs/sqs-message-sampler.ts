import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  type Message,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

import { deadLetterTargetOf } from '../../domain/dlq/dead-letter-queue';
import type { MessageSampler } from '../../domain/dlq/dlq-ports';
import { type PeekedMessage,truncateBody } from '../../domain/dlq/peeked-message';
import { toSqsError } from './to-sqs-error';

/**
 * MessageSampler on the AWS SDK's SQSClient. Never receives with visibility 0 (the local emulator
 * then answers one message several times; see EMULATORS.md): messages are hidden while the peek
 * works and handed back with ChangeMessageVisibilityBatch.
 */
export class SqsMessageSampler implements MessageSampler {
  constructor(private readonly client: SQSClient) {}

  async queueUrl(queueName: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl;
    } catch (error) {
      if (error instanceof QueueDoesNotExist) return undefined;
      throw toSqsError(error);
    }
  }

  async isDeadLetterQueue(queueUrl: string): Promise<boolean> {
    try {
      const output = await this.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl, MaxResults: 1 }));
      return (output.queueUrls ?? []).length > 0;
    } catch (error) {
      throw toSqsError(error);
    }
  }

  async deadLetterTargetOf(queueUrl: string): Promise<string | undefined> {
    try {
      const output = await this.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
      return deadLetterTargetOf(output.Attributes?.RedrivePolicy);
    } catch (error) {
      throw toSqsError(error);
    }
  }

  async receive(queueUrl: string, max: number, visibilitySeconds: number, waitSeconds = 0): Promise<PeekedMessage[]> {
    let messages: Message[];
    try {
      const output = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          VisibilityTimeout: visibilitySeconds,
          WaitTimeSeconds: waitSeconds,
          // both names: the emulator honours only the older AttributeNames, SQS both (EMULATORS.md)
          AttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      messages = output.Messages ?? [];
    } catch (error) {
      throw toSqsError(error);
    }
    return messages.flatMap((message) => (message.MessageId && message.ReceiptHandle ? [peekedMessageOf(message)] : []));
  }

  async release(queueUrl: string, receiptHandles: readonly string[]): Promise<string[]> {
    let failedIds: string[];
    try {
      const output = await this.client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: receiptHandles.map((receiptHandle, at) => ({ Id: String(at), ReceiptHandle: receiptHandle, VisibilityTimeout: 0 })),
        }),
      );
      failedIds = (output.Failed ?? []).map((entry) => entry.Id ?? '');
    } catch (error) {
      throw toSqsError(error);
    }
    return failedIds.flatMap((id) => receiptHandles[Number(id)] ?? []);
  }
}

function peekedMessageOf(message: Message): PeekedMessage {
  const system = message.Attributes ?? {};
  const { body, truncated } = truncateBody(message.Body ?? '');
  const messageAttributes: Record<string, { dataType: string; stringValue?: string }> = Object.create(null);
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    // an attribute named __proto__ reaches us as the SDK's object's prototype, not as an entry
    if (typeof value !== 'object' || value === null) continue;
    messageAttributes[name] = { dataType: value.DataType ?? 'String', ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }) };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body,
    bodyTruncated: truncated,
    sentTimestamp: Number(system.SentTimestamp ?? 0),
    approximateReceiveCount: Number(system.ApproximateReceiveCount ?? 0),
    ...(system.DeadLetterQueueSourceArn ? { sourceArn: system.DeadLetterQueueSourceArn } : {}),
    ...(system.MessageGroupId ? { messageGroupId: system.MessageGroupId } : {}),
    messageAttributes,
  };
}
