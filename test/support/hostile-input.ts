import fc from 'fast-check';

/** Adversarial building blocks shared by the in-process and the over-HTTP property tests. */
export const ACCOUNT = '123456789012';
export const MANAGED_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:managed-fuzz-dlq`;

export const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const FIELD_NAMES = ['SourceArn', 'DestinationArn', 'MaxNumberOfMessagesPerSecond', 'TaskHandle', 'Reason', 'MaxResults', 'Action', ...POLLUTING_KEYS];

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '', ' ', '\u0000', '\n{"level":"ERROR"}', '\r\n', '<xml>&amp;', ']]>', '${jndi:ldap://x}', '%00', '%', '%%%', '\uD800', '\uFFFE',
    'arn:aws:sqs:us-east-1:444455556666:other', `arn:aws:sqs:us-east-1:${ACCOUNT}:`, `arn:aws:sqs:us-east-1:${ACCOUNT}:a:b`, MANAGED_ARN.toUpperCase(),
    'a'.repeat(5000), '=', '==', 'AmazonSQS.', 'RUNNING', '../../etc/passwd',
  ),
);

const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 501, 1e308, Number.MAX_SAFE_INTEGER + 2));

/** JSON values with hostile leaves and prototype-pollution keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** base64 of hostile JSON, some of it shaped like a real handle. */
export const hostileHandle: fc.Arbitrary<string> = fc.oneof(
  fc.record({ taskId: fc.oneof(hostileString, fc.uuid()), sourceArn: fc.oneof(hostileString, fc.constant(MANAGED_ARN)) }, { requiredKeys: [] }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64')),
  fc.dictionary(fc.constantFrom('taskId', 'sourceArn', ...POLLUTING_KEYS), hostileValue).map((value) => Buffer.from(JSON.stringify(value)).toString('base64')),
  fc.constantFrom('{"__proto__":{"polluted":true},"taskId":"x","sourceArn":"' + MANAGED_ARN + '"}').map((json) => Buffer.from(json).toString('base64')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('base64')),
  hostileString,
);

/** A JSON object body whose fields are the API's own names with hostile values. */
export const hostileParams: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...FIELD_NAMES),
  fc.oneof(hostileValue, hostileHandle),
  { maxKeys: 6 },
);

function nestingDepth(max: number): fc.Arbitrary<number> {
  return fc.oneof(fc.nat({ max: 50 }), fc.constantFrom(1_000, 5_000, max));
}

/** Bodies as text: JSON objects, other JSON, broken JSON, deep nesting, raw text. */
export const hostileJsonBody: fc.Arbitrary<string> = fc.oneof(
  hostileParams.map((params) => JSON.stringify(params)),
  hostileParams.map((params) => JSON.stringify(params).replace('{', '{"__proto__":{"polluted":true},')),
  fc.json(),
  // deep nesting: fast-check favours small numbers, so the depths that overflow a recursive walk are named
  fc.tuple(fc.constantFrom('SourceArn', 'MaxNumberOfMessagesPerSecond', 'MaxResults', 'TaskHandle', 'Reason'), nestingDepth(30_000)).map(([name, depth]) => `{"SourceArn":"${MANAGED_ARN}","${name}":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.tuple(fc.constantFrom('MaxNumberOfMessagesPerSecond', 'MaxResults', '__proto__'), nestingDepth(12_000)).map(([name, depth]) => `{"SourceArn":"${MANAGED_ARN}","${name}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
  nestingDepth(40_000).map((depth) => '['.repeat(depth)),
  hostileString,
);

/** Query-protocol form bodies, with repeated and polluting fields. */
export const hostileFormBody: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string()), fc.oneof(hostileString, hostileHandle, fc.constantFrom('StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks'))), { maxLength: 6 })
    .map((pairs) => pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, ''))}`).join('&')),
  hostileString,
  fc.constantFrom('Action=StartMessageMoveTask&SourceArn=%E0%A4%A', 'Action=%%&x=%ZZ', 'Action=ListMessageMoveTasks&SourceArn=' + MANAGED_ARN + '&MaxResults=1e1'),
);

export const ACTION_NAMES = ['StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks', 'DeleteQueue', 'constructor', '__proto__', 'toString', ''];

/** Query strings for GET /tasks. */
export const hostileTaskQuery: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom('sourceArn', 'status', 'limit', 'nextToken', ...POLLUTING_KEYS),
  fc.oneof(
    hostileString.map((text) => text.replace(/[\uD800-\uDFFF]/g, '')),
    fc.constantFrom('RUNNING', 'bogus', '0', '101', '25', '1.5', '-1', MANAGED_ARN),
    hostileValue.map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
    fc.constant(Buffer.from(JSON.stringify({ i: 'by-source', k: { taskId: 'x', sourceArn: 'arn:aws:sqs:us-east-1:444455556666:q', createdAt: 'y' } })).toString('base64url')),
  ),
  { maxKeys: 4 },
);

/** Anything a caller could put in the error-format position: the API's own error bodies only. */
export function isApiError(statusCode: number, contentType: string | undefined, body: string): boolean {
  if (statusCode < 400 || statusCode >= 500) return false;
  if ((contentType ?? '').startsWith('text/xml')) {
    return /^<\?xml version="1.0"\?>\n<ErrorResponse><Error><Type>Sender<\/Type><Code>[A-Za-z.]+<\/Code><Message>[^<]*<\/Message><\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/.test(body);
  }
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    return (
      Object.keys(parsed).sort().join() === '__type,message' &&
      typeof parsed.__type === 'string' &&
      /^com\.amazonaws\.sqs#[A-Za-z.]+$/.test(parsed.__type) &&
      typeof parsed.message === 'string' &&
      parsed.message.length > 0
    );
  } catch {
    return false;
  }
}
