import { Agent, createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';

import { running, type RunningServer } from '../emulators';
import { accessDeniedMessage } from './access-denied-message';
import { callerOf, type IdentityPolicies, identityPoliciesOf } from './caller';
import { evaluateAuthorization, type PolicyDocument } from './policy-evaluator';
import type { ServiceAnswer, ServiceAuthorization, ServiceRequest, ServiceScope } from './service-request';

export interface EnforcingProxyOptions {
  /** the service in front of which the proxy stands: its IAM mapping and its AccessDenied */
  readonly authorization: ServiceAuthorization;
  /** the emulator's URL */
  readonly upstream: string;
  readonly scope: ServiceScope;
  /** each role's identity policies, by role ARN, as synthesized */
  readonly identityPolicies: IdentityPolicies;
  /** access key ids that name another principal than `role/<key id>` (see callerOf); @default - none */
  readonly identities?: Readonly<Record<string, string>>;
  /** the resource's own policy (a queue policy, a bus policy), by its ARN; @default - no resource has one */
  readonly resourcePolicy?: (arn: string) => PolicyDocument | undefined;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** hears each refusal (caller, action, resource, why) */
  readonly onDenied?: (line: string) => void;
}

/**
 * An HTTP proxy in front of one emulator that does what IAM does in front of the real service: it
 * names the caller (its SigV4 access key id), evaluates every action the request needs against the
 * caller's identity policies and the resource's policy, forwards the request when all are allowed,
 * and otherwise answers the service's own AccessDenied, so the function's SDK client throws what it
 * would throw on AWS. Nothing denied reaches the emulator.
 */
export async function startEnforcingProxy(options: EnforcingProxyOptions): Promise<RunningServer> {
  const upstream = new URL(options.upstream);
  // one kept-alive connection pool to the emulator: a new connection per call would cost each call a handshake
  const agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, response) => {
    readBody(incoming)
      .then(async (body) => {
        const request: ServiceRequest = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: body.toString('utf8') };
        const refusal = await authorize(request, options);
        if (refusal) {
          answer(response, refusal);
          return;
        }
        forward(incoming, body, upstream, agent, response);
      })
      .catch((error: unknown) => answer(response, { status: 500, headers: { 'content-type': 'text/plain' }, body: `local policy proxy: ${String(error)}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const handle = running(server);
  return {
    url: handle.url,
    close: async () => {
      await handle.close();
      agent.destroy();
    },
  };
}

/** The service's AccessDenied for the first check that is not allowed; undefined when all are. */
async function authorize(request: ServiceRequest, options: EnforcingProxyOptions): Promise<ServiceAnswer | undefined> {
  const { authorization } = options;
  const principal = callerOf(request.headers.authorization, options.scope.accountId, options.identities);
  let checks;
  try {
    checks = authorization.checks(request, options.scope);
  } catch (error) {
    // a request whose action or resource cannot be named is refused, never waved through
    const message = `User: ${principal} is not authorized: the local policy proxy cannot read this ${authorization.service} request (${error instanceof Error ? error.message : String(error)})`;
    options.onDenied?.(`local ${authorization.service} policy: refused ${principal}: ${message}`);
    return authorization.denied(request, message);
  }
  const identityPolicies = identityPoliciesOf(options.identityPolicies, principal, options.scope.accountId);
  for (const check of checks) {
    const resourcePolicy = check.resource === '*' ? undefined : options.resourcePolicy?.(check.resource);
    const evaluation = await evaluateAuthorization({ ...check, principal }, { identityPolicies, ...(resourcePolicy ? { resourcePolicy } : {}) });
    if (evaluation.decision === 'Allowed') continue;
    const message = accessDeniedMessage(principal, authorization.actionInMessage?.(check.action) ?? check.action, check.resource, evaluation);
    options.onDenied?.(`local ${authorization.service} policy: ${message}`);
    return authorization.denied(request, message);
  }
  return undefined;
}

function forward(incoming: IncomingMessage, body: Buffer, upstream: URL, agent: Agent, response: ServerResponse): void {
  const outgoing = httpRequest(
    { hostname: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host }, agent },
    (reply) => {
      response.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(response);
    },
  );
  // the emulator went away mid-call: the caller sees a cut connection, as it would without the proxy
  outgoing.on('error', () => response.destroy());
  outgoing.end(body);
}

function answer(response: ServerResponse, result: ServiceAnswer): void {
  response.writeHead(result.status, { ...result.headers, 'content-length': String(Buffer.byteLength(result.body)) });
  response.end(result.body);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
