import { parseStartRequest } from '../../../lambda/domain/requests';
import { quote, SqsError } from '../../../lambda/domain/sqs-error';

function nested(depth: number): unknown {
  return JSON.parse('['.repeat(depth) + ']'.repeat(depth));
}

describe('quote', () => {
  it('describes input nested deeper than JSON.stringify can recurse instead of throwing', () => {
    // Prepare: 60,000 levels fit in the 64 KiB body cap
    const deep = nested(60_000);
    // Act
    const text = quote(deep);
    // Assess
    expect(text).toBe('"(an array too deeply nested to show)"');
  });

  it('keeps quoting shallow values as JSON', () => {
    expect(quote(0)).toBe('"0"');
    expect(quote({ a: 1 })).toBe('"{\\"a\\":1}"');
    expect(quote(undefined)).toBe('"undefined"');
  });
});

describe('parseStartRequest', () => {
  it('answers a deeply nested MaxNumberOfMessagesPerSecond with InvalidParameterValue, not a crash', () => {
    // Prepare
    const params = { SourceArn: 'arn:aws:sqs:us-east-1:111122223333:q', MaxNumberOfMessagesPerSecond: nested(60_000) };
    // Act
    const attempt = () => parseStartRequest(params);
    // Assess
    expect(attempt).toThrow(SqsError);
    expect(attempt).toThrow(/MaxNumberOfMessagesPerSecond must be an integer from 1 to 500, got "\(an array too deeply nested/);
  });
});
