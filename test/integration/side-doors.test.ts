import { randomUUID } from 'node:crypto';

import type { APIGatewayProxyResult } from 'aws-lambda';

import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';

/** What a principal with lambda:InvokeFunction could hand the api function: a made-up API Gateway event. */
function madeUpEvent(dlqArn: string, requestContext: Record<string, unknown>): Record<string, unknown> {
  return {
    resource: '/{proxy+}',
    path: '/StartMessageMoveTask',
    httpMethod: 'POST',
    headers: { 'content-type': 'application/json' },
    queryStringParameters: null,
    body: JSON.stringify({ SourceArn: dlqArn, Reason: 'via a side door' }),
    isBase64Encoded: false,
    requestContext,
  };
}

describe('the api function invoked directly, not through API Gateway', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each([
    ['no requestContext at all', {}],
    ['an identity but no apiId or stage', { requestId: randomUUID(), identity: { userArn: 'arn:aws:iam::123456789012:role/made-up' } }],
    ['another API', { apiId: 'abc123defg', stage: 'local', requestId: randomUUID(), identity: { userArn: 'arn:aws:iam::123456789012:role/made-up' } }],
    ['another stage', { apiId: 'local', stage: 'test-invoke-stage', requestId: randomUUID(), identity: { userArn: 'arn:aws:iam::123456789012:role/made-up' } }],
  ])('refuses an event with %s in the API error format, recording and starting nothing', async (_case, requestContext) => {
    // Prepare
    const dlq = await t.seedDlq(3, 'side-door');
    t.sqsProxy.calls.length = 0;

    // Act
    const result = await t.stack.api.invoke<APIGatewayProxyResult>(madeUpEvent(dlq.dlqArn, requestContext));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ __type: 'com.amazonaws.sqs#InvalidSecurity', message: expect.stringMatching(/did not come through (API Gateway|this API)/) });
    expect(result.headers?.['x-amzn-query-error']).toBe('InvalidSecurity;Sender');
    expect(t.sqsProxy.calls.filter((call) => call.target === 'AmazonSQS.StartMessageMoveTask')).toEqual([]);
    expect((await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks).toEqual([]);
    expect(t.logs.some((line) => line.includes('request refused: not from API Gateway'))).toBe(true);
    recordFigure(__filename, { area: 'security', scenario: `api function invoked directly with a made-up event: ${_case}`, cases: 1, held: '400 InvalidSecurity in the API error format; 0 SQS starts; no record; logged' });
  });

  it('still answers what comes through the API gateway', async () => {
    expect((await t.get('/health')).status).toBe(200);
  });
});
