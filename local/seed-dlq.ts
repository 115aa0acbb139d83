import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface SeededDlq {
  readonly dlqArn: string;
  readonly dlqUrl: string;
  readonly sourceQueueArn: string;
  readonly sourceQueueUrl: string;
}

/**
 * A source queue and its DLQ holding `count` messages, filled the way production fills one:
 * messages sent to the source queue and received until they exceed maxReceiveCount. Messages
 * sent straight into a DLQ carry no source queue, and SQS fails their redrive.
 */
export async function seedDlq(sqs: SQSClient, name: string, count: number, bodyOf: (index: number) => string = (index) => `message ${index + 1}`): Promise<SeededDlq> {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const dlqArn = await queueArn(sqs, dlqUrl);
  const sourceQueueUrl = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }) },
      }),
    )
  ).QueueUrl!;
  const sourceQueueArn = await queueArn(sqs, sourceQueueUrl);

  for (let sent = 0; sent < count; sent += 10) {
    const batch = Array.from({ length: Math.min(10, count - sent) }, (_, at) => ({ Id: String(at), MessageBody: bodyOf(sent + at) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: sourceQueueUrl, Entries: batch }));
  }
  // a bounded number of rounds; each receive moves what has been received once to the DLQ
  for (let round = 0; round < 1000 && (await depth(sqs, dlqUrl)) < count; round += 1) {
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: sourceQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  }
  const seeded = await depth(sqs, dlqUrl);
  if (seeded < count) throw new Error(`seeding ${name}-dlq stopped at ${seeded} of ${count} messages`);
  return { dlqArn, dlqUrl, sourceQueueArn, sourceQueueUrl };
}

export async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const output = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(output.Attributes?.ApproximateNumberOfMessages ?? 0);
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return output.Attributes!.QueueArn!;
}
