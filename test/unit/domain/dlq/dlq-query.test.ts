import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { pageDlqs, parseDlqQuery } from '../../../../lambda/domain/dlq/dlq-query';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { sqsDlq } from '../../../support/dead-letter-queue-fixture';

const dlq = (name: string, messages: number, age?: number): DeadLetterQueue => sqsDlq(name, messages, age === undefined ? {} : { oldestMessageAgeSeconds: age });

const DLQS = [dlq('b-dlq', 5, 60), dlq('a-dlq', 5), dlq('c-dlq', 9, 10), dlq('d-dlq', 0, 3600), dlq('x-other', 1)];

function everyPage(query: Record<string, string>): string[] {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = pageDlqs(DLQS, parseDlqQuery({ ...query, ...(token ? { nextToken: token } : {}) }));
    names.push(...page.dlqs.map((entry) => entry.queueName));
    token = page.nextToken;
  } while (token);
  return names;
}

describe('parseDlqQuery', () => {
  it('defaults to 100 by messages', () => {
    expect(parseDlqQuery({})).toEqual({ limit: 100, sort: 'messages' });
  });

  it.each([
    [{ limit: '0' }, /limit/],
    [{ limit: '1e3' }, /limit/],
    [{ limit: '1001' }, /limit/],
    [{ sort: 'MESSAGES' }, /sort/],
    [{ prefix: '' }, /prefix/],
    [{ prefix: 'a/b' }, /prefix/],
    [{ nextToken: 'eyJ9' }, /nextToken/],
    [{ __proto__x: '1' }, /does not take/],
  ])('fails %p with InvalidParameterValue', (query, message) => {
    expect(() => parseDlqQuery(query as Record<string, string>)).toThrow(message);
    expect(() => parseDlqQuery(query as Record<string, string>)).toThrow(SqsError);
  });
});

describe('pageDlqs', () => {
  it('orders by messages (most first), then name', () => {
    expect(everyPage({ limit: '2' })).toEqual(['c-dlq', 'a-dlq', 'b-dlq', 'x-other', 'd-dlq']);
  });

  it('orders by name', () => {
    expect(everyPage({ limit: '3', sort: 'name' })).toEqual(['a-dlq', 'b-dlq', 'c-dlq', 'd-dlq', 'x-other']);
  });

  it('orders by age, oldest first, unknown ages last', () => {
    expect(everyPage({ limit: '1', sort: 'age' })).toEqual(['d-dlq', 'b-dlq', 'c-dlq', 'a-dlq', 'x-other']);
  });

  it('keeps to the prefix on every page', () => {
    expect(everyPage({ limit: '1', prefix: 'x-' })).toEqual(['x-other']);
    expect(everyPage({ limit: '2', prefix: 'a', sort: 'name' })).toEqual(['a-dlq']);
  });

  it('answers no nextToken on the last page', () => {
    expect(pageDlqs(DLQS, parseDlqQuery({ limit: '5' })).nextToken).toBeUndefined();
  });

  it('continues after the cursor when the inventory changed between pages, each DLQ once', () => {
    // Prepare
    const first = pageDlqs(DLQS, parseDlqQuery({ limit: '2', sort: 'name' }));
    const rebuilt = [...DLQS.filter((entry) => entry.queueName !== 'c-dlq'), dlq('aa-dlq', 1)];

    // Act
    const second = pageDlqs(rebuilt, parseDlqQuery({ limit: '10', sort: 'name', nextToken: first.nextToken! }));

    // Assess
    expect(first.dlqs.map((entry) => entry.queueName)).toEqual(['a-dlq', 'b-dlq']);
    expect(second.dlqs.map((entry) => entry.queueName)).toEqual(['d-dlq', 'x-other']);
  });

  it('refuses a token from another prefix', () => {
    const first = pageDlqs(DLQS, parseDlqQuery({ limit: '1' }));
    expect(() => parseDlqQuery({ nextToken: first.nextToken!, prefix: 'a' })).toThrow(/same sort and prefix/);
  });
});
