// adapter --> listMoveTasks --> SQS ListMessageMoveTasks (always current, newest first)
import type { ControllerDependencies, MoveTaskSummary } from '../ports';
import type { ListRequest } from '../requests';

export async function listMoveTasks(deps: ControllerDependencies, request: ListRequest): Promise<MoveTaskSummary[]> {
  deps.scope.checkSource(request.source, 'SourceArn');
  return deps.sqs.list(request.source.arn, request.maxResults);
}
