// an archive line back as the message it was (for the filter and the SQS destination): attributes byte for byte, group and source kept
import type { DlqMessage, MessageAttribute } from '../dlq-message';
import type { ArchiveLine } from './archive-line';

/** The message an archive line holds; it has no receipt handle (it is read from S3, not received from a queue). */
export function messageOfArchiveLine(line: ArchiveLine): DlqMessage {
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, attribute] of Object.entries(line.MessageAttributes ?? {})) {
    attributes[name] = {
      DataType: attribute.DataType,
      ...(attribute.StringValue === undefined ? {} : { StringValue: attribute.StringValue }),
      ...(attribute.BinaryValue === undefined ? {} : { BinaryValue: new Uint8Array(Buffer.from(attribute.BinaryValue, 'base64')) }),
    };
  }
  const system = line.Attributes ?? { SentTimestamp: 0, ApproximateReceiveCount: 0 };
  return {
    messageId: line.MessageId,
    receiptHandle: '',
    body: line.Body,
    messageAttributes: attributes,
    sentTimestamp: system.SentTimestamp,
    approximateReceiveCount: system.ApproximateReceiveCount,
    ...(system.DeadLetterQueueSourceArn === undefined ? {} : { sourceArn: system.DeadLetterQueueSourceArn }),
    ...(system.MessageGroupId === undefined ? {} : { messageGroupId: system.MessageGroupId }),
    ...(system.MessageDeduplicationId === undefined ? {} : { messageDeduplicationId: system.MessageDeduplicationId }),
  };
}
