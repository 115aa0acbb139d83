import { matchesFilterPolicy, messageBodySubject, parseFilterPolicy } from '../../../../lambda/domain/content-filter/filter-policy';

describe('MessageBody matching', () => {
  it('answers, without throwing, for a 150 KB body whose "a.b" and a/b both hold an object 12,000 deep', () => {
    // Prepare
    const depth = 12_000;
    const deep = '{"c":'.repeat(depth) + '1' + '}'.repeat(depth);
    const body = `{"a.b":${deep},"a":{"b":${deep}},"tenant":"x"}`;
    // Act / Assess: the path spelled both ways still matches where it is shallow
    expect(matchesFilterPolicy(parseFilterPolicy({ tenant: ['x'] }, 'MessageBody'), messageBodySubject(body))).toBe(true);
    expect(matchesFilterPolicy(parseFilterPolicy({ tenant: ['y'] }, 'MessageBody'), messageBodySubject(body))).toBe(false);
  });

  it('still merges the two spellings of a shallow path', () => {
    const body = JSON.stringify({ 'a.b': { c: 1 }, a: { b: { d: 2 } } });
    expect(matchesFilterPolicy(parseFilterPolicy({ a: { b: { c: [1], d: [2] } } }, 'MessageBody'), messageBodySubject(body))).toBe(true);
  });
});
