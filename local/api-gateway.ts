import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

import { gatewayPath, methodArn } from './api-gateway-path';
import { invokeDenial } from './api-gateway-resource-policy';
import { running, type RunningServer } from './emulators';
import { callerOf, type IdentityPolicies } from './policy/caller';
import type { PolicyDocument } from './policy/policy-evaluator';

/** API Gateway's own payload limit; the handler caps far lower. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LocalApiGatewayOptions {
  readonly port: number;
  readonly accountId: string;
  readonly invoke: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
  /**
   * Callers known by the SigV4 access key id they sign with (access key id → principal ARN), as IAM
   * authorization knows them; any other key id `<name>` is `role/<name>`, unsigned is `role/local`
   * (callerOf). @default - none
   */
  readonly identities?: Readonly<Record<string, string>>;
  /** hears why the function failed to answer (API Gateway keeps it from the caller); @default - ignored */
  readonly onInvokeError?: (error: unknown) => void;
  /**
   * The API's resource policy, as synthesized: every request is evaluated against it (`execute-api:Invoke`
   * on its method ARN, for the caller its access key id names) before the function runs.
   * @default - no policy: the gateway admits everyone
   */
  readonly resourcePolicy?: PolicyDocument;
  /** the callers' identity policies, by role ARN, where known; @default - none */
  readonly identityPolicies?: IdentityPolicies;
  /** the method ARN's region; @default 'us-east-1' */
  readonly region?: string;
  /** requestContext.apiId and the method ARN's API id; @default 'local' */
  readonly apiId?: string;
  /** requestContext.stage and the method ARN's stage; @default 'local' */
  readonly stage?: string;
  /** hears every request the resource policy refused */
  readonly onDenied?: (message: string) => void;
}

/** A REST API proxy integration on 127.0.0.1: HTTP request → proxy event → handler → HTTP response. */
export async function startLocalApiGateway(options: LocalApiGatewayOptions): Promise<RunningServer> {
  const server = createServer((request, response) => {
    readBody(request)
      .then(async (body) => {
        if (body === undefined) {
          send(response, gatewayResponse(413, 'Request Too Long', { connection: 'close' }));
          return;
        }
        const denial = await authorize(request, options);
        if (denial) {
          send(response, denial);
          return;
        }
        send(response, await options.invoke(toProxyEvent(request, body, options)));
      })
      .catch((error: unknown) => {
        // the function crashed or its process died: API Gateway answers 502, without the cause
        options.onInvokeError?.(error);
        send(response, gatewayResponse(502, 'Internal server error', { 'x-amzn-errortype': 'InternalServerErrorException' }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return running(server);
}

/**
 * The caller, as API.md section 10 names it (access key id `<name>` → `role/<name>`, unsigned →
 * `role/local`, known keys → their principal), against the resource policy on the method ARN.
 */
async function authorize(request: IncomingMessage, options: LocalApiGatewayOptions): Promise<APIGatewayProxyResult | undefined> {
  if (!options.resourcePolicy) return undefined;
  const where = { region: options.region ?? 'us-east-1', accountId: options.accountId, apiId: options.apiId ?? 'local', stage: options.stage ?? 'local' };
  const principal = callerOf(request.headers.authorization, options.accountId, options.identities);
  const denial = await invokeDenial({
    policy: options.resourcePolicy,
    ...(options.identityPolicies ? { identityPolicies: options.identityPolicies } : {}),
    principal,
    methodArn: methodArn(where, request.method ?? 'GET', gatewayPath(request.url ?? '/').path),
    apiArn: `arn:aws:execute-api:${where.region}:${where.accountId}:${where.apiId}`,
    accountId: where.accountId,
  });
  if (denial) options.onDenied?.(JSON.parse(denial.body).Message);
  return denial;
}

/** API Gateway's own answers (its default gateway responses), not the controller's error format. */
function gatewayResponse(statusCode: number, message: string, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ message }) };
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > GATEWAY_MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function toProxyEvent(request: IncomingMessage, body: string, options: LocalApiGatewayOptions): APIGatewayProxyEvent {
  // the path as API Gateway reads it (api-gateway-path.ts); the query string as a URL parser reads it
  const url = new URL(`http://local/?${(request.url ?? '').split('?')[1] ?? ''}`);
  const { path, proxy } = gatewayPath(request.url ?? '/');
  // null prototypes: a header or parameter named `constructor` or `hasOwnProperty` is just a name
  const headers: Record<string, string> = Object.create(null);
  const multiValueHeaders: Record<string, string[]> = Object.create(null);
  for (let at = 0; at < request.rawHeaders.length; at += 2) {
    const name = request.rawHeaders[at]!;
    const value = request.rawHeaders[at + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = Object.create(null);
  const multiQuery: Record<string, string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    query[name] ??= value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  // the function sees the caller the resource policy was evaluated for (deployed, IAM authorization
  // reports a role's session ARN; the function matches a role pattern against either form)
  const caller = callerOf(request.headers.authorization, options.accountId, options.identities);
  const method = request.method ?? 'GET';
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: { proxy },
    stageVariables: null,
    body: body.length > 0 ? body : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId ?? 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: method,
      path: `/${options.stage ?? 'local'}${path}`,
      stage: options.stage ?? 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: caller, userAgent: request.headers['user-agent'] ?? null, userArn: caller,
      },
    },
  };
}

function send(response: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}
