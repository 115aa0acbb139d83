import { type MessageAttributeValue, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';


/** How the world's services (Lambda, EventBridge) send to a queue of the local account, by its name. */
export interface QueueSender {
  send(queueName: string, body: string, attributes?: Readonly<Record<string, MessageAttributeValue>>): Promise<void>;
  /** the queue's ARN, as the services name it */
  arnOf(queueName: string): string;
  close(): void;
}

/** SendMessage on the SQS emulator, as the service itself (no role of the world's: nothing to evaluate). */
export function queueSender(options: { readonly sqsUrl: string; readonly accountId: string; readonly region: string }): QueueSender {
  const client = new SQSClient({ endpoint: options.sqsUrl, region: options.region, // the emulator accepts any credentials
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    send: async (queueName, body, attributes) => {
      await client.send(new SendMessageCommand({ QueueUrl: `${options.sqsUrl}/${options.accountId}/${queueName}`, MessageBody: body, ...(attributes ? { MessageAttributes: { ...attributes } } : {}) }));
    },
    arnOf: (queueName) => `arn:aws:sqs:${options.region}:${options.accountId}:${queueName}`,
    close: () => client.destroy(),
  };
}

/** A String message attribute. */
export function stringAttribute(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

/** SQS's answer for a queue that does not exist (JSON protocol name, or the Query protocol's code). */
export function isMissingQueue(error: unknown): boolean {
  const name = (error as { name?: string; Code?: string } | undefined)?.name ?? '';
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue' || /NonExistentQueue|QueueDoesNotExist/.test(String((error as { Code?: string })?.Code ?? ''));
}
