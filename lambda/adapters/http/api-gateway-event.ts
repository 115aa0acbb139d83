// API Gateway (REST, proxy integration) event --> HttpRequest, and who called
import type { APIGatewayProxyEvent } from 'aws-lambda';

import type { HttpRequest } from './http-request';

/** The caller's IAM identity when deployed (IAM authorization); the local stack says `local`. */
export function callerOf(event: APIGatewayProxyEvent): string {
  const identity = event.requestContext?.identity;
  return identity?.userArn || identity?.caller || 'anonymous';
}

/**
 * The proxy event as the router reads it: header names lower-cased, only single string values,
 * the body decoded, and API Gateway's request id (the one the caller sees), else `fallbackRequestId`.
 */
export function toHttpRequest(event: APIGatewayProxyEvent, fallbackRequestId: string): HttpRequest {
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
    requestId: event.requestContext?.requestId ?? fallbackRequestId,
  };
}

function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
