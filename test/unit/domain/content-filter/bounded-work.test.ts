import { matchesEventPattern, parseEventPattern } from '../../../../lambda/domain/content-filter/event-pattern';
import {
  matchesFilterPolicy,
  messageAttributesSubject,
  messageBodySubject,
  parseFilterPolicy,
  parseRecordedFilterPolicy,
} from '../../../../lambda/domain/content-filter/filter-policy';
import { SUBJECT_CAPS } from '../../../../lambda/domain/content-filter/subject-caps';
import { SqsError } from '../../../../lambda/domain/sqs-error';

const values = (count: number) => Array.from({ length: count }, (_, at) => `v${at}`);
const matchesBody = (policy: unknown, body: unknown) =>
  matchesFilterPolicy(parseFilterPolicy(policy, 'MessageBody'), messageBodySubject(typeof body === 'string' ? body : JSON.stringify(body)));

function refusal(policy: unknown): SqsError {
  try {
    parseFilterPolicy(policy, 'MessageBody');
  } catch (error) {
    if (error instanceof SqsError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('the complexity limit counts every value the matcher tests', () => {
  it.each([
    ['an anything-but list of 151 values', { k: [{ 'anything-but': values(151) }] }, 151],
    ['an anything-but prefix list of 151 texts', { k: [{ 'anything-but': { prefix: values(151) } }] }, 151],
    ['76 values beside an anything-but list of 75', { k: [...values(76), { 'anything-but': values(75) }] }, 151],
    ['an anything-but list of 8,000 values (the issue\'s policy)', { k: [{ 'anything-but': values(8000) }] }, 8000],
    ['two keys: 2 × an anything-but list of 76', { j: ['a', 'b'], k: [{ 'anything-but': values(76) }] }, 152],
  ])('refuses %s with a 400 InvalidParameterValue naming the limit', (_, policy, combinations) => {
    const error = refusal(policy);
    expect({ code: error.code, status: error.status }).toEqual({ code: 'InvalidParameterValue', status: 400 });
    expect(error.message).toBe(
      `FilterPolicy is too complex: its values make ${combinations} combinations, SNS allows at most 150 (each value in an anything-but list counts as one)`,
    );
  });

  it('accepts an anything-but list of 150 values, and a 3 × 50 policy', () => {
    expect(parseFilterPolicy({ k: [{ 'anything-but': values(150) }] }).scope).toBe('MessageAttributes');
    expect(parseFilterPolicy({ j: ['a', 'b', 'c'], k: [{ 'anything-but': values(50) }] }).scope).toBe('MessageAttributes');
  });
});

describe('a policy recorded before the limit counted each value', () => {
  it('is parsed again for the mover, still checked for its shape, and matched', () => {
    // Prepare: a task started before issue 23 recorded an 8,000-value list, which a start now refuses
    const text = JSON.stringify({ k: [{ 'anything-but': values(8000) }] });
    expect(() => parseFilterPolicy(text, 'MessageBody')).toThrow(/8000 combinations/);
    // Act
    const policy = parseRecordedFilterPolicy(text, 'MessageBody');
    // Assess
    expect(matchesFilterPolicy(policy, messageBodySubject('{"k":"v7999"}'))).toBe(false);
    expect(matchesFilterPolicy(policy, messageBodySubject('{"k":"other"}'))).toBe(true);
    expect(() => parseRecordedFilterPolicy('{"k":[{"nope":1}]}', 'MessageBody')).toThrow(/unknown operator "nope"/);
  });
});

describe('the matcher reads a bounded part of each message', () => {
  const cap = SUBJECT_CAPS.maxArrayElements;

  it('matches an array of exactly the cap, and nothing once it holds one element more', () => {
    const atCap = [...Array<string>(cap - 1).fill('a'), 'wanted'];
    expect(matchesBody({ tags: ['wanted'] }, { tags: atCap })).toBe(true);
    expect(matchesBody({ tags: ['wanted'] }, { tags: [...atCap, 'a'] })).toBe(false);
    // anything-but too: a message past a cap matches no policy at all
    expect(matchesBody({ tags: [{ 'anything-but': 'x' }] }, { tags: [...atCap, 'a'] })).toBe(false);
  });

  it('counts an array read by two $or alternatives once', () => {
    const tags = [...Array<string>(cap - 1).fill('a'), 'wanted'];
    expect(matchesBody({ $or: [{ tags: ['other'] }, { tags: ['wanted'] }] }, { tags })).toBe(true);
  });

  it('counts the arrays of every key and of nested objects together', () => {
    const half = Array<string>(cap / 2).fill('a');
    expect(matchesBody({ a: ['a'], b: ['a'] }, { a: half, b: half })).toBe(true);
    expect(matchesBody({ a: ['a'], b: ['a'] }, { a: half, b: [...half, 'a'] })).toBe(false);
    // objects of an array, and the arrays inside them: 2,500 + 5,000 elements, then 5,000 + 10,000 (the match is the last)
    const items = (count: number) => Array.from({ length: count }, (_, at) => ({ sku: ['x', at === count - 1 ? 'y' : 'x'] }));
    expect(matchesBody({ items: { sku: ['y'] } }, { items: items(cap / 4) })).toBe(true);
    expect(matchesBody({ items: { sku: ['y'] } }, { items: items(cap / 2) })).toBe(false);
  });

  it('caps a String.Array attribute the same way', () => {
    const policy = parseFilterPolicy({ tags: ['wanted'] });
    const attribute = (count: number) => ({ tags: { DataType: 'String.Array', StringValue: JSON.stringify([...Array<string>(count - 1).fill('a'), 'wanted']) } });
    expect(matchesFilterPolicy(policy, messageAttributesSubject(attribute(cap)))).toBe(true);
    expect(matchesFilterPolicy(policy, messageAttributesSubject(attribute(cap + 1)))).toBe(false);
  });

  it('caps the arrays of an event matched against an event pattern', () => {
    const pattern = parseEventPattern({ detail: { tags: ['wanted'] } });
    expect(matchesEventPattern(pattern, { detail: { tags: [...Array<string>(cap + 1).fill('a'), 'wanted'] } })).toBe(false);
    expect(matchesEventPattern(pattern, { detail: { tags: ['a', 'wanted'] } })).toBe(true);
  });

  it('parses a body of up to 1 MiB of UTF-8, and matches no body policy with a longer one', () => {
    const bodyOf = (bytes: number, filler: string) => {
      const head = '{"tenant":"a","pad":"';
      return head + filler.repeat((bytes - head.length - 2) / Buffer.byteLength(filler)) + '"}';
    };
    const ascii = bodyOf(SUBJECT_CAPS.maxBodyBytes, 'x');
    expect(Buffer.byteLength(ascii)).toBe(SUBJECT_CAPS.maxBodyBytes);
    expect(matchesBody({ tenant: ['a'] }, ascii)).toBe(true);
    expect(matchesBody({ tenant: ['a'] }, ascii.replace('"a"', '"a "'))).toBe(false);
    // fewer UTF-16 units than the cap, more bytes: "é" is 2 bytes of UTF-8
    const accented = bodyOf(SUBJECT_CAPS.maxBodyBytes + 2, 'é');
    expect(accented.length).toBeLessThan(SUBJECT_CAPS.maxBodyBytes);
    expect(matchesBody({ tenant: ['a'] }, accented)).toBe(false);
  });

  it('answers the largest policy the limits admit against a 1 MiB body of objects in well under a second', () => {
    // Prepare: the nested list the limit admits, its excluded value last; 60,000 objects carrying it
    const list = [...values(74), 'hit'];
    const policy = parseFilterPolicy({ a: { k: [{ 'anything-but': list }] } }, 'MessageBody');
    const element = '{"k":"hit"}';
    const body = `{"a":[${Array<string>(Math.floor(SUBJECT_CAPS.maxBodyBytes / (element.length + 1)) - 1).fill(element).join(',')}]}`;
    // Act
    const started = performance.now();
    const matched = matchesFilterPolicy(policy, messageBodySubject(body));
    const elapsedMs = performance.now() - started;
    // Assess: past the cap, so no match; generous bound for a shared machine (measured ~50-100 ms)
    expect(matched).toBe(false);
    expect(elapsedMs).toBeLessThan(2000);
  });
});
