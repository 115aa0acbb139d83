/** One message a peek saw, in the controller's words; the body already cut to PEEK_BODY_LIMIT_BYTES. */
export interface PeekedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly bodyTruncated: boolean;
  readonly sentTimestamp: number;
  readonly approximateReceiveCount: number;
  /** the queue the message failed in (SQS's DeadLetterQueueSourceArn) */
  readonly sourceArn?: string;
  readonly messageGroupId?: string;
  readonly messageAttributes: Readonly<Record<string, { readonly dataType: string; readonly stringValue?: string }>>;
}

/** Bodies over 8 KiB come back cut (API.md section 6). */
export const PEEK_BODY_LIMIT_BYTES = 8 * 1024;

/**
 * A body cut to at most `limit` bytes of UTF-8, never inside a character: a cut multi-byte
 * character would turn into U+FFFD and grow the body again.
 */
export function truncateBody(body: string, limit = PEEK_BODY_LIMIT_BYTES): { body: string; truncated: boolean } {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= limit) return { body, truncated: false };
  let end = limit;
  // step back over continuation bytes (10xxxxxx) to the start of the character the cut fell in
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return { body: bytes.subarray(0, end).toString('utf8'), truncated: true };
}
