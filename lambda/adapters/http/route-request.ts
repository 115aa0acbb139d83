import type { Params } from '../../domain/requests';
import { quote, SqsError } from '../../domain/sqs-error';
import { refuseUnknownFields } from './accepted-fields';
import { type ActionName, ACTIONS, isActionName } from './action-name';
import { type HttpRequest, MAX_BODY_BYTES, type ResponseStyle } from './http-request';
import { numbersFromText } from './numbers-from-text';

/** What a request asks for, once the protocol is peeled off. */
export type Route =
  | { readonly kind: 'action'; readonly action: ActionName; readonly params: Params; readonly style: ResponseStyle }
  | { readonly kind: 'list-tasks'; readonly params: Params }
  | { readonly kind: 'get-task'; readonly taskId: string }
  | { readonly kind: 'health' }
  | { readonly kind: 'list-queues' }
  | { readonly kind: 'list-dlqs'; readonly query: Readonly<Record<string, string>> }
  | { readonly kind: 'peek-dlq'; readonly queueName: string; readonly params: Params }
  | { readonly kind: 'dlq-recovery'; readonly queueName: string; readonly params: Params }
  | { readonly kind: 'dlq-history'; readonly queueName: string; readonly query: Readonly<Record<string, string>> }
  | { readonly kind: 'decide-message'; readonly queueName: string; readonly messageId: string; readonly params: Params }
  | { readonly kind: 'dashboard' }
  | { readonly kind: 'archive-dlq'; readonly queueName: string; readonly params: Params }
  | { readonly kind: 'list-archives'; readonly query: Readonly<Record<string, string>> }
  | { readonly kind: 'archive-messages'; readonly taskId: string; readonly query: Readonly<Record<string, string>> }
  | { readonly kind: 'replay-archive'; readonly taskId: string; readonly params: Params };

const TARGET_PREFIX = 'AmazonSQS.';
/** POST /dlqs/{queueName}/messages/{messageId} (API.md section 12) */
const DECIDE_PATH = /^\/dlqs\/([^/]+)\/messages\/([^/]+)$/;
const MAX_DECISION_BODY_BYTES = 1024 * 1024;

/** The style a failed request is answered in, decided before anything else can fail. */
export function styleOf(request: HttpRequest): ResponseStyle {
  if (request.method === 'POST' && request.path === '/' && !request.headers['x-amz-target'] && isForm(request)) return 'query';
  if (request.headers['x-amz-target']) return 'json';
  return 'path';
}

export function routeRequest(request: HttpRequest): Route {
  const { method, path } = request;
  const decision = method === 'POST' ? DECIDE_PATH.exec(path) : null;
  // an edit carries a whole message body (SQS: up to 256 KiB), JSON-escaped
  const cap = decision ? MAX_DECISION_BODY_BYTES : MAX_BODY_BYTES;
  if (Buffer.byteLength(request.body, 'utf8') > cap) {
    throw new SqsError('InvalidParameterValue', `The request body must be at most ${cap} bytes`);
  }
  if (decision) return { kind: 'decide-message', queueName: safeDecode(decision[1]!), messageId: safeDecode(decision[2]!), params: parseJsonBody(request.body) };
  if (method === 'GET') {
    if (path === '/health') return { kind: 'health' };
    if (path === '/') return { kind: 'dashboard' };
    if (path === '/queues') return { kind: 'list-queues' };
    if (path === '/dlqs') return { kind: 'list-dlqs', query: request.query };
    if (path === '/tasks') return { kind: 'list-tasks', params: numbersFromText(request.query) };
    const task = /^\/tasks\/([^/]+)$/.exec(path);
    if (task) return { kind: 'get-task', taskId: safeDecode(task[1]!) };
    const history = /^\/dlqs\/([^/]+)\/history$/.exec(path);
    if (history) return { kind: 'dlq-history', queueName: safeDecode(history[1]!), query: request.query };
    if (path === '/archives') return { kind: 'list-archives', query: request.query };
    const archived = /^\/archives\/([^/]+)\/messages$/.exec(path);
    if (archived) return { kind: 'archive-messages', taskId: safeDecode(archived[1]!), query: request.query };
  }
  if (method === 'POST') {
    if (path === '/') return routeRoot(request);
    const peek = /^\/dlqs\/([^/]+)\/peek$/.exec(path);
    if (peek) return { kind: 'peek-dlq', queueName: safeDecode(peek[1]!), params: parseJsonBody(request.body) };
    const recovery = /^\/dlqs\/([^/]+)\/recovery$/.exec(path);
    if (recovery) return { kind: 'dlq-recovery', queueName: safeDecode(recovery[1]!), params: parseJsonBody(request.body) };
    const archive = /^\/dlqs\/([^/]+)\/archive$/.exec(path);
    if (archive) return { kind: 'archive-dlq', queueName: safeDecode(archive[1]!), params: parseJsonBody(request.body) };
    const replay = /^\/archives\/([^/]+)\/replay$/.exec(path);
    if (replay) return { kind: 'replay-archive', taskId: safeDecode(replay[1]!), params: parseJsonBody(request.body) };
    const action = /^\/([A-Za-z]+)$/.exec(path)?.[1];
    if (action !== undefined) return actionRoute(actionNamed(action), parseJsonBody(request.body), 'path');
  }
  throw new SqsError('InvalidAction', `No route for ${method} ${quote(path)}: see the API contract (POST /<Action>, GET /tasks, GET /queues, GET /dlqs, GET /dlqs/{queueName}/history, POST /dlqs/{queueName}/peek, POST /dlqs/{queueName}/recovery, POST /dlqs/{queueName}/messages/{messageId}, POST /dlqs/{queueName}/archive, GET /archives, GET /archives/{taskId}/messages, POST /archives/{taskId}/replay, GET /health, GET / for the dashboard)`);
}

function routeRoot(request: HttpRequest): Route {
  const target = request.headers['x-amz-target'];
  if (target !== undefined) {
    if (!target.startsWith(TARGET_PREFIX)) {
      throw new SqsError('InvalidAction', `X-Amz-Target must be ${TARGET_PREFIX}<Action>, got ${quote(target)}`);
    }
    return actionRoute(actionNamed(target.slice(TARGET_PREFIX.length)), parseJsonBody(request.body), 'json');
  }
  if (isForm(request)) {
    const params = numbersFromText(parseForm(request.body));
    const action = params.Action;
    if (typeof action !== 'string' || action === '') {
      throw new SqsError('MissingParameter', 'Action is required: a form field naming one of ' + ACTIONS.join(', '));
    }
    return actionRoute(actionNamed(action), params, 'query');
  }
  throw new SqsError(
    'MissingParameter',
    'POST / needs an X-Amz-Target: AmazonSQS.<Action> header (JSON) or a form body with Action=<Action> (Query)',
  );
}

/** Every style meets here: a field the action does not define is refused before anything runs. */
function actionRoute(action: ActionName, params: Params, style: ResponseStyle): Route {
  refuseUnknownFields(action, params, { query: style === 'query' });
  return { kind: 'action', action, params, style };
}

function actionNamed(name: string): ActionName {
  if (!isActionName(name)) {
    throw new SqsError('InvalidAction', `Unknown action ${quote(name)}: expected one of ${ACTIONS.join(', ')}`);
  }
  return name;
}

function isForm(request: HttpRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** A JSON request body as action parameters: empty is {}, anything but a JSON object is refused. */
export function parseJsonBody(body: string): Params {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new SqsError('InvalidParameterValue', 'The request body is not valid JSON: expected a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SqsError('InvalidParameterValue', 'The request body must be a JSON object');
  }
  return parsed as Params;
}

/** Form fields into a null-prototype record; the first of repeated fields wins. */
function parseForm(body: string): Params {
  const params: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    if (!(name in params)) params[name] = value;
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
