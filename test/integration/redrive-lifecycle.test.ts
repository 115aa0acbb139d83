import { useTestStack } from '../support/local-stack-fixture';

describe('a redrive through the local stack', () => {
  const t = useTestStack();

  it('starts, lists, cancels once, and refuses a second cancel with the status', async () => {
    // Prepare
    const dlq = await t.seedDlq(20);

    // Act
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'lifecycle' });
    const listed = await t.post('/ListMessageMoveTasks', { SourceArn: dlq.dlqArn });
    const cancelled = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle, Reason: 'stop it' });
    const again = await t.post('/CancelMessageMoveTask', { TaskHandle: started.body.TaskHandle });

    // Assess
    expect(started.status).toBe(200);
    expect(listed.body.Results[0]).toMatchObject({ Status: 'RUNNING', SourceArn: dlq.dlqArn, TaskHandle: started.body.TaskHandle });
    expect(cancelled.status).toBe(200);
    expect(typeof cancelled.body.ApproximateNumberOfMessagesMoved).toBe('number');
    expect(again.status).toBe(400);
    expect(again.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
    expect(again.body.message).toMatch(/CANCELLING|CANCELLED/);
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(1);
  });

  it('logs each request with Powertools\' Lambda context: service, function, request id, cold start, and API Gateway\'s request id', async () => {
    // Act
    const first = await t.get('/health');
    const second = await t.get('/health');

    // Assess
    const lines = t.logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'request');
    const lineOf = (requestId: string | null) => lines.find((line) => line.correlation_id === requestId);
    for (const answer of [first, second]) {
      expect(lineOf(answer.headers.get('x-amzn-requestid'))).toMatchObject({
        service: 'redrive-controller',
        function_name: 'redrive-controller-api',
        function_request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        cold_start: expect.any(Boolean),
        route: 'health',
      });
    }
    expect(lineOf(second.headers.get('x-amzn-requestid'))!.cold_start).toBe(false);
    // the function's process served every request of this file: only its first was a cold start
    expect(lines.filter((line) => line.cold_start === true)).toEqual([lines[0]]);
  });
});
