import { SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';

import { ENV } from '../../lambda/config/environment';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { startTestStack, type TestStack } from '../support/local-stack-fixture';

describe('api.requireReason (REQUIRE_REASON=true)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ functionEnv: { [ENV.requireReason]: 'true' } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses a path-style start or cancel without a Reason, before any SQS call', async () => {
    // Prepare
    const { handle, dlqArn } = await t.runningTask('why-path');

    // Act
    const start = await t.post('/StartMessageMoveTask', { SourceArn: dlqArn });
    const cancel = await t.post('/CancelMessageMoveTask', { TaskHandle: handle, Reason: '' });

    // Assess
    for (const refused of [start, cancel]) {
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({ __type: 'com.amazonaws.sqs#MissingParameter', message: expect.stringMatching(/^Reason is required: this deployment records why every redrive is (started|cancelled) \(api\.requireReason\)/) });
    }
    expect(t.sqsProxy.calls).toHaveLength(0);
  });

  it('refuses a Query-style start without a Reason, and accepts one with it', async () => {
    // Prepare
    const dlq = await t.seedDlq(3, 'why-query');
    const form = (fields: Record<string, string>) =>
      fetch(`${t.stack.apiUrl}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

    // Act
    const refused = await form({ Action: 'StartMessageMoveTask', SourceArn: dlq.dlqArn });
    const accepted = await form({ Action: 'StartMessageMoveTask', SourceArn: dlq.dlqArn, Reason: 'replay after the fix' });

    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/<Code>MissingParameter<\/Code><Message>Reason is required/);
    expect(accepted.status).toBe(200);
  });

  it("keeps SQS's own JSON protocol working: the AWS SDK cannot send a Reason", async () => {
    // Prepare
    const dlq = await t.seedDlq(3, 'why-sdk');
    const controller = new SQSClient({ endpoint: t.stack.apiUrl, region: t.stack.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });

    // Act
    const started = await controller.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn }));
    controller.destroy();

    // Assess
    expect(started.TaskHandle).toEqual(expect.any(String));
  });
});
