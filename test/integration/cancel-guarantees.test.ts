import { useTestStack } from '../support/local-stack-fixture';

describe('RUNNING-only cancellation', () => {
  const t = useTestStack({}, { resetCallsBeforeEach: true });

  it('keeps the record truthful when SQS fails the cancel without acting, and a retry succeeds', async () => {
    // Prepare: SQS answers 500 to the cancel; the cancel is not idempotent, so it is sent once
    const task = await t.runningTask('sqs-down');
    t.sqsProxy.inject({ match: 'AmazonSQS.CancelMessageMoveTask', times: 1, status: 500, errorType: 'InternalError', message: 'injected' });
    // Act
    const failed = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle, Reason: 'first try' });
    const callsOfFailure = t.sqsProxy.calls.map((call) => call.target);
    const afterFailure = await t.get(`/tasks/${task.taskId}`);
    const retried = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle, Reason: 'second try' });
    const afterRetry = await t.get(`/tasks/${task.taskId}`);
    // Assess: one cancel, then SQS is asked and shows the task RUNNING, so the claim is given back
    expect(callsOfFailure).toEqual(['AmazonSQS.CancelMessageMoveTask', 'AmazonSQS.ListMessageMoveTasks']);
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ __type: 'com.amazonaws.sqs#ServiceUnavailable', message: expect.stringMatching(/SQS failed to answer/) });
    expect(afterFailure.body).toMatchObject({ Status: 'RUNNING', lastCancelError: expect.stringMatching(/ServiceUnavailable/) });
    expect(afterFailure.body.cancelledBy).toBeUndefined();
    expect(retried.status).toBe(200);
    expect(afterRetry.body).toMatchObject({ Status: 'CANCELLING', cancelReason: 'second try', cancelledBy: 'arn:aws:iam::123456789012:role/local' });
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(2);
  });

  it('answers success when SQS took the cancel but its answer was lost, and never records RUNNING', async () => {
    // Prepare: SQS cancels, the caller hears a 500
    const task = await t.runningTask('lost-answer');
    t.sqsProxy.inject({ match: 'AmazonSQS.CancelMessageMoveTask', times: 1, status: 500, errorType: 'InternalError', message: 'injected', afterForward: true });
    // Act
    const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle, Reason: 'consumer broken' });
    const record = await t.get(`/tasks/${task.taskId}`);
    // Assess: not retried (a retry would be refused as "Only active tasks can be cancelled")
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ApproximateNumberOfMessagesMoved: expect.any(Number) });
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(1);
    expect(record.body).toMatchObject({ Status: expect.stringMatching(/^CANCELL(ING|ED)$/), cancelledBy: 'arn:aws:iam::123456789012:role/local', cancelReason: 'consumer broken' });
    expect(record.body.lastCancelError).toBeUndefined();
  });

  it('leaves the record CANCELLING and says the outcome is unknown when SQS cannot be asked either', async () => {
    // Prepare: SQS cancels, the caller hears a 500, and the question that follows fails too
    const task = await t.runningTask('unknown');
    t.sqsProxy.inject({ match: 'AmazonSQS.CancelMessageMoveTask', times: 1, status: 500, errorType: 'InternalError', message: 'injected', afterForward: true });
    t.sqsProxy.inject({ match: 'AmazonSQS.ListMessageMoveTasks', times: 3, status: 500, errorType: 'InternalError', message: 'injected' });
    // Act
    const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
    const record = await t.get(`/tasks/${task.taskId}`);
    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ __type: 'com.amazonaws.sqs#ServiceUnavailable', message: expect.stringMatching(/outcome is unknown.*reconciler settles it/) });
    expect(record.body).toMatchObject({ Status: 'CANCELLING', cancelledBy: 'arn:aws:iam::123456789012:role/local' });
  });

  it('retries SQS throttling with backoff before the caller sees it', async () => {
    // Prepare: one throttle, then SQS answers
    const task = await t.runningTask('throttle');
    t.sqsProxy.inject({ match: 'AmazonSQS.CancelMessageMoveTask', times: 1, status: 400, errorType: 'RequestThrottled', message: 'slow down' });
    // Act
    const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
    // Assess
    expect(answer.status).toBe(200);
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(2);
  });

  it('never calls SQS when the table fails before the claim', async () => {
    // Prepare: DynamoDB is unreachable for every attempt
    const task = await t.runningTask('ddb-down');
    t.dynamoDbProxy.inject({ match: 'DynamoDB_20120810.PutItem', times: 3, reset: true });
    // Act
    const answer = await t.post('/CancelMessageMoveTask', { TaskHandle: task.handle });
    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ __type: 'com.amazonaws.sqs#ServiceUnavailable', message: expect.stringMatching(/task table could not be reached/) });
    expect(t.sqsProxy.count('AmazonSQS.CancelMessageMoveTask')).toBe(0);
    const record = await t.get(`/tasks/${task.taskId}`);
    expect(record.body.Status).toBe('RUNNING');
  });

  it('refuses handles it cannot trust without calling SQS or writing the table', async () => {
    // Prepare
    const task = await t.runningTask('forged');
    const forged = Buffer.from(JSON.stringify({ taskId: task.taskId, sourceArn: task.dlqArn, extra: 1 })).toString('base64');
    const foreign = Buffer.from(JSON.stringify({ taskId: task.taskId, sourceArn: 'arn:aws:sqs:us-east-1:444455556666:dlq' })).toString('base64');
    // Act
    const forgedAnswer = await t.post('/CancelMessageMoveTask', { TaskHandle: forged });
    const foreignAnswer = await t.post('/CancelMessageMoveTask', { TaskHandle: foreign });
    // Assess
    expect(forgedAnswer.status).toBe(400);
    expect(forgedAnswer.body.__type).toBe('com.amazonaws.sqs#ResourceNotFoundException');
    expect(foreignAnswer.body.__type).toBe('com.amazonaws.sqs#InvalidAddress');
    expect(t.sqsProxy.calls).toHaveLength(0);
    expect((await t.get(`/tasks/${task.taskId}`)).body.Status).toBe('RUNNING');
  });
});
