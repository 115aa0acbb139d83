// GET /dlqs and POST /dlqs/{queueName}/peek --> listDlqs / peekDlq --> JSON
import type { DlqDependencies } from '../../domain/dlq/dlq-ports';
import { parseDlqQuery } from '../../domain/dlq/dlq-query';
import { parseHistoryRequest } from '../../domain/dlq/history-request';
import { parsePeekRequest } from '../../domain/dlq/peek-request';
import { changeRecoveryHold } from '../../domain/operations/change-recovery-hold';
import { listDlqs } from '../../domain/operations/list-dlqs';
import { peekDlq } from '../../domain/operations/peek-dlq';
import { readDlqHistory } from '../../domain/operations/read-dlq-history';
import type { ControllerDependencies } from '../../domain/ports';
import { dlqView, peekedMessageView, recoveryView } from './dlq-view';
import type { RequestSummary } from './handle-http-request';
import { historyPointView } from './history-point-view';
import type { HttpResponse } from './http-request';
import { renderJson } from './render-response';
import type { Route } from './route-request';

export async function handleDlqRoute(
  deps: ControllerDependencies & DlqDependencies,
  route: Extract<Route, { kind: 'list-dlqs' | 'peek-dlq' | 'dlq-recovery' | 'dlq-history' }>,
  requestId: string,
  caller: string,
  summary: RequestSummary,
): Promise<HttpResponse> {
  if (route.kind === 'list-dlqs') {
    const page = await listDlqs(deps, parseDlqQuery(route.query));
    return renderJson(200, { dlqs: page.dlqs.map(dlqView), asOf: page.asOf, nextToken: page.nextToken }, requestId);
  }
  if (route.kind === 'dlq-history') {
    summary.queue = route.queueName;
    const points = await readDlqHistory(deps, parseHistoryRequest(route.queueName, route.query));
    return renderJson(200, { points: points.map(historyPointView) }, requestId);
  }
  if (route.kind === 'dlq-recovery') {
    summary.queue = route.queueName;
    const record = await changeRecoveryHold(deps, route.queueName, route.params, caller);
    return renderJson(200, { QueueArn: record.dlqArn, Recovery: recoveryView(record) }, requestId);
  }
  summary.queue = route.queueName;
  const result = await peekDlq(deps, parsePeekRequest(route.queueName, route.params), caller);
  summary.messages = result.messages.length;
  return renderJson(200, { Messages: result.messages.map(peekedMessageView), PeekedAt: result.peekedAt }, requestId);
}
