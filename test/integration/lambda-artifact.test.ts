import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';

import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

import { bundlePath } from '../../lib/lambda-bundling';
import { LambdaHost } from '../../local/lambda-host';
import { useTestStack } from '../support/local-stack-fixture';

/** The bundle `npm run build` makes with the stack's esbuild settings, loaded on Lambda's Node.js major version. */
describe('the bundled API function', () => {
  const t = useTestStack();
  let node22: string;
  let host: LambdaHost;
  const logs: string[] = [];
  beforeAll(async () => {
    // the npm package node@22 ships Lambda's Node.js major version
    node22 = execFileSync('npx', ['-y', 'node@22', '-p', 'process.execPath'], { encoding: 'utf8' }).trim();
    host = await LambdaHost.start({ bundle: resolve(__dirname, '../..', bundlePath('api')), env: t.stack.functionEnv, nodeBinary: node22, onLog: (line) => logs.push(line) });
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
  });

  it('loads on Node.js 22 (ESM with the createRequire banner) and serves a proxy event', async () => {
    // Prepare
    expect(execFileSync(node22, ['--version'], { encoding: 'utf8' })).toMatch(/^v22\./);
    const dlq = await t.seedDlq(5, 'node22');
    const event = proxyEvent('POST', '/StartMessageMoveTask', JSON.stringify({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'artifact' }));
    // Act
    const result = await host.invoke<APIGatewayProxyResult>(event);
    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).TaskHandle).toEqual(expect.any(String));
    const line = JSON.parse(logs.find((entry) => entry.includes('"route":"StartMessageMoveTask"'))!);
    expect(line).toMatchObject({ level: 'INFO', message: 'request', route: 'StartMessageMoveTask', outcome: 'ok', statusCode: 200, service: 'redrive-controller', caller: 'arn:aws:iam::123456789012:role/dashboard' });
    expect(typeof line.durationMs).toBe('number');
    expect(line.taskId).toEqual(expect.any(String));
    // no full handle at info level
    expect(logs.join('\n')).not.toContain(JSON.parse(result.body).TaskHandle);
  });
});

function proxyEvent(httpMethod: string, path: string, body: string): APIGatewayProxyEvent {
  return {
    httpMethod, path, body, resource: '/{proxy+}', headers: { 'content-type': 'application/json' }, multiValueHeaders: {},
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, isBase64Encoded: false,
    requestContext: { apiId: 'local', stage: 'local', requestId: randomUUID(), identity: { userArn: 'arn:aws:iam::123456789012:role/dashboard' } } as APIGatewayProxyEvent['requestContext'],
  };
}
