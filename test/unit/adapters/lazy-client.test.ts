import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

import { lazyClient } from '../../../lambda/adapters/lazy-client';

const sqs = mockClient(SQSClient);

describe('lazyClient', () => {
  beforeEach(() => sqs.reset());

  it('builds the client at its first use, once, and sends through it', async () => {
    // Prepare
    sqs.on(GetQueueUrlCommand).resolves({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders' });
    const make = jest.fn(() => new SQSClient({ region: 'us-east-1', maxAttempts: 1 }));
    const client = lazyClient(make);
    const builtAtInit = make.mock.calls.length;

    // Act
    const first = await client.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    await client.send(new GetQueueUrlCommand({ QueueName: 'orders' }));

    // Assess
    expect(builtAtInit).toBe(0);
    expect(make).toHaveBeenCalledTimes(1);
    expect(first.QueueUrl).toMatch(/orders$/);
    expect(await client.config.maxAttempts()).toBe(1);
  });
});
