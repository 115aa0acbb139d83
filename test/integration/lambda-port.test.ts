import { createServer } from 'node:net';

import { startTestStack, type TestStack } from '../support/local-stack-fixture';

const signedAs = (accessKeyId: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0` });

/** a port free now, for the published LAMBDA_PORT */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** API.md section 10: Lambda's Invoke on the published port is evaluated as every other call is. */
describe('the mover on LAMBDA_PORT', () => {
  let t: TestStack;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    t = await startTestStack({ lambdaPort: port });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses an invoke by a caller no policy allows with AccessDeniedException, on the port the functions use too', async () => {
    // Prepare
    const mover = t.stack.description.functions.mover!.functionName;
    t.logs.length = 0;

    // Act
    const response = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/${mover}/invocations`, { method: 'POST', headers: signedAs('mallory'), body: '{}' });
    const text = await response.text();

    // Assess
    expect([response.status, response.headers.get('x-amzn-errortype'), text]).toEqual([403, expect.stringContaining('AccessDeniedException'), expect.stringContaining('role/mallory is not authorized to perform: lambda:InvokeFunction')]);
    expect(t.stack.lambdaUrl).toBe(`http://127.0.0.1:${port}`);
    expect(t.stack.functionEnvs.api.AWS_ENDPOINT_URL_LAMBDA).toBe(t.stack.lambdaUrl);
  });
});
