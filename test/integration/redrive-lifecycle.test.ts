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
});
