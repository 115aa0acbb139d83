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

describe('SqsMessageMoveService.start', () => {
  const SOURCE = { arn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq' } as Parameters<SqsMessageMoveService['start']>[0]['source'];
  function service(startAnswers: Array<Error | object>, listAnswer: object) {
    const start = jest.fn(async () => {
      const answer = startAnswers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const list = jest.fn(async () => listAnswer);
    return { start, list, sqs: new SqsMessageMoveService({ send: list } as unknown as SQSClient, { send: start } as unknown as SQSClient, async () => {}) };
  }
  const running = (startedTimestamp: number) => ({ Results: [{ TaskHandle: 'their-handle', Status: 'RUNNING', SourceArn: SOURCE.arn, ApproximateNumberOfMessagesMoved: 0, StartedTimestamp: startedTimestamp }] });

  it('after a lost answer, takes the task SQS started since the request instead of sending it again', async () => {
    // Prepare: a blind retry would be refused with "There is already a task running"
    const { start, list, sqs } = service([Object.assign(new Error('timed out'), { name: 'TimeoutError' })], running(Date.now()));
    // Act
    const result = await sqs.start({ source: SOURCE });
    // Assess
    expect(result).toEqual({ taskHandle: 'their-handle' });
    expect(start).toHaveBeenCalledTimes(1);
    expect(list).toHaveBeenCalledTimes(1);
  });

  it('after a lost answer, fails with 503 when SQS runs no task started since the request', async () => {
    // Prepare: the running task is an older one, not ours
    const { start, sqs } = service([fault('InternalError', 'server')], running(Date.now() - 60_000));
    // Act / Assess
    await expect(sqs.start({ source: SOURCE })).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('passes a refusal on without asking SQS again', async () => {
    // Prepare
    const { list, sqs } = service([fault('InvalidParameterValue', 'client')], running(Date.now()));
    // Act / Assess
    await expect(sqs.start({ source: SOURCE })).rejects.toMatchObject({ code: 'InvalidParameterValue', status: 400 });
    expect(list).not.toHaveBeenCalled();
  });

  it('repeats a throttled start: SQS did not act', async () => {
    // Prepare
    const { start, sqs } = service([fault('RequestThrottled', 'client'), { TaskHandle: 'mine' }], running(Date.now()));
    // Act / Assess
    await expect(sqs.start({ source: SOURCE })).resolves.toEqual({ taskHandle: 'mine' });
    expect(start).toHaveBeenCalledTimes(2);
  });
});
