import { randomUUID } from 'node:crypto';

import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface SeedMessage {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  /** FIFO queues */
  readonly group?: string;
}

export interface Dlq {
  readonly dlqArn: string;
  readonly dlqUrl: string;
  readonly sourceArn: string;
  readonly sourceUrl: string;
}

/**
 * A source queue and its DLQ holding `messages`, filled as production fills one (sent to the source,
 * received past maxReceiveCount 1), so each carries its DeadLetterQueueSourceArn.
 */
export async function seedDlqWith(sqs: SQSClient, prefix: string, messages: readonly SeedMessage[], fifo = false): Promise<Dlq> {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const suffix = fifo ? '.fifo' : '';
  const fifoAttributes = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq${suffix}`, Attributes: fifoAttributes }))).QueueUrl!;
  const dlqArn = await arnOf(sqs, dlqUrl);
  const sourceUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: `${name}${suffix}`,
        Attributes: { ...fifoAttributes, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
      }),
    )
  ).QueueUrl!;
  const sourceArn = await arnOf(sqs, sourceUrl);
  for (let at = 0; at < messages.length; at += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: messages.slice(at, at + 10).map((message, index) => ({
          Id: String(index),
          MessageBody: message.body,
          ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
          ...(fifo ? { MessageGroupId: message.group ?? 'g', MessageDeduplicationId: randomUUID() } : {}),
        })),
      }),
    );
  }
  for (let round = 0; round < 2000 && (await count(sqs, dlqUrl)) < messages.length; round += 1) {
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  }
  const seeded = await count(sqs, dlqUrl);
  if (seeded < messages.length) throw new Error(`seeding stopped at ${seeded} of ${messages.length}`);
  return { dlqArn, dlqUrl, sourceArn, sourceUrl };
}

/** ApproximateNumberOfMessages (the emulator counts in-flight messages in it too). */
export async function count(sqs: SQSClient, queueUrl: string): Promise<number> {
  const output = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(output.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/**
 * Every message now visible, received once with a long visibility (so none is seen twice) and not
 * deleted: what an operator would find. Distinct by MessageId.
 */
export async function receiveAllVisible(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const seen = new Map<string, Message>();
  for (let empty = 0; empty < 2; ) {
    const output = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, AttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    const messages = output.Messages ?? [];
    if (messages.length === 0) empty += 1;
    for (const message of messages) seen.set(message.MessageId!, message);
  }
  return [...seen.values()];
}

async function arnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return output.Attributes!.QueueArn!;
}
