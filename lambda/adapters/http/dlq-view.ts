import type { PeekedMessage } from '../../domain/dlq/peeked-message';
import type { ListedDlq } from '../../domain/operations/list-dlqs';
import type { RecoveryRecord } from '../../domain/recovery/recovery-state';

/** GET /dlqs entries (API.md section 6): GetQueueAttributes' names, the active task in brief. */
export function dlqView(dlq: ListedDlq): Record<string, unknown> {
  const task = dlq.activeTask;
  return {
    QueueArn: dlq.queueArn,
    QueueName: dlq.queueName,
    ApproximateNumberOfMessages: dlq.approximateNumberOfMessages,
    ApproximateNumberOfMessagesNotVisible: dlq.approximateNumberOfMessagesNotVisible,
    SourceQueueArns: dlq.sourceQueueArns,
    Origin: dlq.origin,
    Targets: dlq.targets.map((target) => ({ Arn: target.arn, Kind: target.kind, ...(target.ruleArn === undefined ? {} : { RuleArn: target.ruleArn }) })),
    OldestMessageAgeSeconds: dlq.oldestMessageAgeSeconds,
    ActiveTask: task
      ? {
          taskId: task.taskId,
          // the controller's own mover (issue 14's selective tasks) records its kind; SQS's tasks are native
          Kind: (task as { kind?: string }).kind ?? 'native',
          Status: task.status,
          ApproximateNumberOfMessagesMoved: task.approximateNumberOfMessagesMoved,
          ApproximateNumberOfMessagesToMove: task.approximateNumberOfMessagesToMove,
        }
      : undefined,
    Recovery: dlq.recovery ? recoveryView(dlq.recovery) : undefined,
  };
}

/** A DLQ's recovery (API.md section 8): its state, since when, why, and what happens next. */
export function recoveryView(record: RecoveryRecord): Record<string, unknown> {
  return {
    State: record.state,
    Since: record.since,
    Reason: record.reason,
    NextActionAt: record.nextActionAt,
    CurrentRate: record.currentRate,
    RunId: record.runId,
  };
}

/** POST /dlqs/{queueName}/peek entries: SQS's names; no receipt handle leaves the controller. */
export function peekedMessageView(message: PeekedMessage): Record<string, unknown> {
  // null prototype: an attribute may be named __proto__
  const attributes: Record<string, { DataType: string; StringValue?: string }> = Object.create(null);
  for (const [name, value] of Object.entries(message.messageAttributes)) {
    attributes[name] = { DataType: value.dataType, ...(value.stringValue === undefined ? {} : { StringValue: value.stringValue }) };
  }
  return {
    MessageId: message.messageId,
    Body: message.body,
    BodyTruncated: message.bodyTruncated,
    SentTimestamp: message.sentTimestamp,
    ApproximateReceiveCount: message.approximateReceiveCount,
    SourceArn: message.sourceArn,
    MessageGroupId: message.messageGroupId,
    MessageAttributes: attributes,
  };
}
