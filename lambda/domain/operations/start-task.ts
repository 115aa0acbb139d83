// adapter --> startTask --> the DLQ's claim (task table) --> SQS StartMessageMoveTask (+ List for its StartedTimestamp) --> task table --> events
import { createHash, randomUUID } from 'node:crypto';

import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import { SqsError } from '../sqs-error';
import { TaskEventType } from '../task-event';
import { parseTaskHandle } from '../task-handle';
import type { Actor, TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';
import { addedEventIds, nextRecord, withEvent } from '../transitions';
import { ALREADY_RUNNING } from './already-running';
import { drainOutboxes } from './drain-outbox';
import { releaseSourceClaim, takeSourceClaim } from './source-claim';

export interface StartResult {
  readonly taskHandle: string;
  readonly taskId: string;
}

/**
 * Starts a redrive. SQS decides first (it refuses a second active task on a queue, or a queue that
 * is no DLQ); the record is written only for a task SQS accepted.
 */
export async function startTask(deps: ControllerDependencies, request: StartRequest, actor: Actor): Promise<StartResult> {
  deps.scope.checkSource(request.source, 'SourceArn');
  if (request.destination) deps.scope.checkDestination(request.destination, 'DestinationArn');
  // one active task per DLQ across both kinds: the DLQ's claim, which selective starts take too
  const claimId = randomUUID();
  if (!(await takeSourceClaim(deps, request.source.arn, claimId, 'native'))) throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);

  let taskHandle: string;
  try {
    ({ taskHandle } = await deps.sqs.start({
      source: request.source,
      ...(request.destination ? { destination: request.destination } : {}),
      ...(request.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond }),
    }));
  } catch (error) {
    // refused: no task began, so the DLQ is free at once; a lost answer (5xx) may have started one, and the claim stays
    if (error instanceof SqsError && error.status < 500) await releaseSourceClaim(deps, request.source.arn, claimId);
    throw error;
  }
  const taskId = taskIdOf(taskHandle);
  const startedTimestamp = await startedTimestampOf(deps, request.source.arn, taskHandle);
  const now = deps.clock.now().toISOString();
  const record: TaskRecord = withEvent({
    taskId,
    taskHandle,
    sourceArn: request.source.arn,
    ...(request.destination ? { destinationArn: request.destination.arn } : {}),
    ...(request.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond }),
    status: TaskStatus.RUNNING,
    approximateNumberOfMessagesMoved: 0,
    ...(startedTimestamp === undefined ? {} : { startedTimestamp }),
    createdAt: now,
    updatedAt: now,
    startedBy: actor.by,
    ...(actor.reason === undefined ? {} : { startReason: actor.reason }),
    origin: actor.origin,
    ...(actor.runId === undefined ? {} : { runId: actor.runId }),
    ...(actor.force ? { force: true } : {}),
    version: 1,
  }, TaskEventType.Started, now);
  try {
    if (await deps.store.create(record)) {
      await drainOutboxes(deps, [{ record, eventIds: addedEventIds(undefined, record) }]).catch((error: unknown) => {
        deps.log.warn('task started; its event is left in the outbox for the reconciler', { taskId, error: String(error) });
      });
    } else {
      await claimAdoptedRecord(deps, taskId, actor);
    }
  } catch (error) {
    // SQS already runs the task: failing the call would invite a retry SQS refuses. The reconciler
    // adopts unrecorded tasks on the queues it watches (DISCOVERY_QUEUES), and a cancel adopts any;
    // the who and why are kept in this log line.
    deps.log.error('task started but not recorded', { taskId, sourceArn: record.sourceArn, startedBy: actor.by, startReason: actor.reason, error: String(error) });
  }
  return { taskHandle, taskId };
}

/**
 * SQS's StartedTimestamp identifies the task in ListMessageMoveTasks once its handle is gone (a
 * finished task has none), so the record keeps it. Best effort: the reconciler fills it in too.
 */
async function startedTimestampOf(deps: ControllerDependencies, sourceArn: string, taskHandle: string): Promise<number | undefined> {
  try {
    const [newest] = await deps.sqs.list(sourceArn, 1);
    return newest?.taskHandle === taskHandle ? newest.startedTimestamp : undefined;
  } catch (error) {
    deps.log.warn('could not read the new task\'s StartedTimestamp; the reconciler reads it', { sourceArn, error: String(error) });
    return undefined;
  }
}

/** The reconciler adopted the task between SQS's answer and our write: the record gets its who and why. */
async function claimAdoptedRecord(deps: ControllerDependencies, taskId: string, actor: Actor): Promise<void> {
  const adopted = await deps.store.get(taskId);
  if (!adopted || adopted.origin !== 'adopted') return;
  await deps.store.replace(
    adopted,
    nextRecord(adopted, { startedBy: actor.by, startReason: actor.reason, origin: actor.origin }, deps.clock.now().toISOString()),
  );
}

/** SQS's handles carry the task id; should one ever not, a digest of the handle still names it uniquely. */
function taskIdOf(taskHandle: string): string {
  try {
    return parseTaskHandle(taskHandle).taskId;
  } catch {
    return `h-${createHash('sha256').update(taskHandle).digest('hex').slice(0, 32)}`;
  }
}
