import { request as httpRequest } from 'node:http';

import fc from 'fast-check';

import { MAX_BODY_BYTES } from '../../lambda/adapters/http/http-request';
import { GATEWAY_MAX_BODY_BYTES } from '../../local/api-gateway';
import { ACTION_NAMES, hostileFormBody, hostileJsonBody, hostileTaskQuery, isApiError } from '../support/hostile-input';
import { useTestStack } from '../support/local-stack-fixture';
import { recordFigure } from '../support/reliability-figures';
import { tableFingerprint } from '../support/table-scan';

const RUNS = 200;

interface RawAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** node:http, not fetch: sends any bytes as the body and keeps the answer as it came. */
function send(apiUrl: string, method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<RawAnswer> {
  const url = new URL(apiUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ hostname: url.hostname, port: url.port, method, path, headers: { ...headers, 'content-length': String(body.length) } }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, contentType: incoming.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

// header values an HTTP client may send: visible ASCII and spaces
const headerValue = fc.string({ maxLength: 80 }).map((text) => text.replace(/[^\x20-\x7e]/g, ''));
const contentTypes = fc.constantFrom('application/json', 'application/x-amz-json-1.0', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-16', 'text/plain', 'application/octet-stream');
const invalidUtf8 = fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, ...bytes]));
const textBody = (arbitrary: fc.Arbitrary<string>) => arbitrary.map((text) => Buffer.from(text, 'utf8'));

const hostileHttpRequest = fc.oneof(
  fc.record({ action: fc.constantFrom(...ACTION_NAMES.filter(Boolean)), body: fc.oneof(textBody(hostileJsonBody), invalidUtf8), contentType: contentTypes, extra: headerValue }).map(({ action, body, contentType, extra }) => ({
    style: 'path JSON', method: 'POST', path: `/${action}`, headers: { 'content-type': contentType, 'x-fuzz': extra }, body,
  })),
  fc.record({ target: fc.oneof(fc.constantFrom(...ACTION_NAMES).map((name) => `AmazonSQS.${name}`), headerValue), body: fc.oneof(textBody(hostileJsonBody), invalidUtf8), contentType: contentTypes }).map(({ target, body, contentType }) => ({
    style: 'X-Amz-Target JSON', method: 'POST', path: '/', headers: { 'content-type': contentType, 'x-amz-target': target }, body,
  })),
  fc.oneof(textBody(hostileFormBody), invalidUtf8).map((body) => ({
    style: 'Query form', method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body,
  })),
  hostileTaskQuery.map((query) => ({ style: 'GET /tasks', method: 'GET', path: `/tasks?${new URLSearchParams(query).toString()}`, headers: {}, body: Buffer.alloc(0) })),
  fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), path: fc.oneof(fc.constantFrom('/', '/queues', '/health', '/tasks/', '//', '/%2e%2e/'), fc.webPath()), query: hostileTaskQuery, body: textBody(hostileJsonBody) }).map(({ method, path, query, body }) => ({
    style: 'other routes (dashboard, queues, health, unknown)', method, path: `${path.startsWith('/') ? path : `/${path}`}?${new URLSearchParams(query).toString()}`, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? Buffer.alloc(0) : body,
  })),
  fc.oneof(fc.string(), fc.constantFrom('%', '%ZZ', '%C0%AF', '..%2F..%2Fhealth', '__proto__', 'a'.repeat(300))).map((id) => ({
    style: 'GET /tasks/{id}', method: 'GET', path: `/tasks/${encodeURIComponent(id).replace(/%25/g, '%')}`, headers: {}, body: Buffer.alloc(0),
  })),
);

/** The deployed path: HTTP → API Gateway (local) → the bundled function → SQS and DynamoDB emulators. */
describe('the API over HTTP under hostile input', () => {
  const t = useTestStack();

  it(`never answers 5xx, answers in the API's error format, stays healthy and leaves the table unchanged (${RUNS} cases)`, async () => {
    // Prepare: a real task in the table, so "unchanged" has something to protect
    const dlq = await t.seedDlq(30, 'fuzz');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'fuzz target' });
    expect(started.status).toBe(200);
    t.sqsProxy.reset();
    const styles = new Map<string, number>();
    let refused = 0;
    // Act + Assess
    await fc.assert(
      fc.asyncProperty(hostileHttpRequest, async ({ style, method, path, headers, body }) => {
        const before = await tableFingerprint(t.dynamoDb, t.stack.tableName);
        const answer = await send(t.stack.apiUrl, method, path, headers, body);
        styles.set(style, (styles.get(style) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          refused += 1;
          expect(isApiError(answer.status, answer.contentType, answer.body)).toBe(true);
          expect(await tableFingerprint(t.dynamoDb, t.stack.tableName)).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect((await t.get('/health')).status).toBe(200);
    // what reached SQS had passed validation: well-formed queue ARNs of this account
    const reachedSqs = t.sqsProxy.calls.filter((call) => /(Start|Cancel)MessageMoveTask$/.test(call.target));
    for (const call of reachedSqs) {
      const input = JSON.parse(call.body) as { SourceArn?: string; TaskHandle?: string };
      const source = input.SourceArn ?? (JSON.parse(Buffer.from(input.TaskHandle ?? '', 'base64').toString('utf8')) as { sourceArn: string }).sourceArn;
      expect(source).toMatch(new RegExp(`^arn:aws:sqs:us-east-1:${t.stack.accountId}:[A-Za-z0-9_-]{1,80}$`));
    }
    expect((await t.get(`/tasks/${JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId}`)).body).toMatchObject({ Status: 'RUNNING', startReason: 'fuzz target' });
    recordFigure(__filename, { area: 'hostile input', scenario: `over HTTP through the local API Gateway and the bundled function (${[...styles].map(([name, count]) => `${name} ${count}`).join(', ')})`, cases: RUNS, held: `no 5xx; ${refused} refusals all in the API's error format with the table unchanged; ${reachedSqs.length} start/cancel calls reached SQS, all with well-formed ARNs of the account; /health 200 after` });
  }, 120_000);

  it('answers a 10 MB body (API Gateway\'s limit) with the function\'s own 400 for its 64 KiB cap', async () => {
    // Prepare
    const body = Buffer.alloc(GATEWAY_MAX_BODY_BYTES, ' ');
    // Act
    const answer = await send(t.stack.apiUrl, 'POST', '/StartMessageMoveTask', { 'content-type': 'application/json' }, body);
    // Assess
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: `The request body must be at most ${MAX_BODY_BYTES} bytes` });
    expect((await t.get('/health')).status).toBe(200);
  });

  it('refuses a body over 10 MB at the gateway, as API Gateway does, and stays healthy', async () => {
    // Prepare
    const body = Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1, '{');
    // Act
    const answer = await send(t.stack.apiUrl, 'POST', '/StartMessageMoveTask', { 'content-type': 'application/json' }, body);
    // Assess
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ message: 'Request Too Long' });
    expect((await t.get('/health')).status).toBe(200);
    recordFigure(__filename, { area: 'hostile input', scenario: 'bodies of 10 MB and 10 MB + 1 byte', cases: 2, held: '10 MB: the function refuses it by its 64 KiB cap before parsing; over 10 MB: the gateway refuses it; /health 200 after each' });
  });
});
