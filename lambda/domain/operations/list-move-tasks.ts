// adapter --> listMoveTasks --> SQS ListMessageMoveTasks (always current) + the controller's selective tasks (task table), newest first
import { isMoverKind } from '../mover/mover-kind';
import type { ControllerDependencies, MoveTaskSummary } from '../ports';
import type { ListRequest } from '../requests';
import type { TaskRecord } from '../task-record';

/** SQS's own tasks beside the controller's selective ones, in SQS's shape, newest first. */
export async function listMoveTasks(deps: ControllerDependencies, request: ListRequest): Promise<MoveTaskSummary[]> {
  deps.scope.checkSource(request.source, 'SourceArn');
  const [native, recorded] = await Promise.all([deps.sqs.list(request.source.arn, request.maxResults), recordedTasks(deps, request)]);
  const selective: MoveTaskSummary[] = recorded
    .filter((record) => isMoverKind(record.kind))
    .map((record) => ({
      taskHandle: record.taskHandle,
      status: record.status,
      sourceArn: record.sourceArn,
      ...(record.destinationArn ? { destinationArn: record.destinationArn } : {}),
      ...(record.maxNumberOfMessagesPerSecond === undefined ? {} : { maxNumberOfMessagesPerSecond: record.maxNumberOfMessagesPerSecond }),
      approximateNumberOfMessagesMoved: record.approximateNumberOfMessagesMoved,
      ...(record.failureReason ? { failureReason: record.failureReason } : {}),
      startedTimestamp: record.startedTimestamp ?? Date.parse(record.createdAt),
    }));
  return [...native, ...selective].sort((a, b) => b.startedTimestamp - a.startedTimestamp).slice(0, request.maxResults);
}

/** Best effort: SQS's own tasks are answered even while the table cannot be read. */
async function recordedTasks(deps: ControllerDependencies, request: ListRequest): Promise<TaskRecord[]> {
  try {
    return (await deps.store.query({ sourceArn: request.source.arn, limit: request.maxResults })).tasks;
  } catch (error) {
    deps.log.warn('selective tasks left out of ListMessageMoveTasks: the task table could not be read', { sourceArn: request.source.arn, error: String(error) });
    return [];
  }
}
