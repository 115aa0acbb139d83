import { type SQSClient,SQSServiceException } from '@aws-sdk/client-sqs';

import { SqsMessageMoveService } from '../../../../lambda/adapters/sqs/sqs-message-move-service';

const fault = (name: string, $fault: 'client' | 'server') => new SQSServiceException({ name, $fault, $metadata: {}, message: `${name} injected` });

describe('SqsMessageMoveService.cancel', () => {
  function service(answers: Array<Error | object>) {
    const send = jest.fn(async () => {
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const unused = { send: jest.fn() } as unknown as SQSClient;
    return { send, sqs: new SqsMessageMoveService(unused, { send } as unknown as SQSClient, async () => {}) };
  }

  it('repeats a throttled cancel with backoff: SQS did not act', async () => {
    // Prepare
    const { send, sqs } = service([fault('RequestThrottled', 'client'), fault('RequestThrottled', 'client'), { ApproximateNumberOfMessagesMoved: 5 }]);
    // Act
    const result = await sqs.cancel('handle');
    // Assess
    expect(result).toEqual({ approximateNumberOfMessagesMoved: 5 });
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('never repeats a cancel after a 5xx or a network failure: SQS may have acted', async () => {
    for (const failure of [fault('InternalError', 'server'), Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })]) {
      // Prepare
      const { send, sqs } = service([failure, { ApproximateNumberOfMessagesMoved: 5 }]);
      // Act / Assess
      await expect(sqs.cancel('handle')).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
      expect(send).toHaveBeenCalledTimes(1);
    }
  });

  it('gives up after three throttled attempts', async () => {
    // Prepare
    const { send, sqs } = service([fault('RequestThrottled', 'client'), fault('RequestThrottled', 'client'), fault('RequestThrottled', 'client')]);
    // Act / Assess
    await expect(sqs.cancel('handle')).rejects.toMatchObject({ code: 'RequestThrottled', status: 400 });
    expect(send).toHaveBeenCalledTimes(3);
  });
});
