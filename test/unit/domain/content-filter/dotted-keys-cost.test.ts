import { withDottedKeysExpanded } from '../../../../lambda/domain/content-filter/dotted-keys';
import { matchesEventPattern, parseEventPattern } from '../../../../lambda/domain/content-filter/event-pattern';
import { matchesFilterPolicy, messageBodySubject, parseFilterPolicy } from '../../../../lambda/domain/content-filter/filter-policy';
import { SUBJECT_CAPS } from '../../../../lambda/domain/content-filter/subject-caps';
import { dottedKeysBesideWideArray, onePathSpelledManyWays } from '../../../support/dotted-key-bodies';

const tenantIsAcme = parseFilterPolicy({ tenant: ['acme'] }, 'MessageBody');

/** The answer and the time it took, in ms. */
function timed(match: () => boolean): { matched: boolean; ms: number } {
  const started = performance.now();
  const matched = match();
  return { matched, ms: performance.now() - started };
}

// Wall-clock bounds are 10-20 times what these take on a loaded 2-core machine; the quadratic expansion took 10-30 s.
describe('spelling dotted keys as nesting takes time linear in the body', () => {
  it('matches a 250 KB body of 12,500 dotted keys beside a 50,000-element array in well under a second', () => {
    // Prepare: every "x.aN" descends into "x", which holds the wide array
    const subject = messageBodySubject(dottedKeysBesideWideArray(50_000, 12_500));
    // Act
    const { matched, ms } = timed(() => matchesFilterPolicy(tenantIsAcme, subject));
    // Assess
    expect(matched).toBe(true);
    expect(ms).toBeLessThan(2_000);
  });

  it("answers the review's 514 KB body (25,000 dotted keys beside 100,000 elements, 28 s before) at once: past the cap, no match", () => {
    const subject = messageBodySubject(dottedKeysBesideWideArray(100_000, 25_000));
    const { matched, ms } = timed(() => matchesFilterPolicy(tenantIsAcme, subject));
    expect(matched).toBe(false);
    expect(ms).toBeLessThan(2_000);
  });

  it('still spells such a body as nesting: the wide array and the dotted keys both under "x"', () => {
    const expanded = withDottedKeysExpanded(messageBodySubject(dottedKeysBesideWideArray(3, 2))) as { x: unknown[] };
    expect(JSON.parse(JSON.stringify(expanded))).toEqual({ tenant: 'acme', x: [0, 0, 0, { a0: 0, a1: 0 }] });
    expect(matchesFilterPolicy(parseFilterPolicy({ x: { a1: [0] } }, 'MessageBody'), messageBodySubject(dottedKeysBesideWideArray(5_000, 5_000)))).toBe(true);
  });

  it('matches a body with a dotted key beside 100,000 array elements: the cap leaves room for big honest bodies', () => {
    const body = JSON.stringify({ tenant: 'acme', items: Array<number>(100_000).fill(1), 'meta.kind': 'order' });
    expect(matchesFilterPolicy(parseFilterPolicy({ meta: { kind: ['order'] } }, 'MessageBody'), messageBodySubject(body))).toBe(true);
  });
});

describe('a body whose expansion passes SUBJECT_CAPS.maxExpansionSteps', () => {
  // 20 levels × a 60,000-key object: ~1.2 million merge steps, 9 times the cap
  const subject = messageBodySubject(onePathSpelledManyWays(20, 60_000));

  it('matches no MessageBody policy, quickly, not even one its keys satisfy', () => {
    const { matched, ms } = timed(() => matchesFilterPolicy(tenantIsAcme, subject));
    expect(matched).toBe(false);
    expect(ms).toBeLessThan(2_000);
    // the subject as it is would satisfy `exists: false`: over the cap is no match, not "matched unexpanded"
    expect(matchesFilterPolicy(parseFilterPolicy({ absent: [{ exists: false }] }, 'MessageBody'), subject)).toBe(false);
  });

  it('matches no event pattern', () => {
    expect(matchesEventPattern(parseEventPattern({ tenant: ['acme'] }), subject)).toBe(false);
  });

  it('fits when the same shape is smaller than the cap', () => {
    expect(SUBJECT_CAPS.maxExpansionSteps).toBe(131_072);
    expect(matchesFilterPolicy(tenantIsAcme, messageBodySubject(onePathSpelledManyWays(20, 6_000)))).toBe(true);
  });
});
