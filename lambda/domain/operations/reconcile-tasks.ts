// schedule --> reconcileTasks --> task table (active index) + SQS ListMessageMoveTasks per queue --> conditional writes --> events
import { inParallel } from '../in-parallel';
import { matchMoveTask } from '../match-move-task';
import { isMoverKind } from '../mover/mover-kind';
import type { ControllerDependencies, MoveTaskSummary } from '../ports';
import { isNoSuchQueue, isThrottling, SqsError } from '../sqs-error';
import { tryParseTaskHandle } from '../task-handle';
import type { TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';
import { addedEventIds, adoptedRecord, finishedRecord, nextRecord, reconciledRecord, releasedCancel, takeStaleEvents } from '../transitions';
import { drainOutboxes, type OutboxClaim } from './drain-outbox';
import { findQueues } from './find-queues';

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

/** One run: its clock reading, what it counted, and the events its writes took on (sent at the end). */
interface Run {
  readonly deps: ControllerDependencies;
  readonly options: ReconcileOptions;
  readonly now: Date;
  readonly at: string;
  /** writes and outbox entries older than this are no longer their author's to finish */
  readonly graceCutoff: string;
  readonly summary: ReconcileSummary;
  readonly claims: OutboxClaim[];
}

/**
 * Brings every active record in step with SQS. Cost: one index query for active tasks, one for
 * stale outboxes, one ListMessageMoveTasks per queue with active tasks or watched for discovery, and
 * writes only for what changed: nothing grows with the table's history. Every write is conditional
 * on the version read, so of two overlapping reconcilers one makes each transition and sends its event.
 */
export async function reconcileTasks(deps: ControllerDependencies, options: ReconcileOptions): Promise<ReconcileSummary> {
  const now = deps.clock.now();
  const run: Run = {
    deps,
    options,
    now,
    at: now.toISOString(),
    graceCutoff: new Date(now.getTime() - options.inFlightGraceSeconds * 1000).toISOString(),
    summary: { active: 0, queues: 0, written: 0, adopted: 0, cancelsReissued: 0, cancelsReleased: 0, queueGone: 0, unmatched: 0, redrained: 0, eventsSent: 0, moversInvoked: 0, errors: 0 },
    claims: [],
  };
  const [active, stale, watched] = await Promise.all([
    deps.store.listActive(),
    deps.store.listStaleOutboxes(run.graceCutoff, MAX_REDRAINS_PER_RUN),
    attempt(run, 'could not list the queues watched for discovery', {}, () => discoveryQueues(deps, options.discoveryQueues)),
  ]);
  // the controller's own mover runs selective tasks: SQS does not know them; a lapsed lease is re-driven
  const selective = active.filter((record) => isMoverKind(record.kind));
  await Promise.all(selective.map((record) => redriveMover(deps, record, now, run.summary)));
  const byQueue = new Map<string, TaskRecord[]>();
  for (const record of active.filter((candidate) => !isMoverKind(candidate.kind))) byQueue.set(record.sourceArn, [...(byQueue.get(record.sourceArn) ?? []), record]);
  for (const queue of watched ?? []) if (!byQueue.has(queue)) byQueue.set(queue, []);
  run.summary.active = active.length;
  run.summary.queues = byQueue.size;

  await inParallel([...byQueue], QUEUE_CONCURRENCY, ([queue, records]) => reconcileQueue(run, queue, records));
  await takeOnStaleOutboxes(run, stale);
  run.summary.eventsSent = (await attempt(run, 'events left in the outbox for the next run', {}, () => drainOutboxes(deps, run.claims))) ?? 0;
  return run.summary;
}

/** Step 1, per queue: SQS's newest tasks against the queue's active records; adopts tasks started elsewhere. */
async function reconcileQueue(run: Run, queue: string, records: readonly TaskRecord[]): Promise<void> {
  const { deps, summary } = run;
  let entries: MoveTaskSummary[];
  try {
    entries = await deps.sqs.list(queue, SQS_LIST_MAX);
  } catch (error) {
    if (error instanceof SqsError && error.isCallerFault && isNoSuchQueue(error)) return settleQueueGone(run, queue, records);
    fail(run, 'could not list the move tasks of a queue', { sourceArn: queue }, error);
    return;
  }
  const matched = new Set<MoveTaskSummary>();
  for (const record of records) {
    const entry = matchMoveTask(record, entries.filter((candidate) => !matched.has(candidate)));
    if (!entry) {
      summary.unmatched += 1;
      // a moment after a start SQS may not list the task yet; long after, the record can no longer
      // be brought in step, and a person should look: counted as an error, so the alarm speaks
      const stale = isUntouchedForGrace(run, record);
      if (stale) summary.errors += 1;
      (stale ? deps.log.error : deps.log.warn)('active task not among its queue\'s newest move tasks; left as recorded', { taskId: record.taskId, sourceArn: queue });
      continue;
    }
    matched.add(entry);
    await attempt(run, 'could not settle a task', { taskId: record.taskId }, () => settle(run, record, entry));
  }
  for (const entry of entries) {
    if (entry.status !== TaskStatus.RUNNING || !entry.taskHandle || matched.has(entry)) continue;
    const handle = tryParseTaskHandle(entry.taskHandle);
    if (!handle || !deps.scope.isManaged(entry.sourceArn)) continue;
    await attempt(run, 'could not adopt a task', { taskId: handle.taskId }, async () => {
      const record = adoptedRecord(handle.taskId, entry, run.at);
      if (!(await deps.store.create(record))) return;
      summary.adopted += 1;
      run.claims.push({ record, eventIds: addedEventIds(undefined, record) });
    });
  }
}

/** A queue SQS reports missing: a deleted queue's tasks can never finish, so they settle FAILED after the grace. */
async function settleQueueGone(run: Run, queue: string, records: readonly TaskRecord[]): Promise<void> {
  const { deps, summary } = run;
  // without this they would stay active, and unexpired, forever
  deps.log.warn('source queue no longer exists; its active tasks are settled as FAILED', { sourceArn: queue, tasks: records.length });
  for (const record of records) {
    if (!isUntouchedForGrace(run, record)) {
      // counted as an error, so the reconciler's alarm speaks while the grace runs
      summary.errors += 1;
      deps.log.error('source queue reported missing; its task is settled FAILED if that lasts', { taskId: record.taskId, sourceArn: queue });
      continue;
    }
    await attempt(run, 'could not settle a task of a deleted queue', { taskId: record.taskId }, async () => {
      const failed = finishedRecord(record, { status: TaskStatus.FAILED, failureReason: QUEUE_GONE_REASON }, run.now, run.options.retentionDays);
      if (await write(run, record, failed)) summary.queueGone += 1;
    });
  }
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
async function settle(run: Run, record: TaskRecord, entry: MoveTaskSummary): Promise<void> {
  const { deps, summary, at } = run;
  // a CANCELLING task SQS still runs: the cancel never reached SQS (a crash between the claim and
  // the call); the intent was to cancel, so the cancel is re-issued once the claimer's grace is over
  const reissue =
    record.status === TaskStatus.CANCELLING && entry.status === TaskStatus.RUNNING && entry.taskHandle !== undefined &&
    (record.cancelRequestedAt ?? record.updatedAt) < run.graceCutoff;
  const reconciled = reconciledRecord(record, entry, run.now, run.options.retentionDays);
  if (!reconciled && !reissue && !hasStaleEvents(run, record)) return;
  // the write decides who acts: of overlapping reconcilers only the winner cancels and sends events
  const written = await write(run, record, reconciled ?? nextRecord(record, {}, at), { claim: !reissue });
  if (!written || !reissue) return;
  try {
    await deps.sqs.cancel(entry.taskHandle!);
    summary.cancelsReissued += 1;
    deps.log.warn('re-issued a cancel that never reached SQS', { taskId: record.taskId, cancelRequestedAt: record.cancelRequestedAt });
  } catch (error) {
    summary.errors += 1;
    if (error instanceof SqsError && error.isCallerFault && !isThrottling(error)) {
      // SQS refuses it for good (AccessDenied, KMS...): retrying every run would never settle the
      // record, and nobody could cancel it again; give it back with the reason instead
      const { record: released } = releasedCancel(written.record, `re-issued cancel at ${at} failed: ${error.code}: ${error.message}`, at);
      if (await deps.store.replace(written.record, released)) {
        summary.cancelsReleased += 1;
        deps.log.error('re-issued cancel refused by SQS; the task is RUNNING again with lastCancelError', { taskId: record.taskId, error: String(error) });
        run.claims.push(claimOf(record, released, written.taken));
        return;
      }
    }
    deps.log.error('re-issued cancel failed; the next run tries again', { taskId: record.taskId, error: String(error) });
  }
  run.claims.push(claimOf(record, written.record, written.taken));
}

/** Step 2: outboxes nobody drained within the grace (a crash after the write), taken on with one conditional write each. */
async function takeOnStaleOutboxes(run: Run, stale: readonly TaskRecord[]): Promise<void> {
  // records this run wrote already took their stale events on
  const mine = new Set(run.claims.map((claim) => claim.record.taskId));
  for (const record of stale) {
    if (mine.has(record.taskId) || !hasStaleEvents(run, record)) continue;
    await attempt(run, 'could not take on a stale outbox', { taskId: record.taskId }, async () => {
      const written = await write(run, record, { ...record, version: record.version + 1 }, { counted: false });
      if (written) run.summary.redrained += written.taken.length;
    });
  }
}

/**
 * One conditional write of `next` over `record`, taking on the stale events of `next`'s outbox.
 * Answers what was written, or undefined when another writer came first; with `claim` (the default)
 * the write's events join the run's claims, to be sent at the end.
 */
async function write(
  run: Run,
  record: TaskRecord,
  next: TaskRecord,
  { claim = true, counted = true }: { claim?: boolean; counted?: boolean } = {},
): Promise<{ record: TaskRecord; taken: string[] } | undefined> {
  const { record: written, taken } = takeStaleEvents(next, run.graceCutoff, run.at);
  if (!(await run.deps.store.replace(record, written))) return undefined;
  if (counted) run.summary.written += 1;
  if (claim) run.claims.push(claimOf(record, written, taken));
  return { record: written, taken };
}

/** The events a write claims: those it added (`addedEventIds`) and the stale ones it took on, if still there. */
function claimOf(before: TaskRecord, after: TaskRecord, taken: readonly string[]): OutboxClaim {
  const present = new Set((after.outbox ?? []).map((event) => event.id));
  return { record: after, eventIds: [...addedEventIds(before, after), ...taken.filter((id) => present.has(id))] };
}

function hasStaleEvents(run: Run, record: TaskRecord): boolean {
  return (record.outbox ?? []).some((event) => event.takenAt < run.graceCutoff);
}

function isUntouchedForGrace(run: Run, record: TaskRecord): boolean {
  return run.now.getTime() - Date.parse(record.updatedAt) >= QUEUE_GONE_GRACE_MS;
}

/** Runs one step; a failure is counted and logged, and the run goes on with the next. */
async function attempt<T>(run: Run, message: string, details: Record<string, unknown>, step: () => Promise<T>): Promise<T | undefined> {
  try {
    return await step();
  } catch (error) {
    fail(run, message, details, error);
    return undefined;
  }
}

function fail(run: Run, message: string, details: Record<string, unknown>, error: unknown): void {
  run.summary.errors += 1;
  run.deps.log.error(message, { ...details, error: String(error) });
}

/** Exact ARNs as they are; prefix patterns through ListQueues; only queues this deployment manages. */
async function discoveryQueues(deps: ControllerDependencies, patterns: readonly string[]): Promise<string[]> {
  const exact = patterns.filter((pattern) => !pattern.endsWith('*'));
  const prefixes = patterns.filter((pattern) => pattern.endsWith('*'));
  const found = prefixes.length === 0 ? { queues: [], truncated: false } : await findQueues(deps, prefixes, MAX_DISCOVERED_QUEUES);
  if (found.truncated) deps.log.warn('more queues match than discovery watches; narrow DISCOVERY_QUEUES', { patterns: prefixes, watched: MAX_DISCOVERED_QUEUES });
  return [...new Set([...exact, ...found.queues.map((queue) => queue.queueArn)])].filter((arn) => deps.scope.isManaged(arn));
}
