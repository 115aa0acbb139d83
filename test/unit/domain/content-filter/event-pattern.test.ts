import { matchesEventPattern, parseEventPattern } from '../../../../lambda/domain/content-filter/event-pattern';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { RECORDED_EVENT_PATTERN_CASES } from './event-pattern-cases';

function outcomeOf(pattern: unknown, event: unknown): string {
  try {
    return matchesEventPattern(parseEventPattern(pattern), event) ? 'match' : 'no match';
  } catch (error) {
    if (error instanceof SqsError && error.code === 'InvalidParameterValue') return 'invalid';
    throw error;
  }
}

describe('matchesEventPattern', () => {
  it.each(RECORDED_EVENT_PATTERN_CASES)('agrees with EventBridge on %s: %s', (_, expected, pattern, event) => {
    expect(outcomeOf(pattern, event)).toBe(expected);
  });

  it('answers a wildcard with many stars in linear time on a hostile value', () => {
    // Prepare: a regular expression would backtrack through every way to place the stars
    const pattern = parseEventPattern({ detail: { key: [{ wildcard: '*a*a*a*a*a*a*a*a*b' }] } });
    const started = performance.now();

    // Act
    const matched = matchesEventPattern(pattern, { detail: { key: 'a'.repeat(100_000) } });

    // Assess
    expect(matched).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reads escaped stars and backslashes in a wildcard literally', () => {
    const pattern = parseEventPattern({ key: [{ wildcard: 'a\\*b*\\\\' }] });
    expect(matchesEventPattern(pattern, { key: 'a*bcd\\' })).toBe(true);
    expect(matchesEventPattern(pattern, { key: 'axbcd\\' })).toBe(false);
  });

  it('matches an array of objects one object at a time', () => {
    const pattern = parseEventPattern({ items: { sku: ['A'], size: ['L'] } });
    expect(matchesEventPattern(pattern, { items: [{ sku: 'A', size: 'L' }] })).toBe(true);
    expect(matchesEventPattern(pattern, { items: [{ sku: 'A', size: 'S' }, { sku: 'B', size: 'L' }] })).toBe(false);
  });

  /**
   * Array consistency, as AWS's event-ruler decides it (its correctness cases in
   * src/test/resources/correctness-cases.json, re-expressed): the keys of one nested pattern must be
   * met by one element of an array of objects, never split across elements.
   */
  it.each([
    ['two keys in one element', { d: { a: [{ exists: true }], b: [{ exists: true }] } }, { d: [{ a: 1, b: 2 }] }, true],
    ['two keys split across elements', { d: { a: [{ exists: true }], b: [{ exists: true }] } }, { d: [{ a: 1 }, { b: 2 }] }, false],
    ['split, then one element with both', { d: { a: [{ exists: true }], b: [{ exists: true }] } }, { d: [{ a: 1 }, { b: 2 }, { a: 3, b: 4 }] }, true],
    ['exact values split', { d: { name: ['alice'], status: ['active'] } }, { d: [{ name: 'alice' }, { status: 'active' }] }, false],
    ['an inner array split', { u: { t: { k: ['color'], v: ['blue'] } } }, { u: [{ t: [{ k: 'color' }, { v: 'blue' }] }] }, false],
    ['an inner array in one element', { u: { t: { k: ['color'], v: ['blue'] } } }, { u: [{ t: [{ k: 'color', v: 'blue' }] }] }, true],
    ['a nested object in another element', { d: { name: [{ exists: true }], info: { x: ['1'] } } }, { d: [{ name: 'alice' }, { info: { x: '1' } }] }, false],
    ['exists false in the matching element', { d: { a: [{ exists: true }], b: [{ exists: false }] } }, { d: [{ a: 1 }] }, true],
    ['exists false, present in it', { d: { a: [{ exists: true }], b: [{ exists: false }] } }, { d: [{ a: 1, b: 2 }] }, false],
    ['an empty array', { d: { a: [{ exists: true }] } }, { d: [] }, false],
    ['numeric and exists in the same element', { i: { p: [{ numeric: ['>', 0, '<', 100] }], n: [{ exists: true }] } }, { i: [{ n: 'w', p: 50 }, { n: 'g', p: 200 }] }, true],
    ['anything-but met by one element', { u: { s: [{ 'anything-but': 'banned' }], n: [{ exists: true }] } }, { u: [{ n: 'alice', s: 'banned' }, { n: 'bob', s: 'active' }] }, true],
    ['anything-but among primitive elements', { d: { tags: [{ 'anything-but': 'banned' }] } }, { d: { tags: ['banned', 'ok'] } }, true],
    ['exists on an empty primitive array', { d: { name: [{ exists: true }] } }, { d: { name: [] } }, false],
  ])('array consistency: %s', (_, pattern, event, expected) => {
    expect(matchesEventPattern(parseEventPattern(pattern), event)).toBe(expected);
  });

  it.each([
    ['cidr v4', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.255' }, true],
    ['cidr v4 outside', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.0' }, false],
    ['cidr v6', { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:0db8:1234:1a00:0000:0000:0000:0001' }, true],
    ['cidr v6 outside', { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: '2001:db8:1234:1a01::' }, false],
    ['a key named like a prototype property', { constructor: ['x'] }, {}, false],
    ['$or at the top', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: '2' }, true],
  ])('%s', (_, pattern, event, expected) => {
    expect(matchesEventPattern(parseEventPattern(pattern), event)).toBe(expected);
  });

  it('accepts the pattern as JSON text, and refuses text that is no JSON object', () => {
    expect(matchesEventPattern(parseEventPattern('{"source":["a"]}'), { source: 'a' })).toBe(true);
    expect(() => parseEventPattern('not json')).toThrow(/EventPattern is invalid: must be a JSON object/);
  });
});
