import { parseQueueArn } from '../../../lambda/domain/queue-arn';
import { QueueScope } from '../../../lambda/domain/queue-scope';

const scope = new QueueScope({
  accountId: '111122223333',
  region: 'eu-west-1',
  managedQueues: ['arn:aws:sqs:eu-west-1:111122223333:orders-*', 'arn:aws:sqs:eu-west-1:111122223333:billing-dlq'],
  allowedDestinations: ['arn:aws:sqs:eu-west-1:111122223333:orders-replay'],
});
const arn = (text: string) => parseQueueArn(text, 'SourceArn');

describe('QueueScope', () => {
  it('accepts managed queues by prefix and by exact ARN', () => {
    expect(() => scope.checkSource(arn('arn:aws:sqs:eu-west-1:111122223333:orders-dlq'), 'SourceArn')).not.toThrow();
    expect(() => scope.checkSource(arn('arn:aws:sqs:eu-west-1:111122223333:billing-dlq'), 'SourceArn')).not.toThrow();
  });

  it('refuses another account with InvalidAddress', () => {
    expect(() => scope.checkSource(arn('arn:aws:sqs:eu-west-1:444455556666:orders-dlq'), 'SourceArn')).toThrow(
      expect.objectContaining({ code: 'InvalidAddress', message: expect.stringMatching(/account 444455556666/) }),
    );
  });

  it('refuses another region with InvalidAddress', () => {
    expect(() => scope.checkSource(arn('arn:aws:sqs:us-east-1:111122223333:orders-dlq'), 'SourceArn')).toThrow(
      expect.objectContaining({ code: 'InvalidAddress' }),
    );
  });

  it('refuses an unmanaged queue with UnsupportedOperation, and an exact ARN is not a prefix', () => {
    expect(() => scope.checkSource(arn('arn:aws:sqs:eu-west-1:111122223333:payments-dlq'), 'SourceArn')).toThrow(
      expect.objectContaining({ code: 'UnsupportedOperation', message: expect.stringMatching(/payments-dlq/) }),
    );
    expect(() => scope.checkSource(arn('arn:aws:sqs:eu-west-1:111122223333:billing-dlq-2'), 'SourceArn')).toThrow(
      expect.objectContaining({ code: 'UnsupportedOperation' }),
    );
  });

  it('allows only listed destinations', () => {
    expect(() => scope.checkDestination(arn('arn:aws:sqs:eu-west-1:111122223333:orders-replay'), 'DestinationArn')).not.toThrow();
    expect(() => scope.checkDestination(arn('arn:aws:sqs:eu-west-1:111122223333:orders-dlq'), 'DestinationArn')).toThrow(
      expect.objectContaining({ code: 'UnsupportedOperation', message: expect.stringMatching(/DestinationArn .* not an allowed destination/) }),
    );
  });
});
