import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

import { AsyncInvocationQueue, deadLetterAttributes, type InvocationRecord, invocationRecord } from '../../../../local/world/async-invocation';
import awsExample from '../../../fixtures/world/aws-lambda-on-failure-record.json';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

/** every key path of a JSON value, arrays by their first element */
function shape(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.length > 0 ? shape(value[0], `${at}[]`) : [`${at}[]`];
  if (typeof value !== 'object' || value === null) return [`${at}: ${typeof value}`];
  return Object.entries(value).filter(([key]) => key !== '$comment').flatMap(([key, child]) => shape(child, `${at}.${key}`));
}

describe('invocationRecord', () => {
  it("has the fields of AWS's documented example, with the same types", () => {
    // Act
    const record = invocationRecord({ functionArn: ARN, requestId: 'r-1', approximateInvokeCount: 3, requestPayload: { ORDER_IDS: ['a'] }, responsePayload: { errorMessage: 'boom' } });

    // Assess
    expect(shape(record).sort()).toEqual(shape(awsExample).sort());
    expect(record.requestContext.functionArn).toBe(`${ARN}:$LATEST`);
  });
});

describe('deadLetterAttributes', () => {
  it('names the request, the HTTP status as a Number and the first 1 KB of the message, as Lambda documents them', () => {
    // Act
    const attributes = deadLetterAttributes('r-1', 'x'.repeat(2000));

    // Assess
    expect(attributes.RequestID).toEqual({ DataType: 'String', StringValue: 'r-1' });
    expect(attributes.ErrorCode).toEqual({ DataType: 'Number', StringValue: '200' });
    expect(attributes.ErrorMessage?.StringValue).toHaveLength(1024);
  });
});

describe('AsyncInvocationQueue', () => {
  const started = (failures: number, maximumRetryAttempts: number) => {
    const calls: unknown[] = [];
    const records: InvocationRecord[] = [];
    const deadLetters: { body: string; attributes: Record<string, MessageAttributeValue> }[] = [];
    const queue = new AsyncInvocationQueue({
      functionArn: ARN,
      maximumRetryAttempts,
      retryDelayMs: 1,
      run: async (event) => {
        calls.push(event);
        if (calls.length <= failures) throw new RangeError(`failure ${calls.length}`);
        return 'ok';
      },
      onFailure: async (record) => void records.push(record),
      deadLetter: async (body, attributes) => void deadLetters.push({ body, attributes }),
      onLog: () => undefined,
    });
    return { queue, calls, records, deadLetters };
  };

  it('retries maximumRetryAttempts times, then sends the record and the dead letter of the same request', async () => {
    // Prepare
    const { queue, calls, records, deadLetters } = started(99, 2);

    // Act
    const requestId = queue.enqueue({ n: 1 });
    await queue.idle();

    // Assess
    expect(calls).toHaveLength(3);
    expect(records.map((record) => [record.requestContext.requestId, record.requestContext.approximateInvokeCount, record.responsePayload])).toEqual([[requestId, 3, { errorType: 'RangeError', errorMessage: 'failure 3', trace: [] }]]);
    expect(deadLetters.map((letter) => [letter.body, letter.attributes.RequestID?.StringValue])).toEqual([['{"n":1}', requestId]]);
  });

  it('sends nothing when a retry succeeds', async () => {
    // Prepare
    const { queue, calls, records, deadLetters } = started(1, 1);

    // Act
    queue.enqueue({ n: 2 });
    await queue.idle();

    // Assess
    expect([calls.length, records.length, deadLetters.length]).toEqual([2, 0, 0]);
  });

  it('gives up after the first attempt with maximumRetryAttempts 0', async () => {
    // Prepare
    const { queue, calls, records } = started(99, 0);

    // Act
    queue.enqueue({ n: 3 });
    await queue.idle();

    // Assess
    expect([calls.length, records[0]?.requestContext.approximateInvokeCount]).toEqual([1, 1]);
  });
});
