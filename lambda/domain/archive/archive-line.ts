// one archived message as one JSON line (API.md section 12): what the archive writer stores and its readers parse
import type { DlqMessage } from '../dlq-message';

/** A message attribute as the archive keeps it: SQS's shape, a binary value as base64. */
export interface ArchivedAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  /** base64 */
  readonly BinaryValue?: string;
}

/** SQS's system attributes the archive keeps; timestamps and counts as numbers (Athena compares them as such). */
export interface ArchivedSystemAttributes {
  /** epoch milliseconds */
  readonly SentTimestamp: number;
  readonly ApproximateReceiveCount: number;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  /** the queue the message failed in, when SQS knows it */
  readonly DeadLetterQueueSourceArn?: string;
}

/** One line of an archive object. Each carries its MessageId: a line written twice (a crash before the delete) is known as one message. */
export interface ArchiveLine {
  readonly MessageId: string;
  readonly Body: string;
  readonly MessageAttributes: Readonly<Record<string, ArchivedAttribute>>;
  readonly Attributes: ArchivedSystemAttributes;
  /** the DLQ the message was archived from */
  readonly QueueArn: string;
  readonly TaskId: string;
  /** ISO-8601 */
  readonly ArchivedAt: string;
}

export function archiveLineOf(message: DlqMessage, queueArn: string, taskId: string, archivedAt: Date): ArchiveLine {
  const attributes: Record<string, ArchivedAttribute> = {};
  for (const [name, attribute] of Object.entries(message.messageAttributes)) {
    attributes[name] = {
      DataType: attribute.DataType,
      ...(attribute.StringValue === undefined ? {} : { StringValue: attribute.StringValue }),
      ...(attribute.BinaryValue === undefined ? {} : { BinaryValue: Buffer.from(attribute.BinaryValue).toString('base64') }),
    };
  }
  return {
    MessageId: message.messageId,
    Body: message.body,
    MessageAttributes: attributes,
    Attributes: {
      SentTimestamp: message.sentTimestamp,
      ApproximateReceiveCount: message.approximateReceiveCount ?? 0,
      ...(message.messageGroupId === undefined ? {} : { MessageGroupId: message.messageGroupId }),
      ...(message.messageDeduplicationId === undefined ? {} : { MessageDeduplicationId: message.messageDeduplicationId }),
      ...(message.sourceArn === undefined ? {} : { DeadLetterQueueSourceArn: message.sourceArn }),
    },
    QueueArn: queueArn,
    TaskId: taskId,
    ArchivedAt: archivedAt.toISOString(),
  };
}

/** The lines of one object: one JSON document per line, each ending in a newline (JSON Lines, as Athena's JSON SerDe reads it). */
export function formatArchiveLines(lines: readonly ArchiveLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** Parses an object's text; a line that is not an archived message is refused, naming its number. */
export function parseArchiveLines(text: string): ArchiveLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = JSON.parse(line) as Partial<ArchiveLine> | null;
      if (!parsed || typeof parsed.MessageId !== 'string' || typeof parsed.Body !== 'string' || typeof parsed.TaskId !== 'string') {
        throw new Error(`archive line ${index + 1} is not an archived message`);
      }
      return parsed as ArchiveLine;
    });
}

/** The DLQ's name in an SQS ARN (arn:aws:sqs:region:account:name). */
function queueNameOf(queueArn: string): string {
  return queueArn.slice(queueArn.lastIndexOf(':') + 1);
}

/** `<QueueName>/<yyyy>/<mm>/<dd>/<TaskId>/`: where a task's objects are, by the day the task started (UTC). */
export function archivePrefix(queueArn: string, taskId: string, startedAt: Date): string {
  const day = startedAt.toISOString().slice(0, 10).split('-');
  return `${queueNameOf(queueArn)}/${day[0]}/${day[1]}/${day[2]}/${taskId}/`;
}
