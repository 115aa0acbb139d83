// schedule --> reconcileTasks --> task table (active index) + SQS ListMessageMoveTasks per queue --> conditional writes --> events
import { matchMoveTask } from '../match-move-task';
import type { ControllerDependencies, MoveTaskSummary } from '../ports';
import { matchesQueuePattern } from '../queue-scope';
import { isNoSuchQueue, isThrottling, SqsError } from '../sqs-error';
import { tryParseTaskHandle } from '../task-handle';
import type { TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';
import { adoptedRecord, finishedRecord, nextRecord, reconciledRecord, releasedCancel, takeStaleEvents } from '../transitions';
import { drainOutboxes, type OutboxClaim } from './drain-outbox';

export interface ReconcileOptions {
  /** Finished tasks expire this many days after they end (DynamoDB TTL). */
  readonly retentionDays: number;
  /**
   * How long the writer of a record may still be acting on it (longer than any function's timeout):
   * a CANCELLING task whose SQS cancel has not landed by then, or an outbox not drained by then, is
   * taken over by the reconciler.
   */
  readonly inFlightGraceSeconds: number;
  /** Queue ARN patterns (exact, or a name prefix ending in `*`) watched for tasks started elsewhere. */
  readonly discoveryQueues: readonly string[];
}

export interface ReconcileSummary {
  active: number;
  queues: number;
  written: number;
  adopted: number;
  cancelsReissued: number;
  /** re-issued cancels SQS refused for good: given back to RUNNING with lastCancelError */
  cancelsReleased: number;
  /** active records of queues SQS says no longer exist, settled as FAILED */
  queueGone: number;
  unmatched: number;
  redrained: number;
  eventsSent: number;
  /** selective tasks whose mover lease had lapsed (a crash, a timeout, a lost hand-on): the mover was invoked again */
  moversInvoked: number;
  errors: number;
}

/** ListMessageMoveTasks answers at most 10, newest first. */
const SQS_LIST_MAX = 10;
const QUEUE_CONCURRENCY = 4;
const MAX_REDRAINS_PER_RUN = 100;
/** Per prefix pattern: one ListMessageMoveTasks each, every run. */
const MAX_DISCOVERED_QUEUES = 1000;
export const QUEUE_GONE_REASON = 'source queue no longer exists';
/**
 * SQS says "does not exist or you do not have access to it" alike: a task is settled FAILED only once
 * its queue has been reported missing and nothing has written the task for this long. An active task
 * SQS no longer lists is an error once untouched for as long.
 */
export const QUEUE_GONE_GRACE_MS = 30 * 60_000;

/**
 * Brings every active record in step with SQS. Cost: one index query for active tasks, one for
 * stale outboxes, one ListMessageMoveTasks per queue with active tasks or watched for discovery, and
 * writes only for what changed: nothing grows with the table's history. Every write is conditional
 * on the version read, so of two overlapping reconcilers one makes each transition and sends its event.
 */
export async function reconcileTasks(deps: ControllerDependencies, options: ReconcileOptions): Promise<ReconcileSummary> {
  const now = deps.clock.now();
  const graceCutoff = new Date(now.getTime() - options.inFlightGraceSeconds * 1000).toISOString();
  const summary: ReconcileSummary = { active: 0, queues: 0, written: 0, adopted: 0, cancelsReissued: 0, cancelsReleased: 0, queueGone: 0, unmatched: 0, redrained: 0, eventsSent: 0, moversInvoked: 0, errors: 0 };

  const [active, stale, watched] = await Promise.all([
    deps.store.listActive(),
    deps.store.listStaleOutboxes(graceCutoff, MAX_REDRAINS_PER_RUN),
    discoveryQueues(deps, options.discoveryQueues).catch((error: unknown) => {
      summary.errors += 1;
      deps.log.error('could not list the queues watched for discovery', { error: String(error) });
      return [] as string[];
    }),
  ]);
  summary.active = active.length;
  // the controller's own mover runs selective tasks: SQS does not know them; a lapsed lease is re-driven
  const selective = active.filter((record) => record.kind === 'selective');
  await Promise.all(selective.map((record) => redriveMover(deps, record, now, summary)));
  const byQueue = new Map<string, TaskRecord[]>();
  for (const record of active.filter((candidate) => candidate.kind !== 'selective')) byQueue.set(record.sourceArn, [...(byQueue.get(record.sourceArn) ?? []), record]);
  for (const queue of watched) if (!byQueue.has(queue)) byQueue.set(queue, []);
  summary.queues = byQueue.size;

  const written: OutboxClaim[] = [];
  await forEachLimited([...byQueue], QUEUE_CONCURRENCY, async ([queue, records]) => {
    let entries: MoveTaskSummary[];
    try {
      entries = await deps.sqs.list(queue, SQS_LIST_MAX);
    } catch (error) {
      if (error instanceof SqsError && error.isCallerFault && isNoSuchQueue(error)) {
        // a deleted queue's tasks can never finish: without this they would stay active, and unexpired, forever
        deps.log.warn('source queue no longer exists; its active tasks are settled as FAILED', { sourceArn: queue, tasks: records.length });
        for (const record of records) {
          if (now.getTime() - Date.parse(record.updatedAt) < QUEUE_GONE_GRACE_MS) {
            // counted as an error, so the reconciler's alarm speaks while the grace runs
            summary.errors += 1;
            deps.log.error('source queue reported missing; its task is settled FAILED if that lasts', { taskId: record.taskId, sourceArn: queue });
            continue;
          }
          try {
            const claim = await settleGone(deps, record, options, now, graceCutoff);
            if (claim) {
              summary.queueGone += 1;
              summary.written += 1;
              written.push(claim);
            }
          } catch (settleError) {
            summary.errors += 1;
            deps.log.error('could not settle a task of a deleted queue', { taskId: record.taskId, error: String(settleError) });
          }
        }
        return;
      }
      summary.errors += 1;
      deps.log.error('could not list the move tasks of a queue', { sourceArn: queue, error: String(error) });
      return;
    }
    const matched = new Set<MoveTaskSummary>();
    for (const record of records) {
      const entry = matchMoveTask(record, entries.filter((candidate) => !matched.has(candidate)));
      if (!entry) {
        summary.unmatched += 1;
        // a moment after a start SQS may not list the task yet; long after, the record can no longer
        // be brought in step, and a person should look: counted as an error, so the alarm speaks
        const stale = now.getTime() - Date.parse(record.updatedAt) >= QUEUE_GONE_GRACE_MS;
        if (stale) summary.errors += 1;
        (stale ? deps.log.error : deps.log.warn)('active task not among its queue\'s newest move tasks; left as recorded', { taskId: record.taskId, sourceArn: queue });
        continue;
      }
      matched.add(entry);
      try {
        const claim = await settle(deps, record, entry, options, now, graceCutoff, summary);
        if (claim) written.push(claim);
      } catch (error) {
        summary.errors += 1;
        deps.log.error('could not settle a task', { taskId: record.taskId, error: String(error) });
      }
    }
    for (const entry of entries) {
      if (entry.status !== TaskStatus.RUNNING || !entry.taskHandle || matched.has(entry)) continue;
      const handle = tryParseTaskHandle(entry.taskHandle);
      if (!handle || !deps.scope.isManaged(entry.sourceArn)) continue;
      try {
        const record = adoptedRecord(handle.taskId, entry, now.toISOString());
        if (await deps.store.create(record)) {
          summary.adopted += 1;
          written.push({ record, eventIds: (record.outbox ?? []).map((event) => event.id) });
        }
      } catch (error) {
        summary.errors += 1;
        deps.log.error('could not adopt a task', { taskId: handle.taskId, error: String(error) });
      }
    }
  });

  // outboxes nobody drained within the grace (a crash after the write): taken on with one
  // conditional write, so of overlapping reconcilers only one sends them
  const mine = new Set(written.map((claim) => claim.record.taskId));
  for (const record of stale) {
    if (mine.has(record.taskId)) continue;
    const { record: taken, taken: eventIds } = takeStaleEvents({ ...record, version: record.version + 1 }, graceCutoff, now.toISOString());
    if (eventIds.length === 0) continue;
    try {
      if (await deps.store.replace(record, taken)) {
        summary.redrained += eventIds.length;
        written.push({ record: taken, eventIds });
      }
    } catch (error) {
      summary.errors += 1;
      deps.log.error('could not take on a stale outbox', { taskId: record.taskId, error: String(error) });
    }
  }

  try {
    summary.eventsSent = await drainOutboxes(deps, written);
  } catch (error) {
    summary.errors += 1;
    deps.log.error('events left in the outbox for the next run', { error: String(error) });
  }
  return summary;
}

/** Invokes the mover for a selective task nobody holds (no lease, or one that lapsed). */
async function redriveMover(deps: ControllerDependencies, record: TaskRecord, now: Date, summary: ReconcileSummary): Promise<void> {
  if (record.leaseExpiresAt !== undefined && record.leaseExpiresAt > now.toISOString()) return;
  if (!deps.mover) {
    summary.errors += 1;
    deps.log.error('selective task without a mover to run it', { taskId: record.taskId });
    return;
  }
  try {
    await deps.mover.invoke(record.taskId);
    summary.moversInvoked += 1;
  } catch (error) {
    summary.errors += 1;
    deps.log.error('could not invoke the mover for a selective task', { taskId: record.taskId, error: String(error) });
  }
}

/** One record against SQS's entry: at most one conditional write, and a re-issued cancel when due. */
async function settle(
  deps: ControllerDependencies,
  record: TaskRecord,
  entry: MoveTaskSummary,
  options: ReconcileOptions,
  now: Date,
  graceCutoff: string,
  summary: ReconcileSummary,
): Promise<OutboxClaim | undefined> {
  // a CANCELLING task SQS still runs: the cancel never reached SQS (a crash between the claim and
  // the call); the intent was to cancel, so the cancel is re-issued once the claimer's grace is over
  const reissue =
    record.status === TaskStatus.CANCELLING && entry.status === TaskStatus.RUNNING && entry.taskHandle !== undefined &&
    (record.cancelRequestedAt ?? record.updatedAt) < graceCutoff;
  const at = now.toISOString();
  const reconciled = reconciledRecord(record, entry, now, options.retentionDays);
  const before = new Set((record.outbox ?? []).map((event) => event.id));
  const { record: next, taken } = takeStaleEvents(reconciled ?? nextRecord(record, {}, at), graceCutoff, at);
  if (!reconciled && !reissue && taken.length === 0) return undefined;
  // the write decides who acts: of overlapping reconcilers only the winner cancels and sends events
  if (!(await deps.store.replace(record, next))) return undefined;
  summary.written += 1;
  if (reissue) {
    try {
      await deps.sqs.cancel(entry.taskHandle!);
      summary.cancelsReissued += 1;
      deps.log.warn('re-issued a cancel that never reached SQS', { taskId: record.taskId, cancelRequestedAt: record.cancelRequestedAt });
    } catch (error) {
      summary.errors += 1;
      if (error instanceof SqsError && error.isCallerFault && !isThrottling(error)) {
        // SQS refuses it for good (AccessDenied, KMS...): retrying every run would never settle the
        // record, and nobody could cancel it again; give it back with the reason instead
        const { record: released, withdrawn } = releasedCancel(next, `re-issued cancel at ${at} failed: ${error.code}: ${error.message}`, at);
        if (await deps.store.replace(next, released)) {
          summary.cancelsReleased += 1;
          deps.log.error('re-issued cancel refused by SQS; the task is RUNNING again with lastCancelError', { taskId: record.taskId, error: String(error) });
          const added = (released.outbox ?? []).filter((event) => !before.has(event.id)).map((event) => event.id);
          return { record: released, eventIds: [...added, ...taken].filter((id) => !withdrawn.includes(id)) };
        }
      }
      deps.log.error('re-issued cancel failed; the next run tries again', { taskId: record.taskId, error: String(error) });
    }
  }
  const added = (next.outbox ?? []).filter((event) => !before.has(event.id)).map((event) => event.id);
  return { record: next, eventIds: [...added, ...taken] };
}

/** An active record of a queue that no longer exists: FAILED, like any final transition. */
async function settleGone(deps: ControllerDependencies, record: TaskRecord, options: ReconcileOptions, now: Date, graceCutoff: string): Promise<OutboxClaim | undefined> {
  const at = now.toISOString();
  const before = new Set((record.outbox ?? []).map((event) => event.id));
  const failed = finishedRecord(record, { status: TaskStatus.FAILED, failureReason: QUEUE_GONE_REASON }, now, options.retentionDays);
  const { record: next, taken } = takeStaleEvents(failed, graceCutoff, at);
  if (!(await deps.store.replace(record, next))) return undefined;
  const added = (next.outbox ?? []).filter((event) => !before.has(event.id)).map((event) => event.id);
  return { record: next, eventIds: [...added, ...taken] };
}

/** Exact ARNs as they are; prefix patterns through ListQueues; only queues this deployment manages. */
async function discoveryQueues(deps: ControllerDependencies, patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (!pattern.endsWith('*')) {
      found.add(pattern);
      continue;
    }
    // arn:<partition>:sqs:<region>:<account>:<name prefix>*: ListQueues answers names of this account and region
    const prefix = pattern.slice(0, -1);
    const arnBase = prefix.slice(0, prefix.lastIndexOf(':') + 1);
    const { queues, truncated } = await deps.sqs.listQueues({ namePrefix: prefix.slice(arnBase.length), limit: MAX_DISCOVERED_QUEUES });
    if (truncated) deps.log.warn('more queues match than discovery watches; narrow DISCOVERY_QUEUES', { pattern, watched: MAX_DISCOVERED_QUEUES });
    for (const queue of queues) {
      const arn = `${arnBase}${queue.queueName}`;
      if (arnBase.endsWith(`:${queue.accountId}:`) && matchesQueuePattern(arn, pattern)) found.add(arn);
    }
  }
  return [...found].filter((arn) => deps.scope.isManaged(arn));
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
