import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import type { RuleTargetSettings } from '../../domain/replay/rule-target-settings';
import type { TaskEvent } from '../../domain/task-event';
import type { TaskOrigin, TaskRecord } from '../../domain/task-record';
import { isTaskStatus } from '../../domain/task-status';
import { TASK_TABLE } from './task-table-schema';

export type Item = Record<string, AttributeValue>;

const STRING_FIELDS = [
  'taskId', 'taskHandle', 'sourceArn', 'destinationArn', 'status', 'failureReason', 'createdAt', 'updatedAt',
  'startedBy', 'startReason', 'cancelRequestedAt', 'cancelledBy', 'cancelReason', 'cancelEventSource', 'completedAt', 'lastCancelError', 'origin',
  'outboxPendingSince', 'kind', 'filterPolicy', 'filterPolicyScope', 'leaseOwner', 'leaseExpiresAt', 'runId', 'replayOrigin',
  'messageId', 'messageAction', 'archiveTaskId', 'archiveCursor',
] as const;
const NUMBER_FIELDS = [
  'maxNumberOfMessagesPerSecond', 'approximateNumberOfMessagesMoved', 'approximateNumberOfMessagesToMove', 'startedTimestamp', 'version', 'expiresAt',
  'sentAfter', 'sentBefore', 'maxMessages', 'numberOfMessagesSkipped', 'numberOfMessagesUnroutable', 'heldBatches',
] as const;

/** TaskRecord → DynamoDB item (written by hand: one fixed shape, no marshalling library in the bundle). */
export function toItem(record: TaskRecord): Item {
  const item: Item = { recordType: { S: TASK_TABLE.recordType } };
  for (const name of STRING_FIELDS) {
    const value = record[name];
    if (value !== undefined) item[name] = { S: value };
  }
  for (const name of NUMBER_FIELDS) {
    const value = record[name];
    if (value !== undefined) item[name] = { N: String(value) };
  }
  if (record.force) item.force = { BOOL: true };
  if (record.deleteAfterArchive) item.deleteAfterArchive = { BOOL: true };
  // the outbox is opaque to DynamoDB: one JSON string, replaced whole by each conditional write
  // a string set; DynamoDB has no empty set, so none is written when empty
  if (record.sentNotDeleted && record.sentNotDeleted.length > 0) item.sentNotDeleted = { SS: [...new Set(record.sentNotDeleted)] };
  if (record.replayFunctions && record.replayFunctions.length > 0) item.replayFunctions = { SS: [...new Set(record.replayFunctions)] };
  if (record.replayRuleTargets && record.replayRuleTargets.length > 0) item.replayRuleTargets = { S: JSON.stringify(record.replayRuleTargets) };
  if (record.outbox && record.outbox.length > 0) item.outbox = { S: JSON.stringify(record.outbox) };
  return item;
}

export function fromItem(item: Item): TaskRecord {
  const text = (name: string) => item[name]?.S;
  const number = (name: string) => (item[name]?.N === undefined ? undefined : Number(item[name]!.N));
  const status = text('status');
  if (!isTaskStatus(status)) throw new Error(`task item ${text('taskId')} has no valid status`);
  const record: Record<string, unknown> = { status, origin: (text('origin') ?? 'api') as TaskOrigin };
  for (const name of STRING_FIELDS) {
    if (name !== 'status' && name !== 'origin' && text(name) !== undefined) record[name] = text(name);
  }
  for (const name of NUMBER_FIELDS) {
    if (number(name) !== undefined) record[name] = number(name);
  }
  if (item.force?.BOOL) record.force = true;
  if (item.deleteAfterArchive?.BOOL) record.deleteAfterArchive = true;
  if (item.sentNotDeleted?.SS) record.sentNotDeleted = item.sentNotDeleted.SS;
  if (item.replayFunctions?.SS) record.replayFunctions = item.replayFunctions.SS;
  if (text('replayRuleTargets') !== undefined) record.replayRuleTargets = JSON.parse(text('replayRuleTargets')!) as RuleTargetSettings[];
  if (text('outbox') !== undefined) record.outbox = JSON.parse(text('outbox')!) as TaskEvent[];
  record.approximateNumberOfMessagesMoved ??= 0;
  record.version ??= 0;
  return record as unknown as TaskRecord;
}
