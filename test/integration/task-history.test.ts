import { eventually, useTestStack } from '../support/local-stack-fixture';

describe('GET /tasks and /tasks/{taskId}', () => {
  const t = useTestStack();

  it('pages a queue history newest first with nextToken, without gaps or repeats', async () => {
    // Prepare: five tasks on one queue, each cancelled so the next can start
    const dlq = await t.seedDlq(50, 'history');
    const started: string[] = [];
    for (let at = 0; at < 5; at += 1) {
      const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: `run ${at}` });
      expect(answer.status).toBe(200);
      started.push(JSON.parse(Buffer.from(answer.body.TaskHandle, 'base64').toString()).taskId);
      await t.post('/CancelMessageMoveTask', { TaskHandle: answer.body.TaskHandle });
      // the emulator finishes a cancel on its next tick; SQS refuses a new task until then
      await waitForSqsIdle(dlq.dlqArn);
    }
    // Act
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ sourceArn: dlq.dlqArn, limit: '2', ...(nextToken ? { nextToken } : {}) });
      const page = await t.get(`/tasks?${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.tasks.map((task: { taskId: string }) => task.taskId));
      nextToken = page.body.nextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    // Assess
    expect(seen).toEqual([...started].reverse());
  });

  it('filters by status', async () => {
    const dlq = await t.seedDlq(10, 'status');
    const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const running = await t.get(`/tasks?${new URLSearchParams({ sourceArn: dlq.dlqArn, status: 'RUNNING' })}`);
    const cancelled = await t.get(`/tasks?${new URLSearchParams({ sourceArn: dlq.dlqArn, status: 'CANCELLED' })}`);
    const everywhere = await t.get('/tasks?status=RUNNING&limit=100');
    expect(running.body.tasks).toHaveLength(1);
    expect(running.body.tasks[0].TaskHandle).toBe(answer.body.TaskHandle);
    expect(cancelled.body.tasks).toHaveLength(0);
    expect(everywhere.body.tasks.map((task: { SourceArn: string }) => task.SourceArn)).toContain(dlq.dlqArn);
  });

  it('answers one task, or ResourceNotFoundException', async () => {
    const missing = await t.get('/tasks/00000000-0000-0000-0000-000000000000');
    const hostile = await t.get('/tasks/%3Cscript%3E');
    expect(missing.status).toBe(400);
    expect(missing.body.__type).toBe('com.amazonaws.sqs#ResourceNotFoundException');
    expect(hostile.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
  });

  it('refuses a tampered nextToken with a clear error', async () => {
    const forged = Buffer.from(JSON.stringify({ i: 'by-source', k: { taskId: { S: 'x' } } })).toString('base64url');
    const answer = await t.get(`/tasks?nextToken=${forged}`);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/nextToken must be the nextToken of a previous GET \/tasks answer/);
  });

  it('refuses a nextToken from other filters instead of failing', async () => {
    // Prepare: a real token for one queue's history
    const first = await t.seedDlq(10, 'token-a');
    const second = await t.seedDlq(10, 'token-b');
    for (const dlq of [first, second]) await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const page = await t.get(`/tasks?${new URLSearchParams({ status: 'RUNNING', limit: '1' })}`);
    expect(page.body.nextToken).toEqual(expect.any(String));
    // Act: reuse it with another status, and a by-queue token with another queue
    const otherStatus = await t.get(`/tasks?${new URLSearchParams({ status: 'FAILED', nextToken: page.body.nextToken })}`);
    const byQueue = await t.get(`/tasks?${new URLSearchParams({ sourceArn: first.dlqArn, limit: '1' })}`);
    expect(byQueue.body.nextToken).toEqual(expect.any(String));
    const otherQueue = await t.get(`/tasks?${new URLSearchParams({ sourceArn: second.dlqArn, nextToken: byQueue.body.nextToken })}`);
    // Assess
    for (const answer of [otherStatus, otherQueue]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ __type: 'com.amazonaws.sqs#InvalidParameterValue', message: expect.stringMatching(/same filters/) });
    }
  });

  it('reports health when the table and SQS answer', async () => {
    const answer = await t.get('/health');
    expect(answer).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  async function waitForSqsIdle(dlqArn: string): Promise<void> {
    await eventually(() => t.post('/ListMessageMoveTasks', { SourceArn: dlqArn }), (listed) => listed.body.Results?.[0]?.Status === 'CANCELLED');
  }
});
