import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  ResourceNotFoundException,
  SQSClient,
  StartMessageMoveTaskCommand,
  UnsupportedOperation,
} from '@aws-sdk/client-sqs';

import { encodeTaskHandle } from '../../lambda/domain/task-handle';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { startTestStack, useTestStack } from '../support/local-stack-fixture';

describe('the three request styles', () => {
  const t = useTestStack();
  let controller: SQSClient;
  beforeAll(() => {
    // the AWS SDK's own SQSClient, pointed at the controller instead of SQS
    controller = new SQSClient({ endpoint: t.stack.apiUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  });
  afterAll(() => {
    controller.destroy();
  });

  it('serves the AWS SDK SQSClient as a client: start, list, cancel', async () => {
    // Prepare
    const dlq = await t.seedDlq(10, 'sdk');
    // Act
    const started = await controller.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const listed = await controller.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.dlqArn, MaxResults: 10 }));
    const cancelled = await controller.send(new CancelMessageMoveTaskCommand({ TaskHandle: started.TaskHandle }));
    // Assess
    expect(listed.Results?.[0]).toMatchObject({ Status: 'RUNNING', TaskHandle: started.TaskHandle, MaxNumberOfMessagesPerSecond: 1 });
    expect(typeof cancelled.ApproximateNumberOfMessagesMoved).toBe('number');
    const record = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);
    expect(record.body.tasks[0]).toMatchObject({ Status: 'CANCELLING', startedBy: 'arn:aws:iam::123456789012:role/local', cancelledBy: 'arn:aws:iam::123456789012:role/local', origin: 'api' });
  });

  it("raises the SDK's own error classes", async () => {
    const unknown = encodeTaskHandle('00000000-0000-0000-0000-000000000000', `arn:aws:sqs:us-east-1:${t.stack.accountId}:nothing-dlq`);
    await expect(controller.send(new CancelMessageMoveTaskCommand({ TaskHandle: unknown }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const foreign = encodeTaskHandle('x', 'arn:aws:sqs:us-east-1:444455556666:dlq');
    await expect(controller.send(new CancelMessageMoveTaskCommand({ TaskHandle: foreign }))).rejects.toMatchObject({ name: 'InvalidAddress' });
    await expect(controller.send(new ListMessageMoveTasksCommand({ SourceArn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' }))).rejects.toMatchObject({ name: 'InvalidAddress' });
    await expect(
      new SQSClient({ endpoint: t.stack.apiUrl, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }).send(new StartMessageMoveTaskCommand({ SourceArn: 'not-an-arn' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringMatching(/SourceArn must be an SQS queue ARN/) });
  });

  it('raises UnsupportedOperation for a queue outside the managed set', async () => {
    // Prepare: a controller that manages only queues named orders-*
    const narrow = await startTestStack({ functionEnv: { MANAGED_QUEUES: `arn:aws:sqs:us-east-1:${t.stack.accountId}:orders-*` } });
    const client = new SQSClient({ endpoint: narrow.stack.apiUrl, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    try {
      // Act
      const attempt = client.send(new ListMessageMoveTasksCommand({ SourceArn: `arn:aws:sqs:us-east-1:${t.stack.accountId}:payments-dlq` }));
      // Assess
      await expect(attempt).rejects.toBeInstanceOf(UnsupportedOperation);
      await expect(attempt).rejects.toMatchObject({ message: expect.stringMatching(/payments-dlq, which this controller does not manage/) });
      expect(narrow.sqsProxy.calls).toHaveLength(0);
    } finally {
      client.destroy();
      await narrow.stop();
    }
  });

  it('serves the Query protocol with form bodies and XML answers', async () => {
    // Prepare
    const dlq = await t.seedDlq(5, 'query');
    const form = (fields: Record<string, string>) =>
      fetch(`${t.stack.apiUrl}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    // Act
    const started = await form({ Action: 'StartMessageMoveTask', SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: '1' });
    const startXml = await started.text();
    const handle = /<TaskHandle>([^<]+)<\/TaskHandle>/.exec(startXml)?.[1];
    const cancelled = await form({ Action: 'CancelMessageMoveTask', TaskHandle: handle!, Reason: 'query style' });
    const cancelXml = await cancelled.text();
    const again = await form({ Action: 'CancelMessageMoveTask', TaskHandle: handle! });
    // Assess
    expect(started.status).toBe(200);
    expect(startXml).toContain('<StartMessageMoveTaskResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><StartMessageMoveTaskResult><TaskHandle>');
    expect(cancelXml).toMatch(/<CancelMessageMoveTaskResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><CancelMessageMoveTaskResult><ApproximateNumberOfMessagesMoved>\d+<\/ApproximateNumberOfMessagesMoved><\/CancelMessageMoveTaskResult><ResponseMetadata><RequestId>[0-9a-f-]+<\/RequestId><\/ResponseMetadata><\/CancelMessageMoveTaskResponse>/);
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/<Type>Sender<\/Type><Code>InvalidParameterValue<\/Code><Message>Only RUNNING tasks can be cancelled; task .* is CANCELL/);
  });

  it('refuses a field the action does not define in every style, the SDK included, and starts nothing', async () => {
    // Prepare: the contract's example: a misspelled DryRun must never start a real move
    const dlq = await t.seedDlq(3, 'unknown-field');
    const sdkWithDryRun = new SQSClient({ endpoint: t.stack.apiUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    sdkWithDryRun.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string; headers: Record<string, string> };
        request.body = JSON.stringify({ ...(JSON.parse(request.body ?? '{}') as object), Dryrun: true });
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'addUnknownField' },
    );
    t.sqsProxy.reset();
    try {
      // Act
      const path = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, Dryrun: true });
      const query = await fetch(`${t.stack.apiUrl}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Action: 'StartMessageMoveTask', Version: '2012-11-05', SourceArn: dlq.dlqArn, Dryrun: 'true' }),
      });
      const sdk = sdkWithDryRun.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn }));
      // Assess
      expect(path.status).toBe(400);
      expect(path.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: expect.stringContaining('StartMessageMoveTask does not take the field "Dryrun"') });
      expect(query.status).toBe(400);
      expect(await query.text()).toMatch(/<Code>InvalidParameterValue<\/Code><Message>StartMessageMoveTask does not take the field &quot;Dryrun&quot;/);
      await expect(sdk).rejects.toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('does not take the field "Dryrun"') });
      expect(t.sqsProxy.count('AmazonSQS.StartMessageMoveTask')).toBe(0);
      const tasks = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);
      expect(tasks.body.tasks).toEqual([]);
    } finally {
      sdkWithDryRun.destroy();
    }
  });

  it("passes SQS's own refusals through as 400s with SQS's code", async () => {
    // Prepare: a plain queue that no redrive policy points at is no DLQ
    const notDlq = await t.seedDlq(3, 'busy');
    // Act
    const refused = await t.post('/StartMessageMoveTask', { SourceArn: notDlq.sourceQueueArn });
    const first = await t.post('/StartMessageMoveTask', { SourceArn: notDlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const second = await t.post('/StartMessageMoveTask', { SourceArn: notDlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    // Assess
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: expect.stringMatching(/Dead Letter Queue/) });
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(second.body.message).toMatch(/already a task running/);
    const tasks = await t.get(`/tasks?sourceArn=${encodeURIComponent(notDlq.dlqArn)}`);
    expect(tasks.body.tasks).toHaveLength(1);
  });
});
