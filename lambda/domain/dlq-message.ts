/** A message attribute as SQS carries it: kept byte for byte when a message is moved. */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

/** One message received from a DLQ, in the controller's words. */
export interface DlqMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttribute>>;
  /** epoch milliseconds */
  readonly sentTimestamp: number;
  /** SQS's DeadLetterQueueSourceArn: the queue the message failed in, when SQS knows it */
  readonly sourceArn?: string;
  /** FIFO queues */
  readonly messageGroupId?: string;
  /** SQS's ApproximateReceiveCount as this receive answered it (the archive keeps it) */
  readonly approximateReceiveCount?: number;
  /** FIFO queues: SQS's MessageDeduplicationId (the archive keeps it) */
  readonly messageDeduplicationId?: string;
}

/** A message to send: body and attributes as received; on FIFO queues its group and a deduplication id. */
export interface OutgoingMessage {
  readonly id: string;
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttribute>>;
  readonly messageGroupId?: string;
  readonly deduplicationId?: string;
}

/** Why one entry of a batch was not done; `senderFault` as SQS says it. */
export interface FailedEntry {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  readonly senderFault: boolean;
}

export function isFifoQueueArn(arn: string): boolean {
  return arn.endsWith('.fifo');
}
