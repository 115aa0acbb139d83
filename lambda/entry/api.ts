// API Gateway (REST, proxy integration) --> handleHttpRequest --> one log line per request
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

import { handleHttpRequest } from '../adapters/http/handle-http-request';
import type { HttpRequest } from '../adapters/http/http-request';
import { createRuntime } from './dependencies';

const runtime = createRuntime();

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const started = performance.now();
  const request = toHttpRequest(event, context);
  const caller = callerOf(event);
  const { response, summary, error } = await handleHttpRequest(runtime.deps, request, caller);
  const line = { ...summary, caller, requestId: request.requestId, durationMs: Math.round((performance.now() - started) * 10) / 10 };
  if (error) runtime.logger.error('request failed', { ...line, error: error as Error });
  else runtime.logger.info('request', line);
  return response;
}

/** The caller's IAM identity when deployed (IAM authorization); the local stack says `local`. */
function callerOf(event: APIGatewayProxyEvent): string {
  const identity = event.requestContext?.identity;
  return identity?.userArn || identity?.caller || 'anonymous';
}

function toHttpRequest(event: APIGatewayProxyEvent, context: Context): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (typeof value === 'string') query[name] = value;
  }
  const raw = event.body ?? '';
  return {
    method: (event.httpMethod ?? 'GET').toUpperCase(),
    path: normalizePath(event.path ?? '/'),
    headers,
    query,
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
    requestId: event.requestContext?.requestId ?? context.awsRequestId,
  };
}

function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
