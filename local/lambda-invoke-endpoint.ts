import { createServer } from 'node:http';

import { running, type RunningServer } from './emulators';

export interface LocalFunction {
  /** runs one invocation; for InvocationType Event nobody waits for it */
  invoke(event: unknown): Promise<unknown>;
}

/**
 * Lambda's Invoke API (`POST /2015-03-31/functions/{name}/invocations`) for the local stack's
 * functions, so the AWS SDK's LambdaClient pointed here (AWS_ENDPOINT_URL_LAMBDA) invokes them as
 * deployed: `Event` answers 202 at once and runs the function in the background.
 */
export async function startLocalLambdaInvokeEndpoint(options: {
  port: number;
  functions: Readonly<Record<string, LocalFunction>>;
  onError: (name: string, error: unknown) => void;
}): Promise<RunningServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '');
      const name = match ? decodeURIComponent(match[1]!).split(':').pop()! : '';
      const target = options.functions[name];
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', ...(status >= 400 ? { 'x-amzn-errortype': (body as { __type: string }).__type } : {}) });
        response.end(JSON.stringify(body));
      };
      if (request.method !== 'POST' || !target) {
        answer(404, { __type: 'ResourceNotFoundException', message: `Function not found: ${name}` });
        return;
      }
      let event: unknown;
      try {
        event = chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        answer(400, { __type: 'InvalidRequestContentException', message: 'Could not parse request body into json' });
        return;
      }
      if (request.headers['x-amz-invocation-type'] === 'Event') {
        answer(202, {});
        target.invoke(event).catch((error: unknown) => options.onError(name, error));
        return;
      }
      target.invoke(event).then(
        (result) => answer(200, result ?? null),
        (error: unknown) => answer(200, { errorMessage: String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return running(server);
}
