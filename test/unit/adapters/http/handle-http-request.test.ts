import { handleHttpRequest } from '../../../../lambda/adapters/http/handle-http-request';
import type { HttpRequest } from '../../../../lambda/adapters/http/http-request';
import type { ControllerDependencies, MessageMoveService, TaskStore } from '../../../../lambda/domain/ports';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';

const SOURCE = 'arn:aws:sqs:us-east-1:111122223333:orders-dlq';

function fakeDeps() {
  const sqs = {
    start: jest.fn(async () => ({ taskHandle: encodeTaskHandle('t-1', SOURCE) })),
    cancel: jest.fn(),
    list: jest.fn(async () => [
      { status: 'RUNNING' as const, taskHandle: 'h<&>', sourceArn: SOURCE, approximateNumberOfMessagesMoved: 1, startedTimestamp: 5 },
      { status: 'COMPLETED' as const, taskHandle: 'hidden', sourceArn: SOURCE, approximateNumberOfMessagesMoved: 9, startedTimestamp: 4 },
    ]),
    ping: jest.fn(async () => undefined),
    listQueues: jest.fn(async () => ({ queues: [], truncated: false })),
    depth: jest.fn(async () => undefined),
  } satisfies MessageMoveService;
  const store = { create: jest.fn(async () => true), get: jest.fn(), replace: jest.fn(async () => true), query: jest.fn(), findActiveTask: jest.fn(async () => undefined), readSourceClaim: jest.fn(async () => undefined), claimSource: jest.fn(async () => true), ping: jest.fn() } as unknown as TaskStore;
  const deps: ControllerDependencies = {
    sqs,
    store,
    events: { publish: jest.fn(async (events) => ({ sent: events.map((event) => event.id) })) },
    scope: new QueueScope({ accountId: '111122223333', region: 'us-east-1', managedQueues: [SOURCE] }),
    clock: { now: () => new Date(0) },
    log: { warn: jest.fn(), error: jest.fn() },
  };
  return { deps, sqs, store };
}

function request(overrides: Partial<HttpRequest>): HttpRequest {
  return { method: 'POST', path: '/', headers: {}, query: {}, body: '', requestId: 'req-1', ...overrides };
}

describe('handleHttpRequest', () => {
  it.each([
    ['path', request({ path: '/StartMessageMoveTask', body: JSON.stringify({ SourceArn: SOURCE }) })],
    ['SQS JSON', request({ headers: { 'x-amz-target': 'AmazonSQS.StartMessageMoveTask', 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ SourceArn: SOURCE }) })],
  ])('answers a %s style Start in JSON', async (_, input) => {
    const { deps, sqs } = fakeDeps();
    const { response } = await handleHttpRequest(deps, input, 'alice');
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ TaskHandle: encodeTaskHandle('t-1', SOURCE) });
    expect(sqs.start).toHaveBeenCalledTimes(1);
  });

  it("answers a Query style List in the XML of SQS's sample, TaskHandle only while RUNNING and escaped", async () => {
    const { deps } = fakeDeps();
    const body = new URLSearchParams({ Action: 'ListMessageMoveTasks', SourceArn: SOURCE, MaxResults: '2' }).toString();
    const { response } = await handleHttpRequest(deps, request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }), 'alice');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(response.body).toContain('<ListMessageMoveTasksResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">');
    expect(response.body).toContain('<ListMessageMoveTasksResultEntry><TaskHandle>h&lt;&amp;&gt;</TaskHandle><Status>RUNNING</Status>');
    expect(response.body).not.toContain('hidden');
    expect(response.body).toContain('<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>');
  });

  it('answers errors in the Query style as an ErrorResponse', async () => {
    const { deps } = fakeDeps();
    const body = 'Action=CancelMessageMoveTask&TaskHandle=%%%';
    const { response } = await handleHttpRequest(deps, request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }), 'alice');
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/<ErrorResponse><Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>TaskHandle .* is not a task handle/);
    const noAction = await handleHttpRequest(deps, request({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'SourceArn=x' }), 'alice');
    expect(noAction.response.body).toMatch(/<Code>MissingParameter<\/Code><Message>Action is required/);
  });

  it.each([
    ['an unknown action', request({ path: '/DeleteQueue', body: '{}' }), 'InvalidAction', /Unknown action "DeleteQueue"/],
    ['a wrong X-Amz-Target', request({ headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{}' }), 'InvalidAction', /X-Amz-Target must be AmazonSQS/],
    ['POST / without a style', request({ body: '{}' }), 'MissingParameter', /X-Amz-Target/],
    ['a JSON array body', request({ path: '/StartMessageMoveTask', body: '[]' }), 'InvalidParameterValue', /JSON object/],
    ['broken JSON', request({ path: '/StartMessageMoveTask', body: '{"SourceArn":' }), 'InvalidParameterValue', /JSON object/],
    ['a body over the cap', request({ path: '/StartMessageMoveTask', body: ' '.repeat(64 * 1024 + 1) }), 'InvalidParameterValue', /at most 65536 bytes/],
    ['an unknown route', request({ method: 'DELETE', path: '/tasks' }), 'InvalidAction', /No route for DELETE/],
    ['an unmanaged queue', request({ path: '/ListMessageMoveTasks', body: JSON.stringify({ SourceArn: 'arn:aws:sqs:us-east-1:111122223333:other' }) }), 'UnsupportedOperation', /does not manage/],
  ])('answers %s with a 400 in the JSON error format', async (_, input, code, message) => {
    const { deps, sqs, store } = fakeDeps();
    const { response } = await handleHttpRequest(deps, input, 'alice');
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ __type: `com.amazonaws.sqs#${code}`, message: expect.stringMatching(message) });
    expect(response.headers['x-amzn-query-error']).toBe(`${code === 'UnsupportedOperation' ? 'AWS.SimpleQueueService.UnsupportedOperation' : code};Sender`);
    expect(sqs.start).not.toHaveBeenCalled();
    expect(store.create).not.toHaveBeenCalled();
  });

  it('hides our own faults behind a fixed 500 and hands the error to the log', async () => {
    const { deps, sqs } = fakeDeps();
    sqs.list.mockRejectedValueOnce(new TypeError('secret internals'));
    const { response, error } = await handleHttpRequest(deps, request({ path: '/ListMessageMoveTasks', body: JSON.stringify({ SourceArn: SOURCE }) }), 'alice');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(JSON.parse(response.body).__type).toBe('com.amazonaws.sqs#InternalFailure');
    expect(error).toBeInstanceOf(TypeError);
  });
});
