import type { APIGatewayProxyEvent } from 'aws-lambda';

import { callerOf, toHttpRequest } from '../../../../lambda/adapters/http/api-gateway-event';

function proxyEvent(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    resource: '/{proxy+}', path: '/', httpMethod: 'GET', headers: {}, multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
    pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
    requestContext: { requestId: 'apigw-1', identity: { userArn: 'arn:aws:iam::111122223333:role/operator', caller: 'AROA:operator' } } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

describe('toHttpRequest', () => {
  it('lower-cases header names, trims a trailing slash, and keeps API Gateway\'s request id', () => {
    // Act
    const request = toHttpRequest(
      proxyEvent({ httpMethod: 'post', path: '/tasks/', headers: { 'Content-Type': 'application/json', 'X-Amz-Target': 'AmazonSQS.X' }, queryStringParameters: { limit: '2' }, body: '{}' }),
      'lambda-1',
    );

    // Assess
    expect(request).toEqual({
      method: 'POST',
      path: '/tasks',
      headers: { 'content-type': 'application/json', 'x-amz-target': 'AmazonSQS.X' },
      query: { limit: '2' },
      body: '{}',
      requestId: 'apigw-1',
    });
  });

  it('decodes a base64 body, reads a query named like Object.prototype as data, and falls back to Lambda\'s request id', () => {
    // Act
    const request = toHttpRequest(
      proxyEvent({ body: Buffer.from('Action=X', 'utf8').toString('base64'), isBase64Encoded: true, queryStringParameters: { constructor: 'c' }, requestContext: undefined as never }),
      'lambda-1',
    );

    // Assess
    expect(request.body).toBe('Action=X');
    expect(Object.getPrototypeOf(request.query)).toBeNull();
    expect(request.query.constructor).toBe('c');
    expect(request.requestId).toBe('lambda-1');
    expect(request.path).toBe('/');
  });
});

describe('callerOf', () => {
  it('names the IAM identity: its ARN, else the caller, else anonymous', () => {
    // Prepare
    const identity = (value: object) => proxyEvent({ requestContext: { identity: value } as APIGatewayProxyEvent['requestContext'] });

    // Act / Assess
    expect(callerOf(proxyEvent({}))).toBe('arn:aws:iam::111122223333:role/operator');
    expect(callerOf(identity({ userArn: null, caller: 'AROA:operator' }))).toBe('AROA:operator');
    expect(callerOf(identity({}))).toBe('anonymous');
    expect(callerOf(proxyEvent({ requestContext: undefined as never }))).toBe('anonymous');
  });
});
