import { ACCEPTED_FIELDS } from '../../../../lambda/adapters/http/accepted-fields';
import type { ActionName } from '../../../../lambda/adapters/http/action-name';
import { handleHttpRequest } from '../../../../lambda/adapters/http/handle-http-request';
import type { HttpRequest } from '../../../../lambda/adapters/http/http-request';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';

/** Has a RUNNING task (to cancel, to list) */
const SOURCE = queueArn('managed-orders-dlq');
/** Has none (to start) */
const IDLE_SOURCE = queueArn('managed-idle-dlq');

/** A valid request of each action: only the unknown field can make it fail. */
function validFields(action: ActionName): Record<string, string | number> {
  switch (action) {
    case 'StartMessageMoveTask':
      return { SourceArn: IDLE_SOURCE };
    case 'CancelMessageMoveTask':
      return { TaskHandle: encodeTaskHandle('t-unknown-fields', SOURCE) };
    case 'ListMessageMoveTasks':
      return { SourceArn: SOURCE, MaxResults: 1 };
  }
}

type Style = 'path' | 'json' | 'query';

function requestIn(style: Style, action: ActionName, fields: Record<string, unknown>): HttpRequest {
  const base = { method: 'POST', query: {}, requestId: 'r-1' };
  switch (style) {
    case 'path':
      return { ...base, path: `/${action}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) };
    case 'json':
      return { ...base, path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${action}` }, body: JSON.stringify(fields) };
    case 'query': {
      const form = new URLSearchParams({ Action: action, Version: '2012-11-05' });
      for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
      return { ...base, path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() };
    }
  }
}

function setUp() {
  const deps = fakeDependencies();
  deps.store.records.set('t-unknown-fields', recordedTask('managed-orders-dlq', { taskId: 't-unknown-fields' }));
  const start = jest.fn(async () => ({ taskHandle: encodeTaskHandle('new-task', IDLE_SOURCE) }));
  deps.sqs.start = start;
  return { deps, start };
}

/** What the caller sees: the status and the error's code and message, from JSON or from Query XML. */
function refusalOf(style: Style, response: { statusCode: number; headers: Record<string, string>; body: string }) {
  if (style === 'query') {
    const message = /<Message>([^<]*)<\/Message>/.exec(response.body)?.[1] ?? '';
    return { status: response.statusCode, code: /<Code>([^<]*)<\/Code>/.exec(response.body)?.[1], message: unescapeXml(message) };
  }
  const body = JSON.parse(response.body) as { __type?: string; message?: string };
  return { status: response.statusCode, code: body.__type?.replace('com.amazonaws.sqs#', ''), message: body.message ?? '' };
}

function unescapeXml(text: string): string {
  const entities: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
  return text.replace(/&(?:quot|apos|lt|gt|amp);/g, (entity) => entities[entity] ?? entity);
}

const STYLES: Style[] = ['path', 'json', 'query'];
const ACTIONS = Object.keys(ACCEPTED_FIELDS) as ActionName[];
const everyStyleAndAction = STYLES.flatMap((style) => ACTIONS.map((action) => [style, action] as const));

describe('unknown request fields', () => {
  it.each(everyStyleAndAction)('%s style %s: a field the action does not define is a 400 naming it, and nothing runs', async (style, action) => {
    // Prepare: the misspelling the contract warns about
    const { deps, start } = setUp();

    // Act
    const { response } = await handleHttpRequest(deps, requestIn(style, action, { ...validFields(action), Dryrun: true }), 'alice');

    // Assess
    expect(refusalOf(style, response)).toEqual({ status: 400, code: 'InvalidParameterValue', message: expect.stringContaining(`${action} does not take the field "Dryrun"`) });
    expect(start).not.toHaveBeenCalled();
    expect(deps.sqs.cancelled).toEqual([]);
    expect(deps.events.published).toEqual([]);
  });

  it.each(everyStyleAndAction)('%s style %s: the same request without it succeeds', async (style, action) => {
    const { deps } = setUp();
    const { response } = await handleHttpRequest(deps, requestIn(style, action, validFields(action)), 'alice');
    expect(response.statusCode).toBe(200);
  });

  it.each(STYLES)('%s style: the selective-move fields and recovery\'s Force are StartMessageMoveTask\'s own; a misspelled Force is not', async (style) => {
    for (const field of ['FilterPolicy', 'FilterPolicyScope', 'SentAfter', 'SentBefore', 'MaxMessages', 'DryRun', 'Force']) {
      const { deps } = setUp();
      const { response } = await handleHttpRequest(deps, requestIn(style, 'StartMessageMoveTask', { SourceArn: IDLE_SOURCE, [field]: 1 }), 'alice');
      expect(refusalOf(style, response).message).not.toContain('does not take the field');
    }
    const { deps, start } = setUp();
    const { response } = await handleHttpRequest(deps, requestIn(style, 'StartMessageMoveTask', { SourceArn: IDLE_SOURCE, Forced: true }), 'alice');
    expect(refusalOf(style, response).message).toContain('does not take the field "Forced"');
    expect(start).not.toHaveBeenCalled();
  });

  it('says what the action takes, and names several unknown fields at once', async () => {
    const { deps } = setUp();
    const { response } = await handleHttpRequest(deps, requestIn('path', 'StartMessageMoveTask', { SourceArn: SOURCE, dryRun: true, sourceArn: SOURCE }), 'alice');
    expect(JSON.parse(response.body).message).toBe(
      'StartMessageMoveTask does not take the fields "dryRun", "sourceArn": it takes SourceArn, DestinationArn, MaxNumberOfMessagesPerSecond, Reason, Force, FilterPolicy, FilterPolicyScope, SentAfter, SentBefore, MaxMessages, DryRun',
    );
  });

  it('names the first five unknown fields and counts the rest', async () => {
    const { deps } = setUp();
    const extra = Object.fromEntries(Array.from({ length: 8 }, (_, at) => [`Extra${at}`, at]));
    const { response } = await handleHttpRequest(deps, requestIn('json', 'ListMessageMoveTasks', { SourceArn: SOURCE, ...extra }), 'alice');
    expect(JSON.parse(response.body).message).toMatch(/"Extra0", "Extra1", "Extra2", "Extra3", "Extra4" and 3 more: it takes SourceArn, MaxResults$/);
  });

  it('refuses a field named like a prototype property, as data', async () => {
    const { deps, start } = setUp();
    const hostile = { ...requestIn('path', 'StartMessageMoveTask', {}), body: `{"SourceArn":"${IDLE_SOURCE}","__proto__":{"DryRun":true}}` };
    const refused = await handleHttpRequest(deps, hostile, 'alice');
    expect(JSON.parse(refused.response.body).message).toContain('does not take the field "__proto__"');
    expect(start).not.toHaveBeenCalled();
  });

  it.each([
    ['a list encoding of a known field', 'SourceArn.1', /"SourceArn\.1" \(a list or map encoding of SourceArn, which takes one value\)/],
    ['a map encoding of a known field', 'MaxResults.1.Value', /"MaxResults\.1\.Value" \(a list or map encoding of MaxResults/],
    ['a map encoding of an unknown field', 'MessageAttribute.1.Name', /does not take the field "MessageAttribute\.1\.Name": it takes/],
  ])('Query style: refuses %s', async (_, field, why) => {
    const { deps } = setUp();
    const { response } = await handleHttpRequest(deps, requestIn('query', 'ListMessageMoveTasks', { SourceArn: SOURCE, [field]: 'x' }), 'alice');
    expect(refusalOf('query', response)).toEqual({ status: 400, code: 'InvalidParameterValue', message: expect.stringMatching(why) });
  });

  it.each(['path', 'json'] as const)('%s style: Action and Version are the Query protocol’s own, unknown in JSON', async (style) => {
    const { deps } = setUp();
    const { response } = await handleHttpRequest(deps, requestIn(style, 'ListMessageMoveTasks', { SourceArn: SOURCE, Version: '2012-11-05' }), 'alice');
    expect(refusalOf(style, response).message).toContain('does not take the field "Version"');
  });
});
