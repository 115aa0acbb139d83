import type { IncomingHttpHeaders } from 'node:http';

import type { AuthorizationRequest } from './policy-evaluator';

/** One HTTP request to an AWS service endpoint, as the enforcing proxy read it. */
export interface ServiceRequest {
  readonly method: string;
  /** path and query, as sent (`/2015-03-31/functions/x/invocations`, `/123456789012/q?Action=...`) */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Where the service runs: the account and region its ARNs name. */
export interface ServiceScope {
  readonly accountId: string;
  readonly region: string;
}

/** What IAM checks for a request: one action on one resource each (the caller's principal is added later). */
export type Check = Omit<AuthorizationRequest, 'principal'>;

/** A service's own answer to a request it refuses. */
export interface ServiceAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * One AWS service as IAM sees it: which actions on which resources a request needs, and how the
 * service says AccessDenied so that its SDK client raises the right error.
 */
export interface ServiceAuthorization {
  /** the SigV4 service name and IAM prefix (`sqs`, `dynamodb`, ...) */
  readonly service: string;
  /** every check the request needs; all must be allowed. Throws `UnreadableRequest` for a request it cannot read. */
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[];
  /** the service's AccessDenied for this request, with IAM's message */
  denied(request: ServiceRequest, message: string): ServiceAnswer;
  /** how the service spells the action in its message; @default - as IAM names it */
  readonly actionInMessage?: (action: string) => string;
}

/** A request the mapping cannot name the action or resource of: the proxy refuses it rather than guess. */
export class UnreadableRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRequest';
  }
}

/** The operation an AWS JSON-protocol request names in X-Amz-Target (`AmazonSQS.ReceiveMessage` → `ReceiveMessage`). */
export function jsonTarget(request: ServiceRequest, prefix: string): string | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target !== 'string' || !target.startsWith(`${prefix}.`)) return undefined;
  return target.slice(prefix.length + 1);
}

/** The request body as JSON (an AWS JSON protocol), or a clear refusal. */
export function jsonBody(request: ServiceRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(request.body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw new UnreadableRequest('the request body is not a JSON object');
}

/** An AWS Query-protocol request's parameters: the form body and the query string together. */
export function queryParameters(request: ServiceRequest): URLSearchParams {
  const parameters = new URL(request.url, 'http://local').searchParams;
  const type = String(request.headers['content-type'] ?? '');
  if (type.startsWith('application/x-www-form-urlencoded')) for (const [name, value] of new URLSearchParams(request.body)) parameters.append(name, value);
  return parameters;
}

export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function requiredField(body: Record<string, unknown>, name: string, operation: string): string {
  const value = stringField(body, name);
  if (value === undefined) throw new UnreadableRequest(`${operation} without ${name}`);
  return value;
}
