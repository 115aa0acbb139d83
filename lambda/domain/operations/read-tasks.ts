// adapter --> getTask / queryTasks --> task table
import type { ControllerDependencies, TaskPage } from '../ports';
import type { TaskQueryRequest } from '../requests';
import { quote, SqsError } from '../sqs-error';
import { TASK_ID } from '../task-handle';
import type { TaskRecord } from '../task-record';


export async function getTask(deps: ControllerDependencies, taskId: string): Promise<TaskRecord> {
  if (!TASK_ID.test(taskId)) {
    throw new SqsError('InvalidParameterValue', `taskId must be 1 to 128 letters, digits or -._:, got ${quote(taskId)}`);
  }
  const record = await deps.store.get(taskId);
  if (!record) throw new SqsError('ResourceNotFoundException', `No task ${taskId} is recorded`);
  return record;
}

export async function queryTasks(deps: ControllerDependencies, request: TaskQueryRequest): Promise<TaskPage> {
  return deps.store.query({
    ...(request.sourceArn ? { sourceArn: request.sourceArn.arn } : {}),
    ...(request.status ? { status: request.status } : {}),
    ...(request.runId ? { runId: request.runId } : {}),
    limit: request.limit,
    ...(request.nextToken ? { nextToken: request.nextToken } : {}),
  });
}
