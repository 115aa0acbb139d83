import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueUrlCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

import type { DlqMessage, FailedEntry, MessageAttribute, OutgoingMessage } from '../../domain/dlq-message';
import type { QueueMessages } from '../../domain/ports';
import { tryParseQueueArn } from '../../domain/queue-arn';
import { SqsError } from '../../domain/sqs-error';
import { toSqsError } from './to-sqs-error';

const BATCH = 10;

/** QueueMessages on the AWS SDK's SQSClient. Queue URLs are looked up once per ARN (GetQueueUrl). */
export class SqsQueueMessages implements QueueMessages {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(private readonly client: SQSClient) {}

  async receive(queueArn: string, input: { max: number; visibilitySeconds: number; waitSeconds: number }): Promise<DlqMessage[]> {
    const output = await call(async () =>
      this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: await this.urlOf(queueArn),
          MaxNumberOfMessages: input.max,
          VisibilityTimeout: input.visibilitySeconds,
          WaitTimeSeconds: input.waitSeconds,
          // both spellings: the emulator answers only the older one, real SQS honours both (EMULATORS.md)
          AttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      ),
    );
    const seen = new Set<string>();
    return (output.Messages ?? []).flatMap((message) => {
      if (!message.MessageId || !message.ReceiptHandle || seen.has(message.MessageId)) return [];
      seen.add(message.MessageId);
      return [dlqMessageOf(message)];
    });
  }

  async send(queueArn: string, messages: readonly OutgoingMessage[]): Promise<{ failed: FailedEntry[] }> {
    if (messages.length === 0) return { failed: [] };
    const output = await call(async () =>
      this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: await this.urlOf(queueArn),
          Entries: messages.map((message) => ({
            Id: message.id,
            MessageBody: message.body,
            ...(Object.keys(message.messageAttributes).length > 0 ? { MessageAttributes: message.messageAttributes as Record<string, MessageAttributeValue> } : {}),
            ...(message.messageGroupId === undefined ? {} : { MessageGroupId: message.messageGroupId }),
            ...(message.deduplicationId === undefined ? {} : { MessageDeduplicationId: message.deduplicationId }),
          })),
        }),
      ),
    );
    return { failed: failedOf(output.Failed) };
  }

  async delete(queueArn: string, receiptHandles: readonly string[]): Promise<{ failed: FailedEntry[] }> {
    const failed: FailedEntry[] = [];
    for (let start = 0; start < receiptHandles.length; start += BATCH) {
      const handles = receiptHandles.slice(start, start + BATCH);
      const output = await call(async () =>
        this.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: await this.urlOf(queueArn),
            Entries: handles.map((handle, index) => ({ Id: `d${index}`, ReceiptHandle: handle })),
          }),
        ),
      );
      // named by receipt handle, so the caller knows which messages stay
      failed.push(...failedOf(output.Failed).map((entry) => ({ ...entry, id: handles[Number(entry.id.slice(1))] ?? entry.id })));
    }
    return { failed };
  }

  async changeVisibility(queueArn: string, receiptHandles: readonly string[], seconds: number): Promise<void> {
    for (let start = 0; start < receiptHandles.length; start += BATCH) {
      // per-entry failures are handles no longer valid (the message was received again, or is gone): nothing to release
      await call(async () =>
        this.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: await this.urlOf(queueArn),
            Entries: receiptHandles.slice(start, start + BATCH).map((handle, index) => ({ Id: `v${index}`, ReceiptHandle: handle, VisibilityTimeout: seconds })),
          }),
        ),
      );
    }
  }

  private urlOf(queueArn: string): Promise<string> {
    let url = this.urls.get(queueArn);
    if (!url) {
      const queue = tryParseQueueArn(queueArn);
      if (!queue) return Promise.reject(new SqsError('InvalidAddress', `not an SQS queue ARN: ${queueArn}`));
      url = call(() => this.client.send(new GetQueueUrlCommand({ QueueName: queue.queueName, QueueOwnerAWSAccountId: queue.accountId }))).then((output) => {
        if (!output.QueueUrl) throw new SqsError('QueueDoesNotExist', `no URL for ${queueArn}`);
        return output.QueueUrl;
      });
      // a failed look-up is not remembered: the queue may be created, or the fault pass
      url.catch(() => this.urls.delete(queueArn));
      this.urls.set(queueArn, url);
    }
    return url;
  }
}

function dlqMessageOf(message: Message): DlqMessage {
  const system = message.Attributes ?? {};
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    attributes[name] = {
      DataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }),
    };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    messageAttributes: attributes,
    sentTimestamp: Number(system.SentTimestamp ?? 0),
    ...(system.DeadLetterQueueSourceArn ? { sourceArn: system.DeadLetterQueueSourceArn } : {}),
    ...(system.MessageGroupId ? { messageGroupId: system.MessageGroupId } : {}),
    ...(system.ApproximateReceiveCount ? { approximateReceiveCount: Number(system.ApproximateReceiveCount) } : {}),
    ...(system.MessageDeduplicationId ? { messageDeduplicationId: system.MessageDeduplicationId } : {}),
  };
}

function failedOf(entries: ReadonlyArray<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> | undefined): FailedEntry[] {
  return (entries ?? []).map((entry) => ({ id: entry.Id ?? '', code: entry.Code ?? 'InternalError', message: entry.Message ?? '', senderFault: entry.SenderFault ?? false }));
}

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toSqsError(error);
  }
}
