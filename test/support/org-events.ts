import { INVENTORY_CHANGED_DETAIL_TYPE } from '../../lambda/domain/dlq/inventory-event';
import type { OrgEventEnvelope } from '../../lambda/domain/org/org-change';
import { RECOVERY_EVENT_DETAIL_TYPE } from '../../lambda/domain/recovery/recovery-ports';
import { EVENT_SOURCE, TaskEventType } from '../../lambda/domain/task-event';

/** A forwarded task event as an account's outbox sends it (detail: the GET /tasks entry plus eventId). */
export function taskEvent(options: { account: string; taskId: string; version: number; status: string; queue?: string; time?: string; createdAt?: string }): OrgEventEnvelope {
  const sourceArn = `arn:aws:sqs:us-east-1:${options.account}:${options.queue ?? 'orders-dlq'}`;
  return {
    'detail-type': options.status === 'RUNNING' ? TaskEventType.Started : options.status === 'CANCELLING' ? TaskEventType.CancelRequested : TaskEventType.Cancelled,
    source: EVENT_SOURCE,
    account: options.account,
    region: 'us-east-1',
    time: options.time ?? `2026-12-01T10:00:${String(options.version % 60).padStart(2, '0')}Z`,
    detail: {
      eventId: `${options.taskId}:x:${options.version}`,
      taskId: options.taskId,
      Status: options.status,
      SourceArn: sourceArn,
      createdAt: options.createdAt ?? '2026-12-01T09:00:00.000Z',
      ApproximateNumberOfMessagesMoved: options.version,
    },
  };
}

/** A forwarded inventory event: DLQ name → message count (and oldest message age), removed queue names, and the run's totals (the API's names) if given. */
export function inventoryEvent(options: { account: string; asOf: string; dlqs: Record<string, number>; ages?: Record<string, number>; removed?: string[]; totals?: Record<string, unknown> }): OrgEventEnvelope {
  const arn = (name: string) => `arn:aws:sqs:us-east-1:${options.account}:${name}`;
  return {
    'detail-type': INVENTORY_CHANGED_DETAIL_TYPE,
    source: EVENT_SOURCE,
    account: options.account,
    region: 'us-east-1',
    time: options.asOf.replace(/\.\d+Z$/, 'Z'),
    detail: {
      asOf: options.asOf,
      complete: false,
      dlqs: Object.entries(options.dlqs).map(([name, messages]) => ({
        QueueArn: arn(name),
        QueueName: name,
        ApproximateNumberOfMessages: messages,
        ApproximateNumberOfMessagesNotVisible: 0,
        SourceQueueArns: [],
        ...(options.ages?.[name] !== undefined ? { OldestMessageAgeSeconds: options.ages[name] } : {}),
      })),
      removedQueueArns: (options.removed ?? []).map(arn),
      ...(options.totals ? { totals: options.totals } : {}),
    },
  };
}

/** A forwarded recovery state change as an account's recovery sends it (eventId `<dlqArn>:recovery:<version>`). */
export function recoveryEvent(options: { account: string; queue: string; version: number; to: string; from?: string; runId?: string; at?: string; queueAccount?: string }): OrgEventEnvelope {
  const queueArn = `arn:aws:sqs:us-east-1:${options.queueAccount ?? options.account}:${options.queue}`;
  const at = options.at ?? `2026-12-01T10:${String(options.version % 60).padStart(2, '0')}:00.000Z`;
  return {
    'detail-type': RECOVERY_EVENT_DETAIL_TYPE,
    source: EVENT_SOURCE,
    account: options.account,
    region: 'us-east-1',
    time: at.replace(/\.\d+Z$/, 'Z'),
    detail: { eventId: `${queueArn}:recovery:${options.version}`, QueueArn: queueArn, From: options.from ?? 'IDLE', To: options.to, Reason: `to ${options.to} at ${options.version}`, RunId: options.runId, At: at },
  };
}
