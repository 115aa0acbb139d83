// adapter --> startSelectiveTask --> one-active-task check (task table + SQS) --> task table --> events --> mover (async invoke)
import { randomUUID } from 'node:crypto';

import { recordedSelection } from '../message-selection';
import type { ControllerDependencies, MoverInvoker } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { TaskEventType } from '../task-event';
import { encodeTaskHandle } from '../task-handle';
import { type Actor, isMoverTask, type TaskRecord } from '../task-record';
import { isActive, TaskStatus } from '../task-status';
import { withEvent } from '../transitions';
import { ALREADY_RUNNING } from './already-running';
import { archiveReplayHolding } from './beside-archive-replay';
import { checkArchiveQueues } from './check-archive-queues';
import { checkReplayQueues } from './check-replay-queues';
import { checkSelectiveQueues } from './check-selective-queues';
import { drainOutboxes } from './drain-outbox';
import { recordedReplaySource, type ReplaySource } from './replay-source';
import { takeSourceClaim } from './source-claim';
import type { StartResult } from './start-task';

export { ALREADY_RUNNING };

/** An archive task (API.md section 12): what matches goes to the archive bucket; with `delete`, then out of the DLQ. */
export interface ArchiveOptions {
  readonly delete: boolean;
  /** archiveBeforeExpiry: may run beside an active replay from the archive, which keeps the DLQ's claim (beside-archive-replay.ts) */
  readonly besideArchiveReplay?: true;
}

/**
 * Starts a selective task: the controller's mover moves only what matches (API.md section 7), or,
 * with `archive`, writes it to the archive (section 12). The handle has SQS's format, so cancel, list
 * and events treat it like SQS's own tasks.
 */
export async function startSelectiveTask(deps: ControllerDependencies, request: StartRequest, actor: Actor, replay?: ReplaySource, archive?: ArchiveOptions): Promise<StartResult> {
  const mover = requireMover(deps);
  if (archive && !deps.archive) throw new SqsError('UnsupportedOperation', 'Archiving is not available in this deployment: it has no archive bucket');
  deps.scope.checkSource(request.source, 'SourceArn');
  if (request.destination) deps.scope.checkDestination(request.destination, 'DestinationArn');
  // a replay (API.md section 11) is the same mover with each message routed to where it failed
  if (replay) await checkReplayQueues(deps, request);
  // an archive also takes a Lambda or EventBridge DLQ, which no SQS redrive policy names
  else if (archive) await checkArchiveQueues(deps, request);
  else await checkSelectiveQueues(deps, request);
  const replaying = archive?.besideArchiveReplay ? await archiveReplayHolding(deps, request.source.arn) : undefined;
  await refuseIfActive(deps, request.source.arn, replaying?.taskId);

  const taskId = randomUUID();
  // the check above is a query: two starts in one instant both pass it; the claim lets one through
  // (beside a replay from the archive, that replay keeps the claim: it refuses everyone else)
  if (!replaying && !(await takeSourceClaim(deps, request.source.arn, taskId, 'selective'))) throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);
  const taskHandle = encodeTaskHandle(taskId, request.source.arn);
  const now = deps.clock.now();
  const at = now.toISOString();
  const selection = request.selection ?? {};
  const record: TaskRecord = withEvent({
    taskId,
    taskHandle,
    kind: replay ? 'replay' : archive ? 'archive' : 'selective',
    ...(archive?.delete ? { deleteAfterArchive: true } : {}),
    sourceArn: request.source.arn,
    ...(request.destination ? { destinationArn: request.destination.arn } : {}),
    ...(replay && request.targetDestination ? { destinationArn: request.targetDestination.arn } : {}),
    ...(replay ? recordedReplaySource(replay) : {}),
    ...(request.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond }),
    ...recordedSelection(selection),
    ...startedRunning(now),
    startedBy: actor.by,
    ...(actor.reason === undefined ? {} : { startReason: actor.reason }),
    origin: actor.origin,
    ...(actor.force ? { force: true } : {}),
    version: 1,
  }, TaskEventType.Started, at);
  if (!(await deps.store.create(record))) throw new SqsError('InternalFailure', `task id ${taskId} is already recorded`, 500);
  await drainOutboxes(deps, [{ record, eventIds: (record.outbox ?? []).map((event) => event.id) }]).catch((error: unknown) => {
    deps.log.warn('task started; its event is left in the outbox for the reconciler', { taskId, error: String(error) });
  });
  await mover.invoke(taskId).catch((error: unknown) => {
    // recorded without a lease: the reconciler's next run invokes the mover
    deps.log.warn('selective task recorded but the mover was not invoked; the reconciler re-drives it', { taskId, error: String(error) });
  });
  return { taskHandle, taskId };
}

/** A mover task's state as it starts at `now`: RUNNING, nothing moved, skipped or unroutable yet. */
export function startedRunning(now: Date): Pick<TaskRecord, 'status' | 'approximateNumberOfMessagesMoved' | 'numberOfMessagesSkipped' | 'numberOfMessagesUnroutable' | 'startedTimestamp' | 'createdAt' | 'updatedAt'> {
  const at = now.toISOString();
  return {
    status: TaskStatus.RUNNING,
    approximateNumberOfMessagesMoved: 0,
    numberOfMessagesSkipped: 0,
    numberOfMessagesUnroutable: 0,
    startedTimestamp: now.getTime(),
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * One active task per DLQ across both kinds: the table's selective record and SQS's newest task (a
 * native record's status follows SQS's only at the reconciler's next run, so SQS is asked).
 * `besideTaskId`: the one active task a start may run beside (an expiry archive beside a replay from the archive).
 */
export async function refuseIfActive(deps: Pick<ControllerDependencies, 'store' | 'sqs'>, sourceArn: string, besideTaskId?: string): Promise<void> {
  const [recorded, [newest]] = await Promise.all([deps.store.findActiveTask(sourceArn), deps.sqs.list(sourceArn, 1)]);
  if ((isMoverTask(recorded) && isActive(recorded!.status) && recorded!.taskId !== besideTaskId) || (newest && isActive(newest.status))) {
    throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);
  }
}

function requireMover(deps: ControllerDependencies): MoverInvoker {
  if (!deps.mover || !deps.messages || !deps.holds) {
    throw new SqsError('UnsupportedOperation', 'Selective redrive (FilterPolicy, SentAfter, SentBefore, MaxMessages) is not available in this deployment');
  }
  return deps.mover;
}
