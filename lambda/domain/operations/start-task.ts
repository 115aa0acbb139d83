// adapter --> startTask --> SQS StartMessageMoveTask, then the task table
import type { ControllerDependencies } from '../ports';
import type { StartRequest } from '../requests';
import type { Actor, TaskRecord } from '../task-record';
import { parseTaskHandle } from '../task-handle';
import { TaskStatus } from '../task-status';
import { createHash } from 'node:crypto';

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

  const { taskHandle } = await deps.sqs.start({
    source: request.source,
    ...(request.destination ? { destination: request.destination } : {}),
    ...(request.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond }),
  });
  const taskId = taskIdOf(taskHandle);
  const now = deps.clock.now().toISOString();
  const record: TaskRecord = {
    taskId,
    taskHandle,
    sourceArn: request.source.arn,
    ...(request.destination ? { destinationArn: request.destination.arn } : {}),
    ...(request.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: request.maxNumberOfMessagesPerSecond }),
    status: TaskStatus.RUNNING,
    approximateNumberOfMessagesMoved: 0,
    createdAt: now,
    updatedAt: now,
    startedBy: actor.by,
    ...(actor.reason === undefined ? {} : { startReason: actor.reason }),
    origin: actor.origin,
    version: 1,
  };
  try {
    await deps.store.create(record);
  } catch (error) {
    // SQS already runs the task: failing the call would invite a retry SQS refuses. The reconciler
    // adopts unrecorded tasks, so the record catches up; the who and why are kept in this log line.
    deps.log.error('task started but not recorded', { taskId, sourceArn: record.sourceArn, startedBy: actor.by, startReason: actor.reason, error: String(error) });
  }
  return { taskHandle, taskId };
}

/** SQS's handles carry the task id; should one ever not, a digest of the handle still names it uniquely. */
function taskIdOf(taskHandle: string): string {
  try {
    return parseTaskHandle(taskHandle).taskId;
  } catch {
    return `h-${createHash('sha256').update(taskHandle).digest('hex').slice(0, 32)}`;
  }
}
