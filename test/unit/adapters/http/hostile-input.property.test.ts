import fc from 'fast-check';

import { ACCEPTED_FIELDS, QUERY_PROTOCOL_FIELDS } from '../../../../lambda/adapters/http/accepted-fields';
import { handleHttpRequest } from '../../../../lambda/adapters/http/handle-http-request';
import { type HttpRequest,MAX_BODY_BYTES } from '../../../../lambda/adapters/http/http-request';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { fakeDependencies, recordedTask } from '../../../support/fake-dependencies';
import {
  ACTION_NAMES,
  hostileFormBody,
  hostileJsonBody,
  hostileTaskQuery,
  isApiError,
  MANAGED_ARN,
} from '../../../support/hostile-input';
import { recordFigure } from '../../../support/reliability-figures';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

/** In-memory dependencies (queues named managed-* are managed) with one RUNNING task recorded. */
function fakeDeps() {
  const deps = fakeDependencies();
  const seeded = recordedTask('managed-fuzz-dlq');
  deps.store.records.set(seeded.taskId, seeded);
  const start = jest.fn(async () => ({ taskHandle: encodeTaskHandle('new-task', MANAGED_ARN) }));
  deps.sqs.start = start;
  const store = { snapshot: () => JSON.stringify([...deps.store.records.entries()]) };
  const sqs = { start, cancel: { calls: () => deps.sqs.cancelled.length } };
  return { deps, sqs, store };
}

const contentTypes = fc.constantFrom('application/json', 'application/x-amz-json-1.0', 'application/x-www-form-urlencoded', 'APPLICATION/X-WWW-FORM-URLENCODED; charset=ISO-8859-1', 'text/plain', '', 'multipart/form-data; boundary=x');
const extraHeaders = fc.dictionary(fc.oneof(fc.constantFrom('content-encoding', 'transfer-encoding', 'x-amz-target', 'content-length', '__proto__', 'constructor'), fc.string()), fc.string({ unit: 'binary', maxLength: 100 }), { maxKeys: 3 });
const invalidUtf8 = fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from([0xc3, 0x28, 0xff, ...bytes]).toString('utf8'));

/** Every route and request style, with hostile bodies, headers and paths. */
const hostileRequest: fc.Arbitrary<{ style: string; request: HttpRequest }> = fc.oneof(
  fc.record({ action: fc.oneof(fc.constantFrom(...ACTION_NAMES), fc.string()), body: fc.oneof(hostileJsonBody, invalidUtf8), contentType: contentTypes, headers: extraHeaders }).map(({ action, body, contentType, headers }) => ({
    style: 'path JSON',
    request: { method: 'POST', path: `/${action}`, headers: { ...headers, 'content-type': contentType }, query: {}, body, requestId: 'r' },
  })),
  fc.record({ target: fc.oneof(fc.constantFrom(...ACTION_NAMES).map((name) => `AmazonSQS.${name}`), fc.string()), body: fc.oneof(hostileJsonBody, invalidUtf8), contentType: contentTypes, headers: extraHeaders }).map(({ target, body, contentType, headers }) => ({
    style: 'X-Amz-Target JSON',
    request: { method: 'POST', path: '/', headers: { ...headers, 'content-type': contentType, 'x-amz-target': target }, query: {}, body, requestId: 'r' },
  })),
  fc.record({ body: fc.oneof(hostileFormBody, invalidUtf8) }).map(({ body }) => ({
    style: 'Query form',
    request: { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, query: {}, body, requestId: 'r' },
  })),
  hostileTaskQuery.map((query) => ({ style: 'GET /tasks', request: { method: 'GET', path: '/tasks', headers: {}, query: Object.assign(Object.create(null), query) as Record<string, string>, body: '', requestId: 'r' } })),
  fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('%', '%ZZ', '..%2F..', '__proto__', 'seeded-task', 'a'.repeat(300))).map((id) => ({
    style: 'GET /tasks/{id}',
    request: { method: 'GET', path: `/tasks/${id}`, headers: {}, query: {}, body: '', requestId: 'r' },
  })),
  // GET / is the dashboard page, whose script is bundled as text: it runs only in the bundle, so the HTTP fuzz covers it
  fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'get', ''), path: fc.oneof(fc.string(), fc.constantFrom('queues', 'health', 'tasks/', '/')), body: hostileJsonBody }).filter(({ method, path }) => !(method === 'GET' && path === '')).map(({ method, path, body }) => ({
    style: 'other routes',
    request: { method, path: `/${path}`, headers: {}, query: {}, body, requestId: 'r' },
  })),
);

describe('handleHttpRequest under hostile input (property-based)', () => {
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort().join();

  it(`never answers 5xx, always in the API's error format, and changes nothing when it refuses (${RUNS} cases)`, async () => {
    // Prepare
    const styles = new Map<string, number>();
    // Act + Assess: each generated request
    await fc.assert(
      fc.asyncProperty(hostileRequest, async ({ style, request }) => {
        const { deps, sqs, store } = fakeDeps();
        const before = store.snapshot();
        const { response } = await handleHttpRequest(deps, request, 'fuzzer');
        styles.set(style, (styles.get(style) ?? 0) + 1);
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(isApiError(response.statusCode, response.headers['content-type'], response.body)).toBe(true);
          expect(store.snapshot()).toBe(before);
          expect(sqs.start).not.toHaveBeenCalled();
          expect(sqs.cancel.calls()).toBe(0);
          expect(deps.events.published).toEqual([]);
        }
        expect(Object.getOwnPropertyNames(Object.prototype).sort().join()).toBe(prototypeNames);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    recordFigure(__filename, { area: 'hostile input', scenario: `in-process fuzzing of every route and style (${[...styles].map(([name, count]) => `${name} ${count}`).join(', ')})`, cases: RUNS, held: 'no 5xx; every refusal in the JSON or Query XML error format; table and SQS untouched by refusals; Object.prototype unpolluted' });
  }, 120_000);

  it(`refuses any field Start does not define, in every style, naming it, and starts nothing (${RUNS} cases)`, async () => {
    const defined = [...ACCEPTED_FIELDS.StartMessageMoveTask, ...QUERY_PROTOCOL_FIELDS];
    const unknownField = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('DryRun', 'dryRun', 'sourceArn', 'SourceARN', 'SourceArn ', '__proto__', 'constructor', 'FilterPolicy', 'Force'));
    const style = fc.constantFrom('path', 'json', 'query');
    await fc.assert(
      fc.asyncProperty(unknownField.filter((name) => !defined.includes(name)), fc.jsonValue(), style, async (field, value, chosen) => {
        // Prepare: a Start that would succeed without the extra field
        const { deps, sqs } = fakeDeps();
        const idle = MANAGED_ARN.replace('managed-fuzz-dlq', 'managed-idle-dlq');
        const fields = JSON.stringify({ SourceArn: idle, [field]: value });
        const form = new URLSearchParams({ Action: 'StartMessageMoveTask', SourceArn: idle });
        form.append(field, typeof value === 'string' ? value : JSON.stringify(value));
        const request: HttpRequest =
          chosen === 'path'
            ? { method: 'POST', path: '/StartMessageMoveTask', headers: {}, query: {}, body: fields, requestId: 'r' }
            : chosen === 'json'
              ? { method: 'POST', path: '/', headers: { 'x-amz-target': 'AmazonSQS.StartMessageMoveTask' }, query: {}, body: fields, requestId: 'r' }
              : { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, query: {}, body: form.toString(), requestId: 'r' };
        // Act
        const { response } = await handleHttpRequest(deps, request, 'fuzzer');
        // Assess
        expect(response.statusCode).toBe(400);
        if (chosen === 'query') expect(response.body).toContain('<Code>InvalidParameterValue</Code>');
        else expect(response.headers['x-amzn-query-error']).toBe('InvalidParameterValue;Sender');
        expect(response.body).toContain('StartMessageMoveTask does not take the field');
        expect(sqs.start).not.toHaveBeenCalled();
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('caps the body before parsing it: an oversized body is refused for its size and never parsed', async () => {
    // Prepare: broken, deeply nested JSON one byte over the cap
    const { deps, store } = fakeDeps();
    const body = `{"SourceArn":${'['.repeat(MAX_BODY_BYTES)}`.slice(0, MAX_BODY_BYTES + 1);
    const parse = jest.spyOn(JSON, 'parse');
    const before = store.snapshot();
    // Act
    const { response } = await handleHttpRequest(deps, { method: 'POST', path: '/StartMessageMoveTask', headers: {}, query: {}, body, requestId: 'r' }, 'fuzzer');
    parse.mockRestore();
    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).message).toBe(`The request body must be at most ${MAX_BODY_BYTES} bytes`);
    expect(parse).not.toHaveBeenCalled();
    expect(store.snapshot()).toBe(before);
  });

  it('counts the cap in UTF-8 bytes, not characters', async () => {
    // Prepare: 22,000 three-byte characters = 66,000 bytes
    const { deps } = fakeDeps();
    // Act
    const { response } = await handleHttpRequest(deps, { method: 'POST', path: '/ListMessageMoveTasks', headers: {}, query: {}, body: JSON.stringify({ Reason: '€'.repeat(22_000) }), requestId: 'r' }, 'fuzzer');
    // Assess
    expect(JSON.parse(response.body).message).toMatch(/at most 65536 bytes/);
  });
});
