// POST /archives/{taskId}/replay --> startArchiveReplay --> the archive task (task table) --> the DLQ's claim --> an archive-replay
//   task record --> events --> mover (async invoke), which reads the archive's objects (runArchiveReplaySlice)
import { randomUUID } from 'node:crypto';

import { parseArchiveReplayRequest } from '../archive/archive-replay-request';
import { offersArchive } from '../archive/offered-archive';
import { isFifoQueueArn } from '../dlq-message';
import { recordedSelection } from '../message-selection';
import type { ControllerDependencies } from '../ports';
import type { Params } from '../requests';
import { SqsError } from '../sqs-error';
import { TaskEventType } from '../task-event';
import { encodeTaskHandle } from '../task-handle';
import { type Actor, type TaskRecord, writesArchive } from '../task-record';
import { withEvent } from '../transitions';
import { checkRecoveryPause } from './check-recovery-pause';
import { MIXED_QUEUE_TYPES, noSuchQueue } from './check-selective-queues';
import { drainOutboxes } from './drain-outbox';
import { getTask } from './read-tasks';
import { takeSourceClaim } from './source-claim';
import { ALREADY_RUNNING, refuseIfActive, startedRunning } from './start-selective-task';
import type { StartResult } from './start-task';

/**
 * Starts a replay of one archive (API.md section 12): the mover reads the archive task's objects and
 * sends each selected message to DestinationArn, or to the queue it failed in; the archive is not
 * changed. The task's SourceArn is the archive's DLQ and it is that DLQ's one active task: a redrive
 * of the same DLQ at the same time could send the same dead letters twice (a copy-mode archive left
 * them there).
 */
export async function startArchiveReplay(deps: ControllerDependencies, archiveTaskId: string, params: Params, actor: Actor): Promise<StartResult> {
  const archive = await getTask(deps, archiveTaskId);
  if (!writesArchive(archive)) throw new SqsError('InvalidParameterValue', `Task ${archiveTaskId} is no archive (its Kind is ${archive.kind ?? 'native'}): only archives, edits and discards can be replayed`);
  if (!offersArchive(archive)) {
    throw new SqsError('InvalidParameterValue', `Archive ${archiveTaskId} holds no message: its task ended ${archive.status} without archiving one${archive.failureReason ? ` (${archive.failureReason})` : ''}, and any message it touched is still in the DLQ; nothing to replay`);
  }
  if (!deps.archive) throw new SqsError('UnsupportedOperation', 'This deployment has no archive bucket');
  if (!deps.mover || !deps.messages || !deps.holds) throw new SqsError('UnsupportedOperation', 'Replaying from the archive needs the mover, which this deployment does not have');
  const request = parseArchiveReplayRequest(params, archive.sourceArn);
  const { source, destination } = request;
  deps.scope.checkSource(source, 'the archive\'s QueueArn');
  if (destination) {
    deps.scope.checkDestination(destination, 'DestinationArn');
    if (isFifoQueueArn(destination.arn) !== isFifoQueueArn(source.arn)) throw new SqsError('InvalidParameterValue', MIXED_QUEUE_TYPES);
    if (deps.dlqs && !(await (await deps.dlqs()).sampler.queueUrl(destination.queueName))) throw new SqsError('ResourceNotFoundException', noSuchQueue('DestinationArn'));
  }
  // the parsed request's Force (true or "true"): what bypasses the recovery pause is what the record says
  const force = request.force === true || actor.force === true;
  await checkRecoveryPause(deps, source, force);
  await refuseIfActive(deps, source.arn);

  const taskId = randomUUID();
  if (!(await takeSourceClaim(deps, source.arn, taskId, 'selective'))) throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);
  const taskHandle = encodeTaskHandle(taskId, source.arn);
  const now = deps.clock.now();
  const selection = request.selection ?? {};
  const record: TaskRecord = withEvent({
    taskId,
    taskHandle,
    kind: 'archive-replay',
    archiveTaskId: archive.taskId,
    sourceArn: source.arn,
    ...(destination ? { destinationArn: destination.arn } : {}),
    ...(request.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond }),
    ...recordedSelection(selection),
    ...startedRunning(now),
    startedBy: actor.by,
    ...(actor.reason === undefined ? {} : { startReason: actor.reason }),
    origin: actor.origin,
    ...(force ? { force: true } : {}),
    version: 1,
  }, TaskEventType.Started, now.toISOString());
  if (!(await deps.store.create(record))) throw new SqsError('InternalFailure', `task id ${taskId} is already recorded`, 500);
  await drainOutboxes(deps, [{ record, eventIds: (record.outbox ?? []).map((event) => event.id) }]).catch((error: unknown) => {
    deps.log.warn('replay from the archive started; its event is left in the outbox for the reconciler', { taskId, error: String(error) });
  });
  await deps.mover.invoke(taskId).catch((error: unknown) => {
    deps.log.warn('replay from the archive recorded but the mover was not invoked; the reconciler re-drives it', { taskId, error: String(error) });
  });
  return { taskHandle, taskId };
}
