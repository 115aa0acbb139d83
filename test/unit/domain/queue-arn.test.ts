import { parseQueueArn, tryParseQueueArn } from '../../../lambda/domain/queue-arn';

describe('parseQueueArn', () => {
  it.each([
    'arn:aws:sqs:us-east-1:111122223333:orders-dlq',
    'arn:aws:sqs:eu-west-2:111122223333:orders_dlq.fifo',
    'arn:aws-us-gov:sqs:us-gov-west-1:111122223333:q',
    'arn:aws-cn:sqs:cn-north-1:111122223333:' + 'a'.repeat(80),
  ])('accepts %s', (arn) => {
    expect(parseQueueArn(arn, 'SourceArn').arn).toBe(arn);
  });

  it.each([
    ['another service', 'arn:aws:sns:us-east-1:111122223333:orders'],
    ['an 11-digit account', 'arn:aws:sqs:us-east-1:11112222333:orders'],
    ['no region', 'arn:aws:sqs::111122223333:orders'],
    ['a queue name too long', 'arn:aws:sqs:us-east-1:111122223333:' + 'a'.repeat(81)],
    ['a fifo name too long', 'arn:aws:sqs:us-east-1:111122223333:' + 'a'.repeat(76) + '.fifo'],
    ['a slash in the name', 'arn:aws:sqs:us-east-1:111122223333:a/b'],
    ['a queue URL', 'https://sqs.us-east-1.amazonaws.com/111122223333/orders'],
    ['trailing whitespace', 'arn:aws:sqs:us-east-1:111122223333:orders '],
    ['an unknown partition', 'arn:evil:sqs:us-east-1:111122223333:orders'],
  ])('rejects %s', (_, arn) => {
    expect(tryParseQueueArn(arn)).toBeUndefined();
    expect(() => parseQueueArn(arn, 'SourceArn')).toThrow(/SourceArn must be an SQS queue ARN/);
  });

  it('names the field when it is missing or not a string', () => {
    expect(() => parseQueueArn(undefined, 'DestinationArn')).toThrow(/DestinationArn is required/);
    expect(() => parseQueueArn(['arn'], 'DestinationArn')).toThrow(/DestinationArn must be a string/);
  });

  it('quotes hostile input bounded and escaped', () => {
    // Act
    let message = '';
    try {
      parseQueueArn('x\n'.repeat(10_000), 'SourceArn');
    } catch (error) {
      message = (error as Error).message;
    }
    // Assess
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(300);
  });
});
