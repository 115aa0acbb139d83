import type { HttpRequest } from '../../../../lambda/adapters/http/http-request';
import { MAX_BODY_BYTES } from '../../../../lambda/adapters/http/http-request';
import { routeRequest, styleOf } from '../../../../lambda/adapters/http/route-request';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return { method: 'POST', path: '/', headers: {}, query: {}, body: '', requestId: 'req-1', ...overrides };
}

describe('routeRequest', () => {
  it.each<[string, HttpRequest, unknown]>([
    ['GET /health', request({ method: 'GET', path: '/health' }), { kind: 'health' }],
    ['GET / (the dashboard)', request({ method: 'GET', path: '/' }), { kind: 'dashboard' }],
    ['GET /queues', request({ method: 'GET', path: '/queues' }), { kind: 'list-queues' }],
    ['GET /tasks/{id}, decoded', request({ method: 'GET', path: '/tasks/a%3Ab' }), { kind: 'get-task', taskId: 'a:b' }],
    ['POST /<Action> with JSON', request({ path: '/ListMessageMoveTasks', body: '{"MaxResults":2}' }), { kind: 'action', action: 'ListMessageMoveTasks', params: { MaxResults: 2 }, style: 'path' }],
    ['POST / with X-Amz-Target', request({ headers: { 'x-amz-target': 'AmazonSQS.CancelMessageMoveTask' }, body: '' }), { kind: 'action', action: 'CancelMessageMoveTask', params: {}, style: 'json' }],
  ])('routes %s', (_name, input, expected) => {
    // Act
    const route = routeRequest(input);

    // Assess
    expect(route).toEqual(expected);
  });

  it('reads a Query form, the first of repeated fields, its integers as numbers', () => {
    // Act
    const route = routeRequest(request({ headers: FORM, body: 'Action=ListMessageMoveTasks&MaxResults=3&MaxResults=9&SourceArn=arn' }));

    // Assess
    expect(route).toMatchObject({ kind: 'action', action: 'ListMessageMoveTasks', style: 'query' });
    expect({ ...(route as { params: object }).params }).toEqual({ Action: 'ListMessageMoveTasks', MaxResults: 3, SourceArn: 'arn' });
  });

  it('reads GET /tasks\' limit as a number and keeps the other query values as text', () => {
    // Act
    const route = routeRequest(request({ method: 'GET', path: '/tasks', query: { limit: '10', status: 'RUNNING' } }));

    // Assess
    expect(route.kind).toBe('list-tasks');
    expect({ ...(route as { params: object }).params }).toEqual({ limit: 10, status: 'RUNNING' });
  });

  it.each<[string, HttpRequest, string, RegExp]>([
    ['an unknown action', request({ path: '/PurgeQueue' }), 'InvalidAction', /^Unknown action "PurgeQueue": expected one of StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks$/],
    ['an unknown route', request({ method: 'DELETE', path: '/tasks' }), 'InvalidAction', /^No route for DELETE "\/tasks"/],
    ['a foreign X-Amz-Target', request({ headers: { 'x-amz-target': 'DynamoDB_20120810.Scan' } }), 'InvalidAction', /X-Amz-Target must be AmazonSQS\.<Action>/],
    ['a form without Action', request({ headers: FORM, body: 'SourceArn=x' }), 'MissingParameter', /^Action is required/],
    ['POST / with neither', request({ body: '{}' }), 'MissingParameter', /X-Amz-Target: AmazonSQS\.<Action> header \(JSON\) or a form body/],
    ['a body that is no JSON', request({ path: '/StartMessageMoveTask', body: '{' }), 'InvalidParameterValue', /not valid JSON/],
    ['a JSON array body', request({ path: '/StartMessageMoveTask', body: '[]' }), 'InvalidParameterValue', /must be a JSON object/],
    ['a body over the cap', request({ path: '/StartMessageMoveTask', body: ' '.repeat(MAX_BODY_BYTES + 1) }), 'InvalidParameterValue', /at most 65536 bytes/],
  ])('refuses %s', (_name, input, code, message) => {
    // Act
    const attempt = () => routeRequest(input);

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
  });
});

describe('styleOf', () => {
  it.each<[string, HttpRequest, string]>([
    ['a form POST to / is Query', request({ headers: FORM }), 'query'],
    ['X-Amz-Target is JSON', request({ headers: { 'x-amz-target': 'AmazonSQS.X' } }), 'json'],
    ['a form with X-Amz-Target is JSON', request({ headers: { ...FORM, 'x-amz-target': 'AmazonSQS.X' } }), 'json'],
    ['a form POST elsewhere is path', request({ path: '/StartMessageMoveTask', headers: FORM }), 'path'],
    ['GET is path', request({ method: 'GET', path: '/tasks' }), 'path'],
  ])('%s', (_name, input, style) => {
    expect(styleOf(input)).toBe(style);
  });
});
