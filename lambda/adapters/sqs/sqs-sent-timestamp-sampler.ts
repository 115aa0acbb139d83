import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

import type { SentTimestampSampler } from '../../domain/dlq/dlq-ports';
import { toSqsError } from './to-sqs-error';

/**
 * SentTimestampSampler on ReceiveMessage with VisibilityTimeout 0: the messages stay visible, so there
 * is nothing to release and nothing a concurrent redrive could skip. Each one's ApproximateReceiveCount
 * rises by one, as with any receive. (The emulator answers a visibility-0 receive with repeats,
 * EMULATORS.md; the minimum is the same.)
 */
export class SqsSentTimestampSampler implements SentTimestampSampler {
  constructor(private readonly client: SQSClient) {}

  async oldestSentTimestamp(queueUrl: string): Promise<number | undefined> {
    try {
      const output = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
          // both names: the emulator honours only the older AttributeNames (typed without SentTimestamp), SQS both (EMULATORS.md)
          AttributeNames: ['All'],
          MessageSystemAttributeNames: ['SentTimestamp'],
        }),
      );
      const sent = (output.Messages ?? []).map((message) => Number(message.Attributes?.SentTimestamp)).filter((value) => Number.isFinite(value) && value > 0);
      return sent.length > 0 ? Math.min(...sent) : undefined;
    } catch (error) {
      throw toSqsError(error);
    }
  }
}
