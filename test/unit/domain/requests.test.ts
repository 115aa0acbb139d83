import { parseFilterPolicy } from '../../../lambda/domain/content-filter/filter-policy';
import { namesFilterPolicy, parseCancelRequest, parseListRequest, parseStartRequest, parseTaskQuery } from '../../../lambda/domain/requests';
import { encodeTaskHandle } from '../../../lambda/domain/task-handle';

const ARN = 'arn:aws:sqs:us-east-1:111122223333:orders-dlq';

describe('parseStartRequest', () => {
  it('reads every field', () => {
    expect(parseStartRequest({ SourceArn: ARN, DestinationArn: ARN, MaxNumberOfMessagesPerSecond: 500, Reason: 'why' })).toMatchObject({
      source: { arn: ARN },
      destination: { arn: ARN },
      maxNumberOfMessagesPerSecond: 500,
      reason: 'why',
    });
  });

  it.each([0, 501, 1.5, -1, '10', Number.NaN, true])('rejects MaxNumberOfMessagesPerSecond %p from JSON', (rate) => {
    expect(() => parseStartRequest({ SourceArn: ARN, MaxNumberOfMessagesPerSecond: rate })).toThrow(
      /MaxNumberOfMessagesPerSecond must be an integer from 1 to 500/,
    );
  });

  it('limits Reason to 1,024 characters of text', () => {
    expect(parseStartRequest({ SourceArn: ARN, Reason: 'x'.repeat(1024) }).reason).toHaveLength(1024);
    expect(() => parseStartRequest({ SourceArn: ARN, Reason: 'x'.repeat(1025) })).toThrow(/Reason must be at most 1024 characters/);
    expect(() => parseStartRequest({ SourceArn: ARN, Reason: { text: 'x' } })).toThrow(/Reason must be a string/);
  });

  it('parses a FilterPolicy with the parser its caller passes, which the API loads only for such a start', () => {
    // Prepare
    const withPolicy = { SourceArn: ARN, FilterPolicy: '{"type":["order"]}' };
    // Act / Assess
    expect(namesFilterPolicy(withPolicy)).toBe(true);
    expect(namesFilterPolicy({ SourceArn: ARN, FilterPolicy: null, SentAfter: 1 })).toBe(false);
    expect(parseStartRequest(withPolicy, parseFilterPolicy).selection).toMatchObject({ filterPolicyText: '{"type":["order"]}', filterPolicyScope: 'MessageAttributes' });
    // without a FilterPolicy no parser is needed; with one, a missing parser is the caller's bug, not the request's
    expect(parseStartRequest({ SourceArn: ARN, SentAfter: 1 }).selection).toEqual({ sentAfter: 1 });
    expect(() => parseStartRequest(withPolicy)).toThrow(/no parseFilterPolicy/);
  });

  it('ignores inherited and prototype-pollution keys', () => {
    // Prepare
    const params = JSON.parse(`{"__proto__":{"SourceArn":"${ARN}"},"constructor":{"prototype":{"x":1}}}`);
    // Act / Assess
    expect(() => parseStartRequest(params)).toThrow(/SourceArn is required/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('parseListRequest', () => {
  it('defaults MaxResults to 1, as SQS does', () => {
    expect(parseListRequest({ SourceArn: ARN }).maxResults).toBe(1);
  });
  it.each([0, 11, '5'])('rejects MaxResults %p', (value) => {
    expect(() => parseListRequest({ SourceArn: ARN, MaxResults: value })).toThrow(/MaxResults must be an integer from 1 to 10/);
  });
});

describe('parseCancelRequest', () => {
  it('reads the handle and the reason', () => {
    const handle = encodeTaskHandle('t-1', ARN);
    expect(parseCancelRequest({ TaskHandle: handle, Reason: 'r' })).toMatchObject({ handle: { taskId: 't-1' }, reason: 'r' });
  });
});

describe('parseTaskQuery', () => {
  it('applies defaults and validates status and limit', () => {
    expect(parseTaskQuery({})).toEqual({ limit: 25 });
    expect(parseTaskQuery({ status: 'RUNNING', limit: 100 })).toEqual({ status: 'RUNNING', limit: 100 });
    expect(() => parseTaskQuery({ status: 'running' })).toThrow(/status must be one of RUNNING, CANCELLING/);
    expect(() => parseTaskQuery({ limit: '101' })).toThrow(/limit must be an integer from 1 to 100/);
    expect(() => parseTaskQuery({ nextToken: 'x'.repeat(5000) })).toThrow(/nextToken/);
  });
});
