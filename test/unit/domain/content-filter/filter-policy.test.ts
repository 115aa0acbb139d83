import {
  type FilterPolicyScope,
  matchesFilterPolicy,
  messageAttributesSubject,
  messageBodySubject,
  parseFilterPolicy,
} from '../../../../lambda/domain/content-filter/filter-policy';
import { SUBJECT_CAPS } from '../../../../lambda/domain/content-filter/subject-caps';
import { SqsError } from '../../../../lambda/domain/sqs-error';

type Attributes = Record<string, { DataType: string; StringValue?: string }>;

const text = (StringValue: string) => ({ DataType: 'String', StringValue });
const number = (StringValue: string) => ({ DataType: 'Number', StringValue });
const stringArray = (values: unknown[]) => ({ DataType: 'String.Array', StringValue: JSON.stringify(values) });

const matchesAttributes = (policy: unknown, attributes: Attributes) =>
  matchesFilterPolicy(parseFilterPolicy(policy), messageAttributesSubject(attributes));
const matchesBody = (policy: unknown, body: unknown) =>
  matchesFilterPolicy(parseFilterPolicy(policy, 'MessageBody'), messageBodySubject(typeof body === 'string' ? body : JSON.stringify(body)));

function refusal(policy: unknown, scope?: FilterPolicyScope): string {
  try {
    parseFilterPolicy(policy, scope);
  } catch (error) {
    if (error instanceof SqsError && error.code === 'InvalidParameterValue' && error.status === 400) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(policy)}`);
}

/**
 * Cases SNS was recorded deciding, re-expressed from the public, AWS-validated snapshot suite of
 * LocalStack (tests/aws/services/sns/test_sns_filter_policy.py), plus the SNS guide's own examples
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
 */
describe('parseFilterPolicy refuses what SNS refuses', () => {
  it.each([
    ['a list inside the value list', { key: [['value']] }, /values must be strings, numbers, true, false, null or operator objects/],
    ['an unknown operator', { key: [{ 'wrong-operator': true }] }, /unknown operator "wrong-operator"/],
    ['two operators in one object', { key: [{ suffix: 'value', prefix: 'value2' }] }, /exactly one operator/],
    ['an empty value list', { key: [] }, /must not be an empty array/],
    ['a numeric suffix', { key: [{ suffix: 100 }] }, /suffix must be a string/],
    ['a null suffix', { key: [{ suffix: null }] }, /suffix must be a string/],
    ['a list as suffix', { key: [{ suffix: ['test', 'test2'] }] }, /suffix must be a string/],
    ['an operator outside a list (MessageAttributes takes no nesting)', { key: { suffix: 'value' } }, /this scope does not take nested keys/],
    ['a value that is no list', { key_a: 'value_one' }, /must be an array of values/],
    ['a cidr list', { key: [{ cidr: ['bad-filter'] }] }, /cidr must be an IP address block/],
    ['a cidr without a slash', { key: [{ cidr: 'bad-filter' }] }, /cidr must be an IP address block/],
    ['a cidr that is no address', { key: [{ cidr: 'bad-filter/64' }] }, /cidr must be an IP address block/],
    ['a cidr whose mask is no number', { key: [{ cidr: 'bad-/64filter' }] }, /cidr must be an IP address block/],
    ['a cidr with a broken IPv4 address', { key: [{ cidr: 'xx.11.xx/8' }] }, /cidr must be an IP address block/],
    ['a cidr with a broken IPv6 address', { key: [{ cidr: 'xxxx:db8:1234:1a00::/64' }] }, /cidr must be an IP address block/],
    ['an empty numeric', { key: [{ numeric: [] }] }, /numeric must be/],
    ['a numeric with an unknown comparison', { key: [{ numeric: ['operator'] }] }, /numeric must be/],
    ['a numeric with value and comparison swapped', { key: [{ numeric: [1, '<='] }] }, /unknown comparison "1"/],
    ['a numeric with a text value', { key: [{ numeric: ['=', '000'] }] }, /numeric = must be followed by a number/],
    ['a numeric comparison without value', { key: [{ numeric: ['>='] }] }, /numeric must be/],
    ['a numeric range upper bound first', { key: [{ numeric: ['<', 100, '>', 10] }] }, /a lower bound \(> or >=\) then an upper bound/],
    ['a numeric range of two lower bounds', { key: [{ numeric: ['>=', 1, '>', 2] }] }, /a lower bound \(> or >=\) then an upper bound/],
    ['a numeric range whose bottom is above its top', { key: [{ numeric: ['>', 3, '<', 1] }] }, /lower bound must be less than its upper bound/],
    ['a numeric range missing its last value', { key: [{ numeric: ['>', 20, '<='] }] }, /numeric must be/],
    ['a numeric range missing its second comparison', { key: [{ numeric: ['>', 20, 30] }] }, /numeric must be/],
    ['a numeric range with an unknown second comparison', { key: [{ numeric: ['>', 20, 'test'] }] }, /numeric must be/],
    ['a numeric range with a text lower bound', { key: [{ numeric: ['>', '20', '<', '30'] }] }, /numeric > must be followed by a number/],
    ['a numeric range with a text upper bound', { key: [{ numeric: ['>', 20, '<', '30'] }] }, /numeric < must be followed by a number/],
    ['a numeric range of three comparisons', { key: [{ numeric: ['>', 20, '<', 30, '<', 50] }] }, /numeric must be/],
    ['exists null', { key: [{ exists: null }] }, /exists must be true or false/],
    ['exists as text', { key: [{ exists: 'no' }] }, /exists must be true or false/],
    ['anything-but with an unknown operator', { key: [{ 'anything-but': { 'wrong-operator': null } }] }, /anything-but does not take "wrong-operator"/],
    ['anything-but suffix (refused by SNS when recorded)', { key: [{ 'anything-but': { suffix: 'test' } }] }, /anything-but does not take "suffix"/],
    ['anything-but exists', { key: [{ 'anything-but': { exists: false } }] }, /anything-but does not take "exists"/],
    ['anything-but prefix that is no text', { key: [{ 'anything-but': { prefix: false } }] }, /anything-but prefix must be a string/],
    ['151 values for one key', { key: Array.from({ length: 151 }, (_, at) => `value${at}`) }, /151 combinations, SNS allows at most 150/],
    ['100 × 51 values', { key1: Array.from({ length: 100 }, String), key2: Array.from({ length: 51 }, String) }, /5100 combinations/],
    ['six keys', { key1: ['1'], key2: ['2'], key3: ['3'], key4: ['4'], key5: ['5'], key6: ['6'] }, /6 keys, SNS allows at most 5/],
    [
      '152 combinations through $or: (4 × 6) + (4 × 4 × 4) + (4 × 4 × 4)',
      {
        source: ['aws.cloudwatch', 'aws.events', 'aws.test', 'aws.test2'],
        $or: [
          { metricName: ['CPUUtilization', 'ReadLatency', 't1', 't2', 't3', 't4'] },
          { metricType: ['MetricType', 'TestType', 'TestType2', 'TestType3'], $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4] }] },
        ],
      },
      /152 combinations/,
    ],
    ['a wildcard, which SNS does not have', { key: [{ wildcard: 'a*' }] }, /unknown operator "wildcard"/],
    ['a numeric bound over SNS’s range', { key: [{ numeric: ['<', 1e10] }] }, /from -1000000000 to 1000000000/],
    ['a numeric bound with six decimals', { key: [{ numeric: ['=', 0.123456] }] }, /at most 5 digits after the decimal point/],
    ['an empty policy', {}, /must not be an empty object/],
    ['a policy that is no object', ['key'], /must be a JSON object, got an array/],
    ['$or with one alternative', { $or: [{ a: ['1'] }] }, /at least two alternative objects/],
    ['JSON text that does not parse', '{"key": [', /not valid JSON/],
  ])('refuses %s', (_, policy, why) => {
    expect(refusal(policy)).toMatch(why);
  });

  it.each([
    [
      '216 combinations of nested keys: depth multiplies, 3 × 4 × 2 × 3 × 1 × 3',
      { key_a: { key_b: { key_c: ['v1', 'v2', 'v3', 'v4'] } }, key_d: { key_e: ['v1', 'v2', 'v3'] }, key_f: ['v1', 'v2', 'v3'] },
      /216 combinations/,
    ],
    [
      '160 combinations of $or in a body: (3 × 4 × 2) + (3 × 4 × 6) + (2 × 4 × 2) + (2 × 4 × 6)',
      {
        $or: [{ metricName: ['CPUUtilization', 'ReadLatency', 'TestValue'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
        detail: { scope: ['Service', 'Test'], $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change', 'TestValue', 'TestValue2'] }] },
      },
      /160 combinations/,
    ],
  ])('refuses in MessageBody scope %s', (_, policy, why) => {
    expect(refusal(policy, 'MessageBody')).toMatch(why);
  });

  it('accepts 150 combinations through $or exactly: (3 × 6) + (3 × 4 × 4) + (3 × 4 × 7)', () => {
    const policy = {
      source: ['aws.cloudwatch', 'aws.events', 'aws.test'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency', 'TestVal', 'TestVal2', 'TestVal3', 'TestVal4'] },
        { metricType: ['MetricType', 'TestType', 'TestType2', 'TestType3'], $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: [1, 2, 3, 4, 5, 6, 7] }] },
      ],
    };
    expect(parseFilterPolicy(policy).scope).toBe('MessageAttributes');
  });

  it.each([
    ['anything-but prefix', { key: [{ 'anything-but': { prefix: 'test-' } }] }],
    ['anything-but a list', { key: [{ 'anything-but': ['test', 'test2'] }] }],
    ['anything-but one value', { key: [{ 'anything-but': 'test' }] }],
    ['null beside anything-but', { attr1: [null, { 'anything-but': 'whatever' }] }],
    ['exact numbers beyond the numeric range, which SNS accepts', { key: [1e12] }],
  ])('accepts %s', (_, policy) => {
    expect(() => parseFilterPolicy(policy)).not.toThrow();
  });

  it('refuses a policy over 256 KB, as object or as text', () => {
    const policy = { key: Array.from({ length: 100 }, (_, at) => `${at}`.padEnd(3000, 'x')) };
    expect(refusal(policy)).toMatch(/bytes of JSON, SNS allows at most 262144/);
    expect(refusal(JSON.stringify(policy))).toMatch(/bytes of JSON, SNS allows at most 262144/);
  });

  it('refuses nesting too deep to check, without exhausting the stack', () => {
    // Prepare: deeper than any recursion limit, as a hostile caller could send it
    let deep: unknown = ['x'];
    for (let level = 0; level < 100_000; level += 1) deep = { k: deep };

    // Act / Assess
    expect(refusal(deep, 'MessageBody')).toMatch(/nests deeper than 32 levels/);
  });

  it('refuses an unknown scope', () => {
    expect(() => parseFilterPolicy({ a: ['b'] }, 'MessageHeaders' as FilterPolicyScope)).toThrow(/FilterPolicyScope must be MessageAttributes or MessageBody, got "MessageHeaders"/);
  });
});

describe('matchesFilterPolicy, MessageAttributes scope', () => {
  it.each([
    ['numeric range, inside', { attr1: [{ numeric: ['>', 0, '<=', 100] }] }, { attr1: number('99') }, true],
    ['numeric range, outside', { attr1: [{ numeric: ['>', 0, '<=', 100] }] }, { attr1: number('111') }, false],
    ['numeric on a String attribute', { attr1: [{ numeric: ['>', 0] }] }, { attr1: text('99') }, false],
    ['exact number against a Number attribute written otherwise', { price: [300] }, { price: number('3.0e2') }, true],
    ['exact text against a Number attribute', { price: ['300'] }, { price: number('300') }, false],
    ['null or anything-but, with no attribute at all', { attr1: [null, { 'anything-but': 'whatever' }] }, {}, false],
    ['exists true, present', { store: [{ exists: true }] }, { store: number('99'), def: number('99') }, true],
    ['exists true, absent', { store: [{ exists: true }] }, { attr1: number('111') }, false],
    ['exists false, absent', { store: [{ exists: false }] }, { def: number('99') }, true],
    ['exists false, present', { store: [{ exists: false }] }, { store: number('99'), def: number('99') }, false],
    ['String.Array holding the value', { store: ['value1'] }, { store: stringArray(['value1', 'value2']) }, true],
    ['String.Array without it', { store: ['value1'] }, { store: stringArray(['value2', 'value3']) }, false],
    ['plain String', { store: ['value1'] }, { store: text('value1') }, true],
    ['anything-but a list', { customer: [{ 'anything-but': ['rugby', 'tennis'] }] }, { customer: text('football') }, true],
    ['anything-but a list, excluded', { customer: [{ 'anything-but': ['rugby', 'tennis'] }] }, { customer: text('rugby') }, false],
    ['anything-but prefix', { event: [{ 'anything-but': { prefix: 'order-' } }] }, { event: text('data-entry') }, true],
    ['anything-but prefix, excluded', { event: [{ 'anything-but': { prefix: 'order-' } }] }, { event: text('order-cancelled') }, false],
    ['equals-ignore-case', { source: [{ 'equals-ignore-case': 'aws.ec2' }] }, { source: text('AWS.EC2') }, true],
    ['prefix', { source: [{ prefix: 'aws.' }] }, { source: text('aws.ec2') }, true],
    ['suffix', { image: [{ suffix: '.png' }] }, { image: text('cat.jpg') }, false],
    ['cidr', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: text('10.0.0.255') }, true],
    ['cidr, invalid address', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: text('10.0.0.256') }, false],
    ['a Binary attribute, which SNS ignores', { blob: [{ exists: true }] }, { blob: { DataType: 'Binary' } }, false],
    ['a custom Number type', { price: [{ numeric: ['<', 10] }] }, { price: { DataType: 'Number.float', StringValue: '5.5' } }, true],
    ['every key must match (AND)', { a: ['1'], b: ['2'] }, { a: text('1'), b: text('3') }, false],
    ['$or', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: text('2') }, true],
    ['an attribute named like a prototype property', { constructor: [{ exists: true }] }, {}, false],
  ])('%s', (_, policy, attributes, expected) => {
    expect(matchesAttributes(policy, attributes as Attributes)).toBe(expected);
  });
});

describe('matchesFilterPolicy, MessageBody scope', () => {
  const orPolicy = {
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    detail: { scope: ['Service'], $or: [{ source: ['aws.cloudwatch'] }, { type: ['CloudWatch Alarm State Change'] }] },
  };

  it.each([
    ['wrong detail.scope', { metricName: 'CPUUtilization', detail: { scope: 'aws.cloudwatch', type: 'CloudWatch Alarm State Change' } }, false],
    ['wrong detail.type', { metricName: 'CPUUtilization', detail: { scope: 'Service', type: 'CPUUtilization' } }, false],
    ['no detail.scope', { metricName: 'CPUUtilization', detail: { type: 'CloudWatch Alarm State Change' } }, false],
    ['no detail.type nor detail.source', { metricName: 'CPUUtilization', detail: { scope: 'Service' } }, false],
    ['scope outside detail', { metricName: 'CPUUtilization', scope: 'Service' }, false],
    ['wrong metricName', { metricName: 'AWS/EC2', detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } }, false],
    ['wrong namespace', { namespace: 'CPUUtilization', detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } }, false],
    ['metricName and source', { metricName: 'CPUUtilization', detail: { scope: 'Service', source: 'aws.cloudwatch' } }, true],
    ['other metricName and source', { metricName: 'ReadLatency', detail: { scope: 'Service', source: 'aws.cloudwatch' } }, true],
    ['namespace and source', { namespace: 'AWS/EC2', detail: { scope: 'Service', source: 'aws.cloudwatch' } }, true],
    ['other namespace and source', { namespace: 'AWS/ES', detail: { scope: 'Service', source: 'aws.cloudwatch' } }, true],
    ['metricName and type', { metricName: 'CPUUtilization', detail: { scope: 'Service', type: 'CloudWatch Alarm State Change' } }, true],
  ])('nested $or: %s', (_, body, expected) => {
    expect(matchesBody(orPolicy, body)).toBe(expected);
  });

  it.each([
    ['nested', { object: { nested: 'string.value' } }, true],
    ['dotted', { 'object.nested': 'string.value' }, true],
    ['nested, other value', { object: { nested: 'test-auto' } }, false],
  ])('a dotted policy key "object.nested" names the nested key: %s', (_, body, expected) => {
    expect(matchesBody({ 'object.nested': ['string.value'] }, body)).toBe(expected);
  });

  it.each([
    [{ object: { nested: { test: 'string.value' } } }],
    [{ 'object.nested.test': 'string.value' }],
    [{ 'object.nested': { test: 'string.value' } }],
    [{ object: { 'nested.test': 'string.value' } }],
  ])('every spelling of a three-level dotted key matches: %j', (body) => {
    expect(matchesBody({ 'object.nested.test': ['string.value'] }, body)).toBe(true);
    expect(matchesBody({ 'object.nested.test': ['string.value'] }, { object: { nested: { test: 'string.notvalue' } } })).toBe(false);
  });

  it.each([
    [['queue3'], false],
    [['queue1'], true],
    [['queue1', 'queue2'], true],
  ])('an array in the body matches by any element: %j', (routeTo, expected) => {
    expect(matchesBody({ headers: { 'route-to': ['queue1'] } }, { headers: { 'route-to': routeTo } })).toBe(expected);
  });

  const s3Policy = { Records: { s3: { object: { key: [{ prefix: 'auto-' }] } }, eventName: [{ prefix: 'ObjectCreated:' }] } };
  const record = (eventName: string, key: string) => ({ eventSource: 'aws:s3', eventName, s3: { bucket: { name: 'insurance' }, object: { key, size: 17 } } });

  it.each([
    ['auto insurance created', { Records: [record('ObjectCreated:Put', 'auto-insurance-2314.xml')] }, true],
    ['auto insurance removed', { Records: [record('ObjectRemoved:Delete', 'auto-insurance-2314.xml')] }, false],
    ['home insurance created', { Records: [record('ObjectCreated:Put', 'home-insurance-2314.xml')] }, false],
    [
      'two records, the object a list of lists in the matching one',
      {
        Records: [
          { eventName: 'ObjectCreated:Put', s3: { object: [[{ key: 'auto-insurance-2314.xml', size: 17 }]] } },
          { eventName: 'ObjectRemoved:Delete', s3: { object: { key: 'home-insurance-2314.xml', size: 17 } } },
        ],
      },
      true,
    ],
  ])('arrays of objects (S3 notifications): %s', (_, body, expected) => {
    expect(matchesBody(s3Policy, body)).toBe(expected);
  });

  it('matches an empty string beside an empty array', () => {
    const body = { resources: [], detail: { eventVersion: '', responseElements: null } };
    expect(matchesBody({ detail: { eventVersion: [''] } }, body)).toBe(true);
  });

  it.each([
    ['10.0.0.255', true],
    ['10.0.0.256', false],
  ])('cidr in an $or of a nested key: %s', (address, expected) => {
    const policy = { detail: { $or: [{ sourceIPAddress: [{ cidr: '10.0.0.0/24' }] }, { sourceIPAddressV6: [{ cidr: '2001:db8:1234:1a00::/64' }] }] } };
    expect(matchesBody(policy, { detail: { sourceIPAddress: address } })).toBe(expected);
  });

  it.each([
    ['2001:0db8:1234:1a00:0000:0000:0000:0000', true],
    ['2001:0db8:123f:1a01:0000:0000:0000:0000', false],
  ])('cidr v6: %s', (address, expected) => {
    expect(matchesBody({ ip: [{ cidr: '2001:db8:1234:1a00::/64' }] }, { ip: address })).toBe(expected);
  });

  it.each([
    ['not JSON', 'plain text'],
    ['a JSON array', '[1, 2]'],
    ['a JSON number', '42'],
    ['empty', ''],
  ])('a body that is %s matches no body policy, not even exists: false', (_, body) => {
    expect(matchesBody({ absent: [{ exists: false }] }, body)).toBe(false);
  });

  it('matches a body nested deeper than the stack reaches, without throwing', () => {
    // Prepare: 150,000 levels of objects, 9,999 of arrays (each inner array is an element read), inside SQS's message size
    const depth = 150_000;
    const arrays = SUBJECT_CAPS.maxArrayElements - 1;
    const body = `{"a":${'['.repeat(arrays)}"x"${']'.repeat(arrays)},"b":${'{"c":'.repeat(depth)}1${'}'.repeat(depth)}}`;

    // Act / Assess
    expect(matchesBody({ a: ['x'], b: { c: [{ exists: false }] } }, body)).toBe(true);
    expect(matchesBody({ a: ['y'] }, body)).toBe(false);
  });

  it('matches nothing, without throwing, where nested arrays pass the cap on elements read', () => {
    const depth = 150_000;
    const body = `{"a":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
    expect(matchesBody({ a: ['x'] }, body)).toBe(false);
    expect(matchesBody({ a: [{ 'anything-but': 'y' }] }, body)).toBe(false);
  });

  it('accepts the policy as JSON text', () => {
    expect(matchesBody('{"tenant": ["acme"]}', { tenant: 'acme' })).toBe(true);
  });
});

describe('messageAttributesSubject', () => {
  it('turns SQS attributes into what SNS matches: text, numbers, arrays; no Binary', () => {
    expect(
      messageAttributesSubject({
        tenant: text('acme'),
        price: number('12.5'),
        badNumber: number('twelve'),
        tags: stringArray(['a', 1, true, null]),
        brokenArray: { DataType: 'String.Array', StringValue: '[not json' },
        blob: { DataType: 'Binary' },
        id: { DataType: 'String.uuid', StringValue: 'x-1' },
      }),
    ).toEqual({ tenant: 'acme', price: 12.5, badNumber: 'twelve', tags: ['a', 1, true, null], brokenArray: '[not json', id: 'x-1' });
  });

  it('keeps an attribute named __proto__ as data', () => {
    const subject = messageAttributesSubject(JSON.parse('{"__proto__": {"DataType": "String", "StringValue": "x"}}') as Attributes);
    expect(Object.getPrototypeOf(subject)).toBe(Object.prototype);
    expect(matchesFilterPolicy(parseFilterPolicy('{"__proto__": ["x"]}'), subject)).toBe(true);
  });
});
