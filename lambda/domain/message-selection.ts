import {
  type FilterPolicy,
  type FilterPolicyScope,
  matchesFilterPolicy,
  messageAttributesSubject,
  messageBodySubject,
  parseRecordedFilterPolicy,
} from './content-filter/filter-policy';
import type { DlqMessage } from './dlq-message';
import type { TaskRecord } from './task-record';

/** What a selective task moves: messages matching the filter policy, sent within the bounds. */
export interface MessageSelection {
  readonly filterPolicy?: FilterPolicy;
  /** the policy as JSON text, as the record keeps it */
  readonly filterPolicyText?: string;
  readonly filterPolicyScope?: FilterPolicyScope;
  readonly sentAfter?: number;
  readonly sentBefore?: number;
  readonly maxMessages?: number;
  /** one message at a time: only the message with this id */
  readonly messageId?: string;
  /** what is selected needs no queue to go to (a discard: its destination is the archive) */
  readonly needsNoRoute?: boolean;
}

/** The record's fields of a selection, as a task keeps it (the filter policy as its JSON text). */
export function recordedSelection(selection: MessageSelection): Pick<TaskRecord, 'filterPolicy' | 'filterPolicyScope' | 'sentAfter' | 'sentBefore' | 'maxMessages'> {
  return {
    ...(selection.filterPolicyText === undefined ? {} : { filterPolicy: selection.filterPolicyText, filterPolicyScope: selection.filterPolicy?.scope ?? 'MessageAttributes' }),
    ...(selection.sentAfter === undefined ? {} : { sentAfter: selection.sentAfter }),
    ...(selection.sentBefore === undefined ? {} : { sentBefore: selection.sentBefore }),
    ...(selection.maxMessages === undefined ? {} : { maxMessages: selection.maxMessages }),
  };
}

/** What becomes of one considered message. */
export type Verdict = 'move' | 'skip' | 'unroutable';

export function selects(selection: MessageSelection, message: DlqMessage): boolean {
  if (selection.messageId !== undefined && message.messageId !== selection.messageId) return false;
  if (selection.sentAfter !== undefined && !(message.sentTimestamp > selection.sentAfter)) return false;
  if (selection.sentBefore !== undefined && !(message.sentTimestamp < selection.sentBefore)) return false;
  if (!selection.filterPolicy) return true;
  try {
    const subject =
      selection.filterPolicy.scope === 'MessageBody'
        ? messageBodySubject(message.body)
        : messageAttributesSubject(stringAttributes(message));
    return matchesFilterPolicy(selection.filterPolicy, subject);
  } catch {
    // a message the matcher cannot read (too deep, too odd) matches nothing: it must not stop a pass or a dry run
    return false;
  }
}

/**
 * Matched messages go to the destination, else to the queue they failed in; with neither they stay.
 * A target that is the DLQ itself is no route: the message would come back and match again.
 */
export function verdictOf(selection: MessageSelection, message: DlqMessage, destinationArn: string | undefined, dlqArn?: string): Verdict {
  if (!selects(selection, message)) return 'skip';
  if (selection.needsNoRoute) return 'move';
  const target = destinationArn || message.sourceArn;
  return target && target !== dlqArn ? 'move' : 'unroutable';
}

/**
 * Whether a message was in the DLQ when the task started, by its SentTimestamp (SQS's clock, epoch ms).
 * A message the mover sends is a new message with a new SentTimestamp; should its consumer fail it back
 * into the DLQ while the task runs, it arrives with a timestamp past the task's start: on a standard
 * queue the enqueue timestamp is kept when a message moves to its DLQ, on a FIFO queue it is reset to
 * the move, later still ("Setting-up dead-letter queue retention",
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html).
 * Either way the task's start bounds what it considers, so a task moves each message at most once.
 */
export function presentAtStart(message: DlqMessage, taskStartedAt: number): boolean {
  return message.sentTimestamp <= taskStartedAt;
}

/** The selection a selective task's record keeps, parsed again for the mover (not refused by limits tightened since its start). */
export function selectionOfRecord(record: TaskRecord): MessageSelection {
  return {
    ...(record.filterPolicy === undefined
      ? {}
      : { filterPolicy: parseRecordedFilterPolicy(record.filterPolicy, record.filterPolicyScope), filterPolicyText: record.filterPolicy }),
    ...(record.filterPolicyScope === undefined ? {} : { filterPolicyScope: record.filterPolicyScope }),
    ...(record.sentAfter === undefined ? {} : { sentAfter: record.sentAfter }),
    ...(record.sentBefore === undefined ? {} : { sentBefore: record.sentBefore }),
    ...(record.maxMessages === undefined ? {} : { maxMessages: record.maxMessages }),
    ...(record.messageId === undefined ? {} : { messageId: record.messageId }),
    ...(record.messageAction === 'discard' ? { needsNoRoute: true } : {}),
  };
}

function stringAttributes(message: DlqMessage): Record<string, { DataType: string; StringValue?: string }> {
  const attributes: Record<string, { DataType: string; StringValue?: string }> = {};
  for (const [name, attribute] of Object.entries(message.messageAttributes)) {
    attributes[name] = { DataType: attribute.DataType, ...(attribute.StringValue === undefined ? {} : { StringValue: attribute.StringValue }) };
  }
  return attributes;
}
