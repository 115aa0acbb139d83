import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';

/** `redrive dlqs` and `redrive peek` against the local stack, as an operator's shell runs them. */
describe('the redrive CLI: dlqs and peek', () => {
  let t: TestStack;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startTestStack();
    env = { REDRIVE_API_URL: t.stack.apiUrl };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lists the DLQs with their sources, as a table and as JSON', async () => {
    // Prepare
    const dlq = await t.seedDlq(4, 'cli-dlqs');
    const name = dlq.dlqArn.split(':').pop()!;
    const source = dlq.sourceQueueArn.split(':').pop()!;
    await t.stack.refreshInventory();

    // Act
    const table = await runCli(['dlqs', '--prefix', 'cli-dlqs'], env);
    const json = await runCli(['dlqs', '--prefix', 'cli-dlqs', '--json'], env);

    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^${name}\\s+4\\s+0\\s+-\\s+in 9\\dh\\d+m\\d+s\\s+${source}\\s+-\\s+-$`, 'm'));
    expect(table.stdout).toMatch(/Figures as of \d{4}-/);
    expect(JSON.parse(json.stdout).dlqs).toEqual([expect.objectContaining({ QueueArn: dlq.dlqArn, SourceQueueArns: [dlq.sourceQueueArn] })]);
  });

  it('peeks by name or ARN, pretty-prints JSON bodies and shows control characters as escapes', async () => {
    // Prepare: two messages failed into the DLQ through its source queue
    const dlq = await t.seedDlq(0, 'cli-peek');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.sourceQueueUrl, MessageBody: '{"orderId":42,"items":[1,2]}', MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } } }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.sourceQueueUrl, MessageBody: 'plain \u001b[2J text' }));
    for (let round = 0; round < 20; round += 1) await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));

    // Act
    const table = await runCli(['peek', dlq.dlqArn.split(':').pop()!], env);
    const json = await runCli(['peek', dlq.dlqArn, '--max', '1', '--json'], env);

    // Assess
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('2 messages of');
    expect(table.stdout).toContain(`from ${dlq.sourceQueueArn.split(':').pop()} (2)`);
    expect(table.stdout).toContain('    |   "orderId": 42,');
    expect(table.stdout).toContain('tenant (String): acme');
    expect(table.stdout).toContain('plain \\u001b[2J text');
    expect(table.stdout).not.toContain('\u001b');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).Messages).toHaveLength(1);
  });

  it('exits 1 with the API error for a queue that is no DLQ', async () => {
    // Prepare
    const dlq = await t.seedDlq(0, 'cli-notdlq');

    // Act
    const result = await runCli(['peek', dlq.sourceQueueArn.split(':').pop()!], env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a dead-letter queue.*InvalidParameterValue, HTTP 400/);
  });
});
