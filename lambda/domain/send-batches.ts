import type { MessageAttribute } from './dlq-message';

/** SQS's batch limits: 10 entries, and their messages' sizes summed at most 1 MiB (the emulator's and SQS's limit). */
export const MAX_BATCH_ENTRIES = 10;
export const MAX_BATCH_BYTES = 1_048_576;

interface Sized {
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttribute>>;
}

/** A message's size as SQS counts it: the body's bytes, and each attribute's name, type and value. */
export function messageSize(message: Sized): number {
  let size = Buffer.byteLength(message.body);
  for (const [name, attribute] of Object.entries(message.messageAttributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    if (attribute.StringValue !== undefined) size += Buffer.byteLength(attribute.StringValue);
    if (attribute.BinaryValue !== undefined) size += attribute.BinaryValue.byteLength;
  }
  return size;
}

/**
 * The messages in order, cut into SendMessageBatch calls SQS takes: at most 10 entries and 1 MiB each.
 * A message alone always fits (it came from SQS).
 */
export function sendBatches<T extends Sized>(messages: readonly T[], maxBytes = MAX_BATCH_BYTES): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageSize(message);
    if (current.length > 0 && (current.length === MAX_BATCH_ENTRIES || bytes + size > maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
