import { randomUUID } from 'node:crypto';

import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

import { startTestStack, type TestStack } from '../support/local-stack-fixture';

interface DlqEntry {
  QueueArn: string;
  QueueName: string;
  ApproximateNumberOfMessages: number;
  ApproximateNumberOfMessagesNotVisible: number;
  SourceQueueArns: string[];
  OldestMessageAgeSeconds?: number;
  ActiveTask?: { taskId: string; Kind: string; Status: string; ApproximateNumberOfMessagesMoved: number };
}

/** GET /dlqs on the local stack: the inventory job's figures, paged, with no SQS call while the caller waits. */
describe('GET /dlqs', () => {
  let t: TestStack;
  const run = randomUUID().slice(0, 6);
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function createQueue(name: string, deadLetterTargetArn?: string): Promise<{ url: string; arn: string }> {
    const url = (
      await t.sqs.send(new CreateQueueCommand({ QueueName: name, ...(deadLetterTargetArn ? { Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 3 }) } } : {}) }))
    ).QueueUrl!;
    const arn = (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn };
  }

  async function allPages(query: string): Promise<DlqEntry[]> {
    const seen: DlqEntry[] = [];
    let token: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const answer = await t.get(`/dlqs?${query}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...(answer.body.dlqs as DlqEntry[]));
      token = answer.body.nextToken;
      if (!token) return seen;
    }
    throw new Error('paging did not end');
  }

  it('answers 503 ServiceUnavailable until the inventory job has run once', async () => {
    // Act
    const answer = await t.get('/dlqs');

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.body.__type).toMatch(/ServiceUnavailable$/);
    expect(answer.body.message).toMatch(/inventory has not been built yet/);
  });

  it('lists each DLQ with its source queues and counts, and no queue that is no DLQ', async () => {
    // Prepare: one DLQ with two sources, one with messages (filled the way production fills it)
    const seeded = await t.seedDlq(7, `inv-${run}`);
    const second = await createQueue(`inv-${run}-second-source`, seeded.dlqArn);
    const plain = await createQueue(`inv-${run}-plain`);

    // Act
    const summary = await t.stack.refreshInventory();
    const entries = await allPages(`prefix=inv-${run}`);

    // Assess
    expect(summary.saved).toBe(true);
    expect(entries).toEqual([
      {
        QueueArn: seeded.dlqArn,
        QueueName: seeded.dlqArn.split(':').pop(),
        ApproximateNumberOfMessages: 7,
        ApproximateNumberOfMessagesNotVisible: 0,
        SourceQueueArns: [seeded.sourceQueueArn, second.arn].sort(),
        Origin: 'sqs',
        Targets: [],
      },
    ]);
    expect(entries.map((entry) => entry.QueueArn)).not.toContain(plain.arn);
    expect(entries.map((entry) => entry.QueueArn)).not.toContain(seeded.sourceQueueArn);
  });

  it('makes no SQS call while the caller waits', async () => {
    // Prepare
    await t.stack.refreshInventory();
    t.sqsProxy.reset();

    // Act
    const answer = await t.get('/dlqs?limit=1000');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.dlqs.length).toBeGreaterThan(0);
    expect(Date.parse(answer.body.asOf)).toBeGreaterThan(Date.now() - 60_000);
    expect(t.sqsProxy.calls).toEqual([]);
  });

  it('pages through 150 DLQs in every order, each exactly once, most messages first by default', async () => {
    // Prepare: 150 DLQs, each named by one source; DLQ i holds i % 4 messages (sent straight in: counts only)
    const prefix = `page-${run}`;
    const created: string[] = [];
    for (let start = 0; start < 150; start += 25) {
      await Promise.all(
        Array.from({ length: 25 }, async (_, offset) => {
          const at = start + offset;
          const dlq = await createQueue(`${prefix}-${String(at).padStart(3, '0')}-dlq`);
          await createQueue(`src-${prefix}-${String(at).padStart(3, '0')}`, dlq.arn);
          if (at % 4 > 0) {
            await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq.url, Entries: Array.from({ length: at % 4 }, (__, n) => ({ Id: String(n), MessageBody: 'x' })) }));
          }
          created.push(dlq.arn);
        }),
      );
    }
    await t.stack.refreshInventory();

    // Act
    const byMessages = await allPages(`prefix=${prefix}&limit=7`);
    const byName = await allPages(`prefix=${prefix}&limit=40&sort=name`);
    const byAge = await allPages(`prefix=${prefix}&limit=150&sort=age`);

    // Assess
    for (const listing of [byMessages, byName, byAge]) {
      expect(listing.map((entry) => entry.QueueArn).sort()).toEqual([...created].sort());
    }
    const counts = byMessages.map((entry) => entry.ApproximateNumberOfMessages);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(counts[0]).toBe(3);
    const names = byName.map((entry) => entry.QueueName);
    expect(names).toEqual([...names].sort());
  });

  it('shows the active redrive of a DLQ from the task table', async () => {
    // Prepare
    const task = await t.runningTask(`active-${run}`);
    await t.stack.refreshInventory();

    // Act
    const entries = await allPages(`prefix=${task.dlqArn.split(':').pop()}`);

    // Assess
    expect(entries).toHaveLength(1);
    expect(entries[0]!.ActiveTask).toEqual(expect.objectContaining({ taskId: task.taskId, Kind: 'native', Status: 'RUNNING' }));
  });

  it.each([
    ['limit=0', /limit must be an integer from 1 to 1000/],
    ['limit=1001', /limit must be an integer from 1 to 1000/],
    ['sort=size', /sort must be one of messages, name, age/],
    ['prefix=%3Cscript%3E', /prefix must be the start of a queue name/],
    ['nextToken=abc', /nextToken must be the nextToken of a previous GET \/dlqs answer/],
    ['sourceArn=x', /GET \/dlqs does not take "sourceArn"/],
  ])('refuses %s with a 400 naming the parameter', async (query, message) => {
    // Act
    const answer = await t.get(`/dlqs?${query}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toMatch(/InvalidParameterValue$/);
    expect(answer.body.message).toMatch(message);
  });

  it('refuses a nextToken from another sort', async () => {
    // Prepare
    const first = await t.get('/dlqs?limit=1&sort=name');
    expect(first.body.nextToken).toBeDefined();

    // Act
    const answer = await t.get(`/dlqs?limit=1&sort=messages&nextToken=${encodeURIComponent(first.body.nextToken)}`);

    // Assess
    expect(answer.status).toBe(400);
  });
});
