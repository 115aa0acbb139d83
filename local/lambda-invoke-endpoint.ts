import { createServer, type ServerResponse } from 'node:http';

import { running, type RunningServer } from './emulators';
import { answerControlPlane, type LocalFunctionConfiguration, parseFunctionReference } from './lambda-control-plane';

export interface LocalFunction {
  /** runs one invocation and answers its result; rejects with the function's error */
  invoke(event: unknown): Promise<unknown>;
  /**
   * An asynchronous invocation (InvocationType Event): queued, with Lambda's retries and
   * destinations (local/world/async-invocation.ts). @default - runs `invoke` once, in the background
   */
  invokeAsync?(event: unknown): void;
  /** what ListFunctions and the event-invoke-config calls say of it; @default - not listed */
  readonly configuration?: LocalFunctionConfiguration;
}

export interface LocalLambdaEndpoint extends RunningServer {
  /** adds a function, e.g. one started after the endpoint */
  register(name: string, fn: LocalFunction): void;
}

/**
 * Lambda's API for the local stack's functions, so the AWS SDK's LambdaClient pointed here
 * (AWS_ENDPOINT_URL_LAMBDA) reaches them as deployed:
 * - Invoke (`POST /2015-03-31/functions/{name}/invocations`): `Event` answers 202 at once and queues
 *   the event; `RequestResponse` answers the result, or the function's error with
 *   `X-Amz-Function-Error: Unhandled` and HTTP 200, as https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html says;
 * - the control plane's reads (local/lambda-control-plane.ts).
 */
export async function startLocalLambdaInvokeEndpoint(options: {
  port: number;
  functions: Readonly<Record<string, LocalFunction>>;
  onError: (name: string, error: unknown) => void;
}): Promise<LocalLambdaEndpoint> {
  const functions = new Map(Object.entries(options.functions));
  const configurations = () => new Map([...functions].flatMap(([name, fn]) => (fn.configuration ? [[name, fn.configuration] as const] : [])));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const control = answerControlPlane(request.method ?? 'GET', request.url ?? '/', configurations());
      if (control) {
        answer(response, control.status, control.body);
        return;
      }
      const url = new URL(request.url ?? '/', 'http://local');
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(url.pathname);
      const reference = match ? parseFunctionReference(decodeURIComponent(match[1]!), url.searchParams.get('Qualifier')) : undefined;
      const target = reference && (reference.qualifier === undefined || reference.qualifier === '$LATEST') ? functions.get(reference.name) : undefined;
      if (request.method !== 'POST' || !target) {
        answer(response, 404, { Type: 'User', __type: 'ResourceNotFoundException', message: `Function not found: ${reference ? `${reference.name}${reference.qualifier ? `:${reference.qualifier}` : ''}` : url.pathname}` });
        return;
      }
      let event: unknown;
      try {
        event = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        answer(response, 400, { Type: 'User', __type: 'InvalidRequestContentException', message: 'Could not parse request body into json' });
        return;
      }
      const name = reference!.name;
      const type = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
      if (type === 'Event') {
        // accepted: the event is queued, the caller hears nothing of its fate
        response.writeHead(202, { 'x-amzn-requestid': crypto.randomUUID() });
        response.end();
        if (target.invokeAsync) target.invokeAsync(event);
        else target.invoke(event).catch((error: unknown) => options.onError(name, error));
        return;
      }
      if (type === 'DryRun') {
        response.writeHead(204);
        response.end();
        return;
      }
      target.invoke(event).then(
        (result) => answer(response, 200, result ?? null, { 'x-amz-executed-version': '$LATEST' }),
        // the function's error: HTTP 200, X-Amz-Function-Error, the runtime's error object as payload
        (error: unknown) => answer(response, 200, functionErrorPayload(error), { 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return { ...running(server), register: (name, fn) => functions.set(name, fn) };
}

/** What the Node.js runtime reports for an error thrown by a handler. */
export function functionErrorPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  const known = error instanceof Error ? error : new Error(String(error));
  return { errorType: known.name || 'Error', errorMessage: known.message, trace: [] };
}

function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const type = status >= 400 ? (body as { __type?: string }).__type : undefined;
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID(), ...(type ? { 'x-amzn-errortype': type } : {}), ...headers });
  response.end(JSON.stringify(body));
}
