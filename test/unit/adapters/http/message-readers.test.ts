import type { APIGatewayProxyEvent } from 'aws-lambda';

import { toHttpRequest } from '../../../../lambda/adapters/http/api-gateway-event';
import { handleHttpRequest } from '../../../../lambda/adapters/http/handle-http-request';
import type { ControllerDependencies } from '../../../../lambda/domain/ports';
import { QueueScope } from '../../../../lambda/domain/queue-scope';

const ACCOUNT = '111122223333';
const SOURCE = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`;
const READERS = [`arn:aws:iam::${ACCOUNT}:role/dlq-reader*`];
const OPERATOR = `arn:aws:sts::${ACCOUNT}:assumed-role/operator/pat`;
const READER = `arn:aws:sts::${ACCOUNT}:assumed-role/dlq-reader-1/sam`;
const DRY_RUN = { SourceArn: SOURCE, DryRun: true, FilterPolicy: { ssn: [{ prefix: '078' }] }, FilterPolicyScope: 'MessageBody' };

/** No DLQ access and no queue messages: a request that got past the reader check meets their absence. */
function deps(): ControllerDependencies {
  const unused = () => {
    throw new Error('not reached');
  };
  return {
    sqs: { start: unused, cancel: unused, list: unused, listQueues: unused, depth: unused, ping: unused },
    store: {} as ControllerDependencies['store'],
    events: { publish: unused },
    scope: new QueueScope({ accountId: ACCOUNT, region: 'us-east-1', managedQueues: [SOURCE] }),
    clock: { now: () => new Date(0) },
    log: { warn: jest.fn(), error: jest.fn() },
  };
}

function proxyEvent(path: string, body: string, headers: Record<string, string> = {}): APIGatewayProxyEvent {
  return { httpMethod: 'POST', path, headers, body, isBase64Encoded: false, queryStringParameters: null, requestContext: { requestId: 'r-1' } } as unknown as APIGatewayProxyEvent;
}

const policy = { requireReason: false, messageReaders: READERS };

describe('message readers, checked by the function itself', () => {
  it.each([
    ['peek', proxyEvent('/dlqs/orders-dlq/peek', '{}')],
    ['peek with a trailing slash (the resource policy sees another method ARN)', proxyEvent('/dlqs/orders-dlq/peek/', '{}')],
    ['a path-style DryRun', proxyEvent('/StartMessageMoveTask', JSON.stringify(DRY_RUN))],
    ['an SQS JSON DryRun', proxyEvent('/', JSON.stringify(DRY_RUN), { 'X-Amz-Target': 'AmazonSQS.StartMessageMoveTask', 'Content-Type': 'application/x-amz-json-1.0' })],
  ])('refuses %s by a non-reader with a 403 AccessDeniedException in the API error format, before touching a queue', async (_, event) => {
    // Act
    const { response, summary } = await handleHttpRequest(deps(), toHttpRequest(event, 'r-1'), OPERATOR, policy);

    // Assess
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ __type: 'com.amazonaws.sqs#AccessDeniedException', message: expect.stringContaining(`${OPERATOR} may not`) });
    expect(response.headers['x-amzn-query-error']).toBe('AccessDeniedException;Sender');
    expect(summary).toMatchObject({ queue: 'orders-dlq', statusCode: 403 });
  });

  it('refuses a Query-style DryRun by a non-reader in SQS\'s XML error format', async () => {
    // Act
    const body = new URLSearchParams({ Action: 'StartMessageMoveTask', SourceArn: SOURCE, DryRun: 'true' }).toString();
    const { response } = await handleHttpRequest(deps(), toHttpRequest(proxyEvent('/', body, { 'Content-Type': 'application/x-www-form-urlencoded' }), 'r-1'), OPERATOR, policy);

    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('<Code>AccessDeniedException</Code>');
  });

  it("lets a reader's role session past the check (the next rule answers), and checks the person the org names, not the org role", async () => {
    // Act
    const reader = await handleHttpRequest(deps(), toHttpRequest(proxyEvent('/StartMessageMoveTask', JSON.stringify(DRY_RUN)), 'r-1'), READER, policy);
    const viaOrg = await handleHttpRequest(deps(), toHttpRequest(proxyEvent('/StartMessageMoveTask', JSON.stringify(DRY_RUN)), 'r-1'), { name: `${READER} via org`, principal: READER }, policy);
    const nonReaderViaOrg = await handleHttpRequest(deps(), toHttpRequest(proxyEvent('/StartMessageMoveTask', JSON.stringify(DRY_RUN)), 'r-1'), { name: `${OPERATOR} via org`, principal: OPERATOR }, policy);

    // Assess: past the check, this deployment has no selective redrive
    expect([reader.response.statusCode, JSON.parse(reader.response.body).__type]).toEqual([400, 'com.amazonaws.sqs#UnsupportedOperation']);
    expect(viaOrg.response.statusCode).toBe(400);
    expect(nonReaderViaOrg.response.statusCode).toBe(403);
  });

  it("refuses a DryRun by a role that only shares a reader pattern's name prefix under a path (the review's proof)", async () => {
    // Prepare: readers are the Support* roles under /readers/; SupportEscalationAdmin sits at path /, outside it for IAM
    const readers = { requireReason: false, messageReaders: [`arn:aws:iam::${ACCOUNT}:role/readers/Support*`] };
    const admin = `arn:aws:sts::${ACCOUNT}:assumed-role/SupportEscalationAdmin/alice`;
    // Act
    const { response } = await handleHttpRequest(deps(), toHttpRequest(proxyEvent('/StartMessageMoveTask', JSON.stringify(DRY_RUN)), 'r-1'), admin, readers);
    // Assess
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).message).toContain(`${admin} may not dry-run`);
  });

  it('refuses everyone when no reader is configured', async () => {
    const { response } = await handleHttpRequest(deps(), toHttpRequest(proxyEvent('/dlqs/orders-dlq/peek', '{}'), 'r-1'), READER, { requireReason: false, messageReaders: [] });
    expect(response.statusCode).toBe(403);
  });
});
