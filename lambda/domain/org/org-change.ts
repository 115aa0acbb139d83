import { INVENTORY_CHANGED_DETAIL_TYPE } from '../dlq/inventory-event';
import type { InventoryTotals } from '../dlq/inventory-totals';
import { tryParseQueueArn } from '../queue-arn';
import { RECOVERY_EVENT_DETAIL_TYPE } from '../recovery/recovery-ports';
import { RecoveryState } from '../recovery/recovery-state';
import { EVENT_SOURCE, TaskEventType } from '../task-event';
import { tryParseTaskHandle } from '../task-handle';
import { isTaskStatus } from '../task-status';
import { CONTROLLER_EPOCH, isFromTheFuture, MAX_CLOCK_SKEW_MS, maxVersionSince } from './event-bounds';
import type { OrgDlq } from './org-dlq';
import type { OrgRecovery } from './org-recovery';
import type { OrgTask } from './org-task';

/** An event as EventBridge delivers it to a target (the fields the org view reads). */
export interface OrgEventEnvelope {
  readonly 'detail-type'?: unknown;
  readonly source?: unknown;
  /** set by EventBridge to the sending account: the one field a sender cannot choose */
  readonly account?: unknown;
  readonly region?: unknown;
  readonly time?: unknown;
  readonly detail?: unknown;
}

/** What one event changes in the org view, or why it changes nothing. */
export type OrgChange =
  | { readonly kind: 'task'; readonly accountId: string; readonly region: string; readonly time: string; readonly task: OrgTask }
  | {
      readonly kind: 'inventory';
      readonly accountId: string;
      readonly region: string;
      readonly time: string;
      readonly asOf: string;
      readonly dlqs: readonly OrgDlq[];
      readonly removedQueueArns: readonly string[];
      /** the run's totals over all its DLQs; absent from accounts whose inventory predates them */
      readonly totals?: InventoryTotals;
    }
  | { readonly kind: 'recovery'; readonly accountId: string; readonly region: string; readonly time: string; readonly recovery: OrgRecovery }
  | { readonly kind: 'ignored'; readonly reason: string };

const TASK_DETAIL_TYPES: readonly string[] = Object.values(TaskEventType);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** An instant the stores can order: ISO-8601 in Z, and a real one (no hour 25). */
const isInstant = (value: unknown): value is string => typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
/** A count as SQS gives them: never negative, never a fraction (the indexes and paging tokens rely on it). */
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Reads one forwarded event. An account speaks only for itself: a task or DLQ whose ARN names
 * another account than the event's is ignored, so one account cannot write over another's rows, and
 * a task's TaskHandle is kept only if it is that task's own. Nothing from the future is kept: an
 * instant later than `now` by more than the clock skew, or a version higher than its record could
 * have been written to by now (event-bounds.ts), would outrank every true event for good.
 */
export function parseOrgEvent(event: OrgEventEnvelope, now: Date = new Date()): OrgChange {
  const ignored = (reason: string): OrgChange => ({ kind: 'ignored', reason });
  const { account, region, time, detail } = event;
  const detailType = event['detail-type'];
  if (event.source !== EVENT_SOURCE) return ignored(`source ${String(event.source)} is not ${EVENT_SOURCE}`);
  if (typeof account !== 'string' || !/^\d{12}$/.test(account)) return ignored('no sending account');
  if (typeof region !== 'string' || region === '') return ignored('no region');
  if (!isInstant(time)) return ignored('no time');
  if (isFromTheFuture(time, now)) return ignored(`time ${time} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the org view's clock`);
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return ignored('detail is not an object');
  const fields = detail as Record<string, unknown>;
  if (typeof detailType === 'string' && TASK_DETAIL_TYPES.includes(detailType)) {
    const task = taskOf(fields, account, region, now);
    return typeof task === 'string' ? ignored(task) : { kind: 'task', accountId: account, region, time: canonical(time), task };
  }
  if (detailType === INVENTORY_CHANGED_DETAIL_TYPE) {
    if (!isInstant(fields.asOf)) return ignored('inventory event without asOf');
    if (isFromTheFuture(fields.asOf, now)) return ignored(`inventory asOf ${fields.asOf} is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the org view's clock`);
    const asOf = canonical(fields.asOf);
    if (!Array.isArray(fields.dlqs) || !Array.isArray(fields.removedQueueArns)) return ignored('inventory event without dlqs and removedQueueArns');
    const dlqs: OrgDlq[] = [];
    for (const entry of fields.dlqs as unknown[]) {
      const dlq = dlqOf(entry, account, region, asOf);
      if (typeof dlq === 'string') return ignored(dlq);
      dlqs.push(dlq);
    }
    const removedQueueArns = (fields.removedQueueArns as unknown[]).filter((arn): arn is string => typeof arn === 'string' && tryParseQueueArn(arn)?.accountId === account);
    const totals = totalsOf(fields.totals);
    if (typeof totals === 'string') return ignored(totals);
    return { kind: 'inventory', accountId: account, region, time: canonical(time), asOf, dlqs, removedQueueArns, ...(totals ? { totals } : {}) };
  }
  if (detailType === RECOVERY_EVENT_DETAIL_TYPE) {
    const recovery = recoveryOf(fields, account, region, now);
    return typeof recovery === 'string' ? ignored(recovery) : { kind: 'recovery', accountId: account, region, time: canonical(time), recovery };
  }
  return ignored(`detail-type ${String(detailType)} is not one the org view reads`);
}

/** The version is the last part of the stable event id `<taskId>:<transition>:<version>`. */
function taskOf(detail: Record<string, unknown>, accountId: string, region: string, now: Date): OrgTask | string {
  const { eventId, taskId, Status: status, SourceArn: sourceArn, createdAt } = detail;
  if (typeof eventId !== 'string' || typeof taskId !== 'string' || taskId === '' || !eventId.startsWith(`${taskId}:`)) return 'task event without eventId and taskId';
  const version = Number(eventId.slice(eventId.lastIndexOf(':') + 1));
  if (!Number.isSafeInteger(version) || version < 0) return `task event ${eventId}: no version in its id`;
  if (typeof status !== 'string' || !isTaskStatus(status) || !isInstant(createdAt) || typeof sourceArn !== 'string') return `task event ${eventId}: no Status, SourceArn or createdAt`;
  if (tryParseQueueArn(sourceArn)?.accountId !== accountId) return `task event ${eventId}: SourceArn is not account ${accountId}'s`;
  if (Date.parse(createdAt) < Date.parse(CONTROLLER_EPOCH) || isFromTheFuture(createdAt, now)) return `task event ${eventId}: createdAt ${createdAt} is before ${CONTROLLER_EPOCH} or ahead of the org view's clock`;
  // the item's version counts its writes: no more than DynamoDB lets one item take since it was created
  if (version > maxVersionSince(createdAt, now)) return `task event ${eventId}: version ${version} is more writes than its record can have had since ${createdAt}`;
  const { eventId: _eventId, TaskHandle: handle, ...rest } = detail;
  // the org view cancels through the handle: only the task's own, naming its id and queue, is kept
  const decoded = typeof handle === 'string' ? tryParseTaskHandle(handle) : undefined;
  const view = decoded && decoded.taskId === taskId && decoded.source.arn === sourceArn ? { ...rest, TaskHandle: handle } : rest;
  // one spelling per instant: the newest task of a DLQ is found by comparing createdAt as text
  return { accountId, region, taskId, version, status, sourceArn, createdAt: canonical(createdAt), receivedMs: now.getTime(), view };
}

const RECOVERY_STATES: readonly string[] = Object.values(RecoveryState);

/** The version is the last part of the stable event id `<dlqArn>:recovery:<version>`. */
function recoveryOf(detail: Record<string, unknown>, accountId: string, region: string, now: Date): OrgRecovery | string {
  const { eventId, QueueArn: queueArn, To: state, Reason: reason, RunId: runId, At: at } = detail;
  if (typeof eventId !== 'string' || typeof queueArn !== 'string' || !eventId.startsWith(`${queueArn}:recovery:`)) return 'recovery event without eventId and QueueArn';
  const version = Number(eventId.slice(eventId.lastIndexOf(':') + 1));
  if (!Number.isSafeInteger(version) || version < 0) return `recovery event ${eventId}: no version in its id`;
  if (typeof state !== 'string' || !RECOVERY_STATES.includes(state) || typeof reason !== 'string' || !isInstant(at)) {
    return `recovery event ${eventId}: no To, Reason or At`;
  }
  if (tryParseQueueArn(queueArn)?.accountId !== accountId) return `recovery event ${eventId}: QueueArn is not account ${accountId}'s`;
  if (isFromTheFuture(at, now)) return `recovery event ${eventId}: At ${at} is ahead of the org view's clock`;
  if (version > maxVersionSince(CONTROLLER_EPOCH, now)) return `recovery event ${eventId}: version ${version} is more writes than any record can have had`;
  // only a run in progress has a run id in the account's own record
  const running = state === RecoveryState.RECOVERING && typeof runId === 'string';
  return { accountId, region, queueArn, version, state, since: canonical(at), reason, ...(running ? { runId } : {}) };
}

function dlqOf(entry: unknown, accountId: string, region: string, asOf: string): OrgDlq | string {
  if (typeof entry !== 'object' || entry === null) return 'inventory entry is not an object';
  const view = entry as Record<string, unknown>;
  const { QueueArn: queueArn, QueueName: queueName, ApproximateNumberOfMessages: messages, OldestMessageAgeSeconds: age } = view;
  if (typeof queueArn !== 'string' || typeof queueName !== 'string' || queueName === '' || !isCount(messages)) return 'inventory entry without QueueArn, QueueName or ApproximateNumberOfMessages';
  if (age !== undefined && !isCount(age)) return `inventory entry ${queueArn}: OldestMessageAgeSeconds is not a count of seconds`;
  const sources = view.SourceQueueArns;
  if (!Array.isArray(sources) || !sources.every((arn) => typeof arn === 'string')) return `inventory entry ${queueArn}: SourceQueueArns is not a list of queue ARNs`;
  // API.md section 11; an older account's entries carry neither
  if (view.Origin !== undefined && !['sqs', 'lambda', 'eventbridge'].includes(view.Origin as string)) return `inventory entry ${queueArn}: Origin is not sqs, lambda or eventbridge`;
  if (view.Targets !== undefined && !isTargetList(view.Targets)) return `inventory entry ${queueArn}: Targets is not a list of {Arn, Kind, RuleArn?}`;
  if (tryParseQueueArn(queueArn)?.accountId !== accountId) return `inventory entry ${queueArn} is not account ${accountId}'s`;
  return { accountId, region, queueArn, queueName, asOf, approximateNumberOfMessages: messages, ...(isCount(age) ? { oldestMessageAgeSeconds: age } : {}), removed: false, view };
}

function isTargetList(value: unknown): boolean {
  return Array.isArray(value) && value.every((target) => {
    const { Arn: arn, Kind: kind, RuleArn: ruleArn } = (target ?? {}) as Record<string, unknown>;
    return typeof arn === 'string' && (kind === 'function' || kind === 'rule-target') && (ruleArn === undefined || typeof ruleArn === 'string');
  });
}

/** The inventory event's `totals`, in the API's names; undefined when an older account sends none. */
function totalsOf(value: unknown): InventoryTotals | undefined | string {
  if (value === undefined) return undefined;
  const { DeadLetterQueues: dlqs, ApproximateNumberOfMessages: visible, ApproximateNumberOfMessagesNotVisible: notVisible } = (value ?? {}) as Record<string, unknown>;
  if (!isCount(dlqs) || !isCount(visible) || !isCount(notVisible)) return 'inventory event whose totals are not DeadLetterQueues, ApproximateNumberOfMessages and ApproximateNumberOfMessagesNotVisible counts';
  return { deadLetterQueues: dlqs, approximateNumberOfMessages: visible, approximateNumberOfMessagesNotVisible: notVisible };
}

/** One spelling per instant (milliseconds, Z): stores compare them as text. */
function canonical(iso: string): string {
  return new Date(iso).toISOString();
}
