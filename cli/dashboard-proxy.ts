// `redrive dashboard`: the page and its API calls through 127.0.0.1, signed with the operator's own
// AWS credentials, so the deployed API keeps IAM authorization and the browser holds no credentials.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type ApiClient,ApiError } from './api-client';

/** The header the dashboard's own script sends; a cross-site form or fetch cannot send it without a preflight this proxy never grants. */
export const DASHBOARD_CLIENT_HEADER = 'x-redrive-client';
/** The query parameter of the URL the CLI prints, and the cookie that keeps it for the page's requests. */
export const PROXY_TOKEN_PARAMETER = 'token';
export const PROXY_TOKEN_COOKIE = 'redrive-dashboard-token';
const MAX_BODY_BYTES = 64 * 1024;
/** Answer headers passed back to the browser; the page's CSP among them. */
const PASSED_BACK = ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'cache-control', 'x-amzn-requestid', 'x-amzn-query-error'];

export interface DashboardProxy {
  /** the page's URL with the proxy's token: whoever opens it may use the operator's credentials */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * @param report one line per failed request, for the terminal: the operator sees why a page is empty
 * (expired credentials, a refused principal) without opening the browser's developer tools.
 */
export async function startDashboardProxy(api: ApiClient, port: number, report: (line: string) => void = () => undefined): Promise<DashboardProxy> {
  let origin = '';
  // another local process, or a page in the browser, cannot guess it: only who sees the printed URL
  const token = randomBytes(32).toString('base64url');
  const server: Server = createServer((request, response) => {
    handle(api, origin, token, request, response, report).catch((error: unknown) => {
      const message = `the dashboard proxy could not reach the API: ${error instanceof Error ? error.message : String(error)}`;
      report(`${request.method} ${request.url}: ${message}`);
      if (wantsPage(request)) replyPage(response, 502, message);
      else reply(response, 502, { __type: 'com.amazonaws.sqs#ProxyError', message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // loopback only: the proxy signs with the operator's credentials
    server.listen(port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/?${PROXY_TOKEN_PARAMETER}=${token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(api: ApiClient, origin: string, token: string, request: IncomingMessage, response: ServerResponse, report: (line: string) => void): Promise<void> {
  const method = request.method ?? 'GET';
  // the Host check defeats DNS rebinding: a page on another name that resolves to 127.0.0.1
  const port = new URL(origin).port;
  if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) {
    return reply(response, 403, { __type: 'com.amazonaws.sqs#Forbidden', message: `the dashboard proxy answers only on ${origin}` });
  }
  // origin-form only: an absolute-form target (`GET http://elsewhere/ HTTP/1.1`) or `//elsewhere`
  // would otherwise be resolved, and signed, against another host
  const target = request.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//') || target.includes('\\')) {
    return reply(response, 400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'the dashboard proxy takes only a path starting with a single / as the request target' });
  }
  const url = new URL(target, origin);
  const offered = url.searchParams.get(PROXY_TOKEN_PARAMETER);
  url.searchParams.delete(PROXY_TOKEN_PARAMETER);
  const forwarded = `${url.pathname}${url.search}`;
  if (offered !== null && sameSecret(offered, token) && (method === 'GET' || method === 'HEAD')) {
    // the printed URL: keep the token where only this origin's requests carry it, out of the address bar
    response.writeHead(303, { location: forwarded, 'set-cookie': `${PROXY_TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, 'cache-control': 'no-store' });
    response.end();
    return;
  }
  if (!sameSecret(cookieOf(request.headers.cookie, PROXY_TOKEN_COOKIE) ?? '', token)) {
    return reply(response, 403, { __type: 'com.amazonaws.sqs#Forbidden', message: 'the dashboard proxy needs its token: open the URL `redrive dashboard` printed' });
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const from = request.headers.origin;
    if (request.headers[DASHBOARD_CLIENT_HEADER] !== 'dashboard' || (from !== undefined && from !== origin && from !== origin.replace('127.0.0.1', 'localhost'))) {
      return reply(response, 403, { __type: 'com.amazonaws.sqs#Forbidden', message: 'the dashboard proxy forwards changes only from its own page' });
    }
  }
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(request);
  if (body === null) return reply(response, 413, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: `request bodies are limited to ${MAX_BODY_BYTES} bytes` });
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'accept', 'x-amz-target']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let answer: Response;
  try {
    answer = await api.forward(method, forwarded, headers, body);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'InvalidPath') return reply(response, 400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: error.message });
    throw error;
  }
  if (answer.status >= 400) {
    const text = await answer.text();
    const message = messageOf(text) ?? `HTTP ${answer.status} ${answer.statusText}`;
    report(`${method} ${forwarded}: the API answered HTTP ${answer.status}: ${message}`);
    // a page load that failed (API Gateway refused the signature, say) gets a page, not raw JSON
    if (wantsPage(request) && !(answer.headers.get('content-type') ?? '').includes('text/html')) {
      return replyPage(response, answer.status, `the API at ${api.baseUrl.href} answered HTTP ${answer.status}: ${message}`);
    }
    response.writeHead(answer.status, passedBack(answer));
    response.end(text);
    return;
  }
  response.writeHead(answer.status, passedBack(answer));
  response.end(Buffer.from(await answer.arrayBuffer()));
}

function passedBack(answer: Response): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of PASSED_BACK) {
    const value = answer.headers.get(name);
    if (value !== null) passed[name] = value;
  }
  return passed;
}

/** SQS's `message`, or API Gateway's `message` / `Message`. */
function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; Message?: unknown };
    const message = body.message ?? body.Message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** A browser navigating to the page, not the page's script calling the API. */
function wantsPage(request: IncomingMessage): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
}

function replyPage(response: ServerResponse, status: number, message: string): void {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'", 'x-content-type-options': 'nosniff' });
  response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>redrive dashboard: the API could not be reached</title></head>
<body><h1>The dashboard could not load</h1><p>${escaped}</p>
<p>The terminal running <code>redrive dashboard</code> shows each failure. Check your AWS credentials
(<code>aws sts get-caller-identity</code>), that your role is in the deployment's <code>api.allowedPrincipals</code>,
and the <code>--api</code> URL; then reload.</p></body></html>`);
}

function sameSecret(offered: string, token: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
