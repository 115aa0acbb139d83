// HTTP request --> route --> operation --> JSON or XML response
import type { DlqDependencies } from '../../domain/dlq/dlq-ports';
import { checkMessageReader, type ReaderAction } from '../../domain/message-readers';
import { cancelTask } from '../../domain/operations/cancel-task';
import { listManagedQueues } from '../../domain/operations/list-managed-queues';
import { listMoveTasks } from '../../domain/operations/list-move-tasks';
import { getTask, queryTasks } from '../../domain/operations/read-tasks';
import { startOrReplay } from '../../domain/operations/replay-source';
import { startTask } from '../../domain/operations/start-task';
import type { ControllerDependencies } from '../../domain/ports';
import { checkReasonGiven, REASON_OPTIONAL, type ReasonPolicy } from '../../domain/reason-policy';
import { namesFilterPolicy, type Params, parseCancelRequest, parseListRequest, parseStartRequest, parseTaskQuery } from '../../domain/requests';
import { managedQueueView, moveTaskView, sampledRouteView, taskRecordView, type WireRecord } from '../task-view';
import type { ActionName } from './action-name';
import { answerRequest } from './answer-request';
import type { HttpRequest, HttpResponse, ResponseStyle } from './http-request';
import type { RequestCaller } from './org-caller';
import { renderAction, renderJson } from './render-response';
import { type Route,routeRequest, styleOf } from './route-request';

/** What the request log line says about one request; never a full handle or a credential. */
export interface RequestSummary {
  route: string;
  taskId?: string;
  /** peek: the queue and how many messages were seen (never their bodies) */
  queue?: string;
  messages?: number;
  /** a dry run: the sample it matched (never bodies) */
  dryRun?: boolean;
  outcome: string;
  statusCode: number;
}

/** The deployment's rules for a request: reasons, and who may see what messages hold. */
export interface RequestPolicy extends ReasonPolicy {
  /**
   * Principals that may peek and dry-run (MESSAGE_READERS), checked here as well as by the API's
   * resource policy. @default - not checked here (unit tests of other concerns); the api entry
   * always passes its configuration's list, empty meaning nobody
   */
  readonly messageReaders?: readonly string[];
}

/** The code only some requests run: one chunk, loaded by the first request that needs it (lazy-routes.ts). */
const lazyRoutes = () => import('./lazy-routes');

export async function handleHttpRequest(
  deps: ControllerDependencies,
  request: HttpRequest,
  who: string | RequestCaller,
  policy: RequestPolicy = REASON_OPTIONAL,
): Promise<{ response: HttpResponse; summary: RequestSummary; error?: unknown }> {
  const style = styleOf(request);
  const summary: RequestSummary = { route: `${request.method} ${request.path}`, outcome: 'ok', statusCode: 200 };
  const caller = typeof who === 'string' ? { name: who, principal: who } : who;
  return answerRequest(request, style, summary, () => {
    const route = routeRequest(request);
    summary.route = route.kind === 'action' ? route.action : route.kind;
    return dispatch(deps, route, request.requestId, caller, summary, policy);
  });
}

async function dispatch(
  deps: ControllerDependencies,
  route: Route,
  requestId: string,
  who: RequestCaller,
  summary: RequestSummary,
  policy: RequestPolicy,
): Promise<HttpResponse> {
  const caller = who.name;
  switch (route.kind) {
    case 'health':
      await Promise.all([deps.store.ping(), deps.sqs.ping()]);
      return renderJson(200, { status: 'ok' }, requestId);
    case 'get-task':
      summary.taskId = route.taskId;
      return renderJson(200, taskRecordView(await getTask(deps, route.taskId)), requestId);
    case 'list-tasks': {
      const page = await queryTasks(deps, parseTaskQuery(route.params));
      return renderJson(200, { tasks: page.tasks.map(taskRecordView), nextToken: page.nextToken }, requestId);
    }
    case 'list-queues': {
      const page = await listManagedQueues(deps);
      return renderJson(200, { queues: page.queues.map(managedQueueView), truncated: page.truncated }, requestId);
    }
    case 'list-dlqs':
    case 'peek-dlq':
    case 'dlq-history':
    case 'dlq-recovery': {
      // whatever path reached this route (`/dlqs/x/peek/` too), only a message reader peeks
      if (route.kind === 'peek-dlq') {
        summary.queue = route.queueName;
        checkReader(who, policy, 'peek');
      }
      // imported on first use only, as the dashboard is: the DLQ routes stay off the cold-start path
      const { handleDlqRoute } = await lazyRoutes();
      return handleDlqRoute({ ...deps, ...(await dlqDependencies(deps)) }, route, requestId, caller, summary);
    }
    case 'decide-message': {
      // retry, edit or discard one message: message readers only, whatever path reached here (API.md section 12)
      summary.queue = route.queueName;
      checkReader(who, policy, 'decide');
      const { handleDecisionRoute } = await lazyRoutes();
      return handleDecisionRoute(deps, route, requestId, caller, summary);
    }
    case 'archive-dlq':
    case 'list-archives':
    case 'archive-messages':
    case 'replay-archive': {
      // imported on first use only: the archive's routes stay off the cold-start path of API calls
      const archive = await lazyRoutes();
      if (route.kind === 'list-archives') return archive.listArchivesRoute(deps, route.query, requestId);
      if (route.kind === 'archive-messages') {
        // archived bodies are messages: whatever path reached this route, only a message reader reads them
        checkReader(who, policy, 'read the archive');
        return archive.archivedMessagesRoute(deps, route.taskId, route.query, summary, requestId);
      }
      if (route.kind === 'replay-archive') {
        // a replay sends archived bodies on: message readers only, as reading them
        checkReader(who, policy, 'replay the archive');
        return archive.replayArchiveRoute(deps, route.taskId, route.params, caller, summary, policy, requestId);
      }
      return archive.startArchive(deps, route.queueName, route.params, caller, summary, { ...policy, checkReader: () => checkReader(who, policy, 'dry run') }, requestId);
    }
    case 'dashboard': {
      // imported on first use only: the page's text stays off the cold-start path of API calls
      const { renderDashboard } = await import('../../dashboard/render-dashboard');
      return renderDashboard(requestId);
    }
    case 'action':
      // the SQS JSON protocol's clients (the AWS SDK and CLI) cannot send a Reason
      return renderAction(route.style, route.action, await runAction(deps, route.action, route.params, who, summary, route.style === 'json' ? { ...policy, requireReason: false } : policy), requestId);
  }
}

async function runAction(
  deps: ControllerDependencies,
  action: ActionName,
  params: Params,
  who: RequestCaller,
  summary: RequestSummary,
  policy: RequestPolicy,
): Promise<WireRecord> {
  const caller = who.name;
  switch (action) {
    case 'StartMessageMoveTask': {
      // the content filter is loaded only for a start that names a FilterPolicy
      const request = parseStartRequest(params, namesFilterPolicy(params) ? (await lazyRoutes()).parseFilterPolicy : undefined);
      if (request.dryRun) {
        // a MessageBody filter reads bodies: a dry run is a peek, and is logged and announced as one
        summary.dryRun = true;
        summary.queue = request.source.queueName;
        checkReader(who, policy, 'dry run');
        // a Lambda or EventBridge DLQ's dry run shows each match's route (API.md section 11)
        const { dryRunSelection } = await lazyRoutes();
        const sample = await startOrReplay(deps, request, (replay) => dryRunSelection(deps, request, caller, replay));
        summary.messages = sample.sampled;
        return {
          Sampled: sample.sampled,
          Matched: sample.matched,
          Unroutable: sample.unroutable,
          ...(sample.truncated ? { Truncated: true } : {}),
          ...(sample.routes ? { Routes: sample.routes.map(sampledRouteView) } : {}),
        };
      }
      checkReasonGiven(policy, request.reason, 'start');
      // recovery's code is loaded only where recovery policies are set (deps.recovery)
      if (deps.recovery) await (await lazyRoutes()).checkRecoveryPause(deps, request.source, request.force === true);
      const actor = { by: caller, origin: 'api', ...(request.reason ? { reason: request.reason } : {}), ...(request.force ? { force: true } : {}) } as const;
      // SQS's task cannot filter: with any of section 7's fields the controller's mover moves the messages
      // a source the inventory knows as a Lambda or EventBridge DLQ is replayed by the same mover (API.md section 11)
      const result = await startOrReplay(deps, request, async (replay) =>
        replay || request.selection ? (await lazyRoutes()).startSelectiveTask(deps, request, actor, replay) : startTask(deps, request, actor),
      );
      summary.taskId = result.taskId;
      return { TaskHandle: result.taskHandle };
    }
    case 'CancelMessageMoveTask': {
      const request = parseCancelRequest(params);
      checkReasonGiven(policy, request.reason, 'cancel');
      summary.taskId = request.handle.taskId;
      const result = await cancelTask(deps, request, { by: caller, origin: 'api', ...(request.reason ? { reason: request.reason } : {}) });
      if (deps.recovery) await (await lazyRoutes()).holdAfterPersonCancel(deps, result.record, caller, request.reason);
      return { ApproximateNumberOfMessagesMoved: result.approximateNumberOfMessagesMoved };
    }
    case 'ListMessageMoveTasks': {
      const tasks = await listMoveTasks(deps, parseListRequest(params));
      return { Results: tasks.map(moveTaskView) };
    }
  }
}

function checkReader(who: RequestCaller, policy: RequestPolicy, action: ReaderAction): void {
  if (policy.messageReaders !== undefined) checkMessageReader(who.principal, policy.messageReaders, action);
}

async function dlqDependencies(deps: ControllerDependencies): Promise<DlqDependencies> {
  if (!deps.dlqs) throw new Error('the DLQ routes are not wired: ControllerDependencies.dlqs is missing');
  return deps.dlqs();
}

export type { ResponseStyle };
