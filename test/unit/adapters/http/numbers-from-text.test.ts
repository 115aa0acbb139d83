import { numbersFromText } from '../../../../lambda/adapters/http/numbers-from-text';
import { parseStartRequest } from '../../../../lambda/domain/requests';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';

describe('numbersFromText', () => {
  it('turns the integer fields written in digits into numbers and leaves every other value as text', () => {
    // Act
    const params = numbersFromText({ MaxNumberOfMessagesPerSecond: '20', MaxResults: '-3', limit: '0010', Reason: '42', SourceArn: ARN });

    // Assess
    expect({ ...params }).toEqual({ MaxNumberOfMessagesPerSecond: 20, MaxResults: -3, limit: 10, Reason: '42', SourceArn: ARN });
    expect(Object.getPrototypeOf(params)).toBeNull();
  });

  it.each(['2e1', '1.5', ' 20', '', '12345678901', '0x10'])('leaves %p as text, so validation refuses it', (text) => {
    // Act
    const params = numbersFromText({ SourceArn: ARN, MaxNumberOfMessagesPerSecond: text });

    // Assess
    expect(params.MaxNumberOfMessagesPerSecond).toBe(text);
    expect(() => parseStartRequest(params)).toThrow(/MaxNumberOfMessagesPerSecond must be an integer from 1 to 500/);
  });

  it('reads only own fields: a __proto__ field stays a plain name', () => {
    // Prepare
    const form: Record<string, string> = Object.create(null);
    form.__proto__ = '5';
    form.MaxResults = '5';

    // Act
    const params = numbersFromText(form);

    // Assess
    expect(Object.hasOwn(params, '__proto__')).toBe(true);
    expect(params.MaxResults).toBe(5);
    expect(({} as Record<string, unknown>).MaxResults).toBeUndefined();
  });
});
