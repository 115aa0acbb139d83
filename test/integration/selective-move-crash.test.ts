import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { receiveAllVisible, seedDlqWith } from '../support/selective-dlq';

const SEND = 'AmazonSQS.SendMessageBatch';
const DELETE = 'AmazonSQS.DeleteMessageBatch';
const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];
const messages = Array.from({ length: 30 }, (_, index) => ({ body: `message ${index + 1}`, attributes: { tenant: { DataType: 'String', StringValue: 'a' } } }));

/**
 * The mover's process killed mid-batch (a crash, or Lambda's timeout). Its lease lapses, the
 * reconciler invokes a fresh mover, and the task ends with nothing lost: conservation of messages.
 */
describe('the selective mover killed mid-batch', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.sqsProxy.reset());

  async function start(dlqArn: string): Promise<string> {
    const answer = await t.post('/StartMessageMoveTask', { SourceArn: dlqArn, FilterPolicy: { tenant: ['a'] } });
    expect(answer.status).toBe(200);
    return JSON.parse(Buffer.from(answer.body.TaskHandle as string, 'base64').toString()).taskId as string;
  }

  /** the reconciler's schedule, until the task is final */
  const settled = (taskId: string) =>
    eventually(async () => {
      await t.reconcile();
      return (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>;
    }, (record) => FINAL.includes(record.Status as string), 60_000);

  it('killed between send and delete: resumed from its record, every message moved, each in-flight batch at most twice, counted once', async () => {
    // Prepare: no delete answers; the process dies while its loops wait
    const dlq = await seedDlqWith(t.sqs, 'crash-delete', messages);
    t.sqsProxy.inject({ match: DELETE, times: 1000, holdWhile: new Promise<void>(() => undefined) });
    const taskId = await start(dlq.dlqArn);
    await eventually(async () => t.sqsProxy.count(DELETE), (calls) => calls >= 1);
    // Act
    t.stack.mover.kill();
    t.sqsProxy.reset();
    const record = await settled(taskId);
    // Assess: the count is exact (each message once), though the destination holds the resent batches twice
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 30 });
    const moved = (await receiveAllVisible(t.sqs, dlq.sourceUrl)).map((message) => message.Body);
    expect(new Set(moved)).toEqual(new Set(messages.map((message) => message.body)));
    // each loop's batch in flight at the kill (sent, not yet deleted) is sent again: twice at most, never lost
    const copies = new Map<string | undefined, number>();
    for (const body of moved) copies.set(body, (copies.get(body) ?? 0) + 1);
    expect(Math.max(...copies.values())).toBeLessThanOrEqual(2);
    expect(moved.length).toBeGreaterThan(30);
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toEqual([]);
  });

  it('killed between receive and send: the batch is visible again and moved once, none lost or doubled', async () => {
    // Prepare: no send answers
    const dlq = await seedDlqWith(t.sqs, 'crash-send', messages);
    t.sqsProxy.inject({ match: SEND, times: 1000, holdWhile: new Promise<void>(() => undefined) });
    const taskId = await start(dlq.dlqArn);
    await eventually(async () => t.sqsProxy.count(SEND), (calls) => calls >= 1);
    // Act: what the killed process had already written (another loop's send) stays unsent too
    t.stack.mover.kill();
    t.sqsProxy.holdOnOpenConnections(SEND);
    t.sqsProxy.reset();
    const record = await settled(taskId);
    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 30 });
    const moved = (await receiveAllVisible(t.sqs, dlq.sourceUrl)).map((message) => message.Body).sort();
    expect(moved).toEqual(messages.map((message) => message.body).sort());
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toEqual([]);
  });
});
