// POST /dlqs/{queueName}/messages/{messageId} --> parseMessageDecision --> decideMessage --> {"TaskId", "Outcome"}
import { parseMessageDecision } from '../../domain/decisions/message-decision';
import { decideMessage } from '../../domain/operations/decide-message';
import type { ControllerDependencies, WireEdit } from '../../domain/ports';
import type { RequestSummary } from './handle-http-request';
import type { HttpResponse } from './http-request';
import { renderJson } from './render-response';
import type { Route } from './route-request';

export async function handleDecisionRoute(
  deps: ControllerDependencies,
  route: Extract<Route, { kind: 'decide-message' }>,
  requestId: string,
  caller: string,
  summary: RequestSummary,
): Promise<HttpResponse> {
  const decision = parseMessageDecision(route.queueName, route.messageId, route.params);
  // the edit as it came: the mover checks it again where it builds the copy (never logged, never stored)
  const wireEdit: WireEdit | undefined = decision.edit
    ? { Body: decision.edit.body, ...(route.params.MessageAttributes === undefined ? {} : { MessageAttributes: route.params.MessageAttributes }) }
    : undefined;
  const result = await decideMessage(deps, decision, wireEdit, caller);
  summary.taskId = result.taskId;
  summary.messages = result.outcome === 'done' ? 1 : 0;
  return renderJson(200, { TaskId: result.taskId, Outcome: result.outcome }, requestId);
}
