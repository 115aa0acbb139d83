// org API: HTTP request --> the read model (GET) or the owning account's API (POST /org/<Action>) --> JSON, in the API's error format
import { routeOrgAction } from '../../../domain/operations/route-org-action';
import type { OrgDirectory } from '../../../domain/org/org-directory';
import type { AccountApi, OrgReadModelStore } from '../../../domain/org/org-ports';
import { parseOrgDlqQuery, parseOrgTaskQuery, refuseOrgAccountsQuery } from '../../../domain/org/org-queries';
import { quote, SqsError } from '../../../domain/sqs-error';
import { ACTIONS, isActionName } from '../action-name';
import { answerRequest } from '../answer-request';
import { type HttpRequest, type HttpResponse, MAX_BODY_BYTES } from '../http-request';
import { renderJson } from '../render-response';
import { parseJsonBody } from '../route-request';
import { orgAccountView, orgDlqView, orgTaskView } from './org-views';

export interface OrgApiDependencies {
  readonly store: OrgReadModelStore;
  readonly directory: OrgDirectory;
  readonly accounts: AccountApi;
}

export interface OrgRequestSummary {
  route: string;
  outcome: string;
  statusCode: number;
  accountId?: string;
}

const ROUTES = 'GET / (the dashboard in org mode), GET /org/accounts, GET /org/tasks, GET /org/dlqs, POST /org/<Action>';

export async function handleOrgRequest(deps: OrgApiDependencies, request: HttpRequest, caller: string): Promise<{ response: HttpResponse; summary: OrgRequestSummary; error?: unknown }> {
  const summary: OrgRequestSummary = { route: `${request.method} ${request.path}`, outcome: 'ok', statusCode: 200 };
  return answerRequest(request, 'path', summary, () => dispatch(deps, request, caller, summary));
}

async function dispatch(deps: OrgApiDependencies, request: HttpRequest, caller: string, summary: OrgRequestSummary): Promise<HttpResponse> {
  const { method, path, requestId } = request;
  const action = /^\/org\/([A-Za-z]+)$/.exec(path)?.[1];
  if (method === 'POST' && action !== undefined) {
    if (!isActionName(action)) throw new SqsError('InvalidAction', `Unknown action ${quote(action)}: expected one of ${ACTIONS.join(', ')}`);
    if (Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES) throw new SqsError('InvalidParameterValue', `The request body must be at most ${MAX_BODY_BYTES} bytes`);
    const answer = await routeOrgAction(deps, action, parseJsonBody(request.body), caller);
    summary.accountId = answer.accountId;
    summary.outcome = answer.status === 200 ? 'ok' : 'refused by the account';
    // the account's answer, as it gave it: its rules decided
    const errorCode = answer.headers['x-amzn-query-error'];
    return {
      statusCode: answer.status,
      headers: { 'content-type': answer.headers['content-type'] ?? 'application/json', 'x-amzn-requestid': requestId, 'x-redrive-account': answer.accountId, ...(errorCode ? { 'x-amzn-query-error': errorCode } : {}) },
      body: answer.body,
    };
  }
  if (method === 'GET' && path === '/') {
    // imported on first use, as the account API does: the JSON routes do not pay for the page at cold start
    const { renderDashboard } = await import('../../../dashboard/render-dashboard');
    return renderDashboard(requestId, 'org');
  }
  if (method === 'GET' && path === '/org/accounts') {
    refuseOrgAccountsQuery(request.query);
    const [listed, active] = await Promise.all([deps.store.listAccounts(), deps.store.countActiveTasks()]);
    const heard = new Map(listed.map((account) => [account.accountId, account]));
    const accountIds = [...new Set([...deps.directory.map((entry) => entry.accountId), ...heard.keys()])].sort();
    const accounts = accountIds.map((accountId) => orgAccountView(deps.directory.find((entry) => entry.accountId === accountId), heard.get(accountId), active.get(accountId) ?? 0));
    return renderJson(200, { accounts }, requestId);
  }
  if (method === 'GET' && path === '/org/tasks') {
    const page = await deps.store.queryTasks(parseOrgTaskQuery(request.query));
    return renderJson(200, { tasks: page.items.map(orgTaskView), nextToken: page.nextToken }, requestId);
  }
  if (method === 'GET' && path === '/org/dlqs') {
    const page = await deps.store.queryDlqs(parseOrgDlqQuery(request.query));
    return renderJson(200, { dlqs: page.items.map(orgDlqView), nextToken: page.nextToken }, requestId);
  }
  throw new SqsError('InvalidAction', `No route for ${method} ${quote(path)} in the org API: it serves ${ROUTES}`);
}

