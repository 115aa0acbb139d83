import fc from 'fast-check';

import { matchesEventPattern, parseEventPattern } from '../../../../lambda/domain/content-filter/event-pattern';
import { matchesFilterPolicy, messageAttributesSubject, messageBodySubject, parseFilterPolicy } from '../../../../lambda/domain/content-filter/filter-policy';
import { SqsError } from '../../../../lambda/domain/sqs-error';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);

const operatorNames = fc.constantFrom('prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'cidr', 'wildcard', '$or', '__proto__', 'constructor');
/** JSON that looks like a policy often enough to reach deep into the checks */
const policyLike = fc.letrec((tie) => ({
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), tie('operator'), tie('object'), fc.array(tie('value'), { maxLength: 4 })),
  operator: fc.dictionary(operatorNames, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.oneof(fc.constantFrom('>', '<=', '=', '*'), fc.double(), fc.string()), { maxLength: 6 })), { maxKeys: 2 }),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), operatorNames), tie('value'), { maxKeys: 4 }),
}));

function outcome(check: () => boolean): 'match' | 'no match' | 'refused' {
  try {
    return check() ? 'match' : 'no match';
  } catch (error) {
    if (error instanceof SqsError && error.code === 'InvalidParameterValue' && error.status === 400) return 'refused';
    throw error;
  }
}

describe('the content filter under arbitrary input (property-based)', () => {
  it(`refuses a bad filter policy only with InvalidParameterValue, and matches any message without throwing (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(policyLike.object, fc.constantFrom('MessageAttributes', 'MessageBody') as fc.Arbitrary<'MessageAttributes' | 'MessageBody'>, fc.jsonValue(), fc.dictionary(fc.string(), fc.record({ DataType: fc.constantFrom('String', 'Number', 'String.Array', 'Binary', 'Number.x'), StringValue: fc.string() })), (policy, scope, body, attributes) => {
        const decided = outcome(() => {
          const parsed = parseFilterPolicy(policy, scope);
          const subject = scope === 'MessageBody' ? messageBodySubject(JSON.stringify(body) ?? '') : messageAttributesSubject(attributes);
          return matchesFilterPolicy(parsed, subject);
        });
        expect(['match', 'no match', 'refused']).toContain(decided);
      }),
      { numRuns: RUNS },
    );
  });

  it(`does the same for event patterns, and a pattern given as text decides as its object does (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(policyLike.object, fc.jsonValue(), (pattern, event) => {
        const asObject = outcome(() => matchesEventPattern(parseEventPattern(pattern), event));
        const asText = outcome(() => matchesEventPattern(parseEventPattern(JSON.stringify(pattern)), event));
        expect(asText).toBe(asObject);
      }),
      { numRuns: RUNS },
    );
  });
});
