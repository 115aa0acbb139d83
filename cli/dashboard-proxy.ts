// `redrive dashboard`: the page and its API calls through 127.0.0.1, signed with the operator's own
// AWS credentials, so the deployed API keeps IAM authorization and the browser holds no credentials.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ApiClient } from './api-client';

/** The header the dashboard's own script sends; a cross-site form or fetch cannot send it without a preflight this proxy never grants. */
export const DASHBOARD_CLIENT_HEADER = 'x-redrive-client';
const MAX_BODY_BYTES = 64 * 1024;
/** Answer headers passed back to the browser; the page's CSP among them. */
const PASSED_BACK = ['content-type', 'content-security-policy', 'x-content-type-options', 'referrer-policy', 'cache-control', 'x-amzn-requestid', 'x-amzn-query-error'];

export interface DashboardProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDashboardProxy(api: ApiClient, port: number): Promise<DashboardProxy> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    handle(api, origin, request, response).catch((error: unknown) => {
      reply(response, 502, { __type: 'com.amazonaws.sqs#ProxyError', message: `the dashboard proxy could not reach the API: ${error instanceof Error ? error.message : String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // loopback only: the proxy signs with the operator's credentials
    server.listen(port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(api: ApiClient, origin: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = request.method ?? 'GET';
  // the Host check defeats DNS rebinding: a page on another name that resolves to 127.0.0.1
  const port = new URL(origin).port;
  if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) {
    return reply(response, 403, { __type: 'com.amazonaws.sqs#Forbidden', message: `the dashboard proxy answers only on ${origin}` });
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
  const answer = await api.forward(method, request.url ?? '/', headers, body);
  const passed: Record<string, string> = {};
  for (const name of PASSED_BACK) {
    const value = answer.headers.get(name);
    if (value !== null) passed[name] = value;
  }
  response.writeHead(answer.status, passed);
  response.end(Buffer.from(await answer.arrayBuffer()));
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
