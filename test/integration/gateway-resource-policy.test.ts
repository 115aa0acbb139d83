import type { APIGatewayProxyEvent } from 'aws-lambda';

import { startLocalApiGateway } from '../../local/api-gateway';
import type { RunningServer } from '../../local/emulators';
import type { PolicyDocument } from '../../local/policy/policy-evaluator';

const ACCOUNT = '123456789012';
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
const PEEK = 'execute-api:/*/POST/dlqs/*/peek';
// the API's resource policy as lib/controller-api.ts synthesizes it (allowedPrincipals role/op-*, messageReaders role/reader)
const API_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowConfiguredPrincipals', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { ArnLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/op-*`] } } },
    { Sid: 'AllowMessageReadersToPeek', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: PEEK, Condition: { ArnLike: { 'aws:PrincipalArn': [READER] } } },
    { Sid: 'DenyPeekToOthers', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: PEEK, Condition: { ArnNotLike: { 'aws:PrincipalArn': [READER] } } },
    { Sid: 'DenyEveryoneElse', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', NotResource: PEEK, Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/op-*`] } } },
  ],
};

describe('the local API gateway evaluates the resource policy on the method ARN API Gateway builds', () => {
  let gateway: RunningServer;
  const reached: APIGatewayProxyEvent[] = [];
  const denials: string[] = [];
  beforeAll(async () => {
    gateway = await startLocalApiGateway({
      port: 0,
      accountId: ACCOUNT,
      resourcePolicy: API_POLICY,
      invoke: async (event) => {
        reached.push(event);
        return { statusCode: 200, body: '{}' };
      },
      onDenied: (message) => denials.push(message),
    });
  });
  afterAll(() => gateway.close());

  /** a request signed as `keyId` would sign it: only the access key id matters locally */
  const call = async (method: string, path: string, keyId?: string) => {
    const headers: Record<string, string> = keyId ? { authorization: `AWS4-HMAC-SHA256 Credential=${keyId}/20261207/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00` } : {};
    const response = await fetch(`${gateway.url}${path}`, { method, headers });
    return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: (await response.json()) as Record<string, string> };
  };
  const arn = (method: string, path: string) => `arn:aws:execute-api:us-east-1:${ACCOUNT}:local/local/${method}${path}`;

  it('admits an allowed principal, and the function sees API Gateway\'s path', async () => {
    // Act
    const answer = await call('GET', '/tasks', 'op-alice');

    // Assess
    expect(answer.status).toBe(200);
    expect(reached.at(-1)).toMatchObject({ path: '/tasks', pathParameters: { proxy: 'tasks' } });
  });

  it.each([
    ['an unsigned caller (role/local)', undefined, `arn:aws:iam::${ACCOUNT}:role/local`],
    ['a principal not in the policy', 'intruder', `arn:aws:iam::${ACCOUNT}:role/intruder`],
  ])('refuses %s with API Gateway\'s own 403, before the function runs', async (_case, keyId, principal) => {
    // Prepare
    const before = reached.length;

    // Act
    const answer = await call('GET', '/tasks', keyId);

    // Assess
    expect(answer).toEqual({ status: 403, errorType: 'AccessDeniedException', body: { Message: `User: ${principal} is not authorized to perform: execute-api:Invoke on resource: ${arn('GET', '/tasks')} with an explicit deny` } });
    expect(reached.length).toBe(before);
  });

  it('lets the message reader peek and refuses an allowed non-reader, on the exact method ARN', async () => {
    expect((await call('POST', '/dlqs/orders-dlq/peek', 'reader')).status).toBe(200);
    const refused = await call('POST', '/dlqs/orders-dlq/peek', 'op-alice');
    expect(refused.status).toBe(403);
    expect(refused.body.Message).toContain(`on resource: ${arn('POST', '/dlqs/orders-dlq/peek')} with an explicit deny`);
  });

  it.each([
    // as on AWS: the trailing slash is in the method ARN, so `dlqs/*/peek` matches neither allow nor deny (the issue-22 door)
    ['/dlqs/orders-dlq/peek/', 200, '/dlqs/orders-dlq/peek/', 'dlqs/orders-dlq/peek'],
    // leading slashes collapse before the ARN is built: the peek rule applies
    ['//dlqs/orders-dlq/peek', 403, '/dlqs/orders-dlq/peek', undefined],
    // an inner // stays; IAM's `*` spans slashes, so `dlqs/*/peek` still matches it
    ['/dlqs/orders-dlq//peek', 403, '/dlqs/orders-dlq//peek', undefined],
    // case is kept and percent-encoding is not decoded: neither is the peek method's ARN
    ['/DLQS/orders-dlq/PEEK', 200, '/DLQS/orders-dlq/PEEK', 'DLQS/orders-dlq/PEEK'],
    ['/dlqs/orders-dlq/%70eek', 200, '/dlqs/orders-dlq/%70eek', 'dlqs/orders-dlq/%70eek'],
  ])('reads %s as API Gateway does: %i, method ARN path %s', async (sent, status, arnPath, proxy) => {
    // Act
    const answer = await call('POST', sent, 'op-alice');

    // Assess
    expect(answer.status).toBe(status);
    if (status === 403) expect(denials.at(-1)).toContain(`on resource: ${arn('POST', arnPath)} `);
    else expect(reached.at(-1)).toMatchObject({ path: arnPath, pathParameters: { proxy } });
  });
});
