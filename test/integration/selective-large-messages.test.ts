// The selective mover with messages near SQS's size limits, on the local stack.
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { count, receiveAllVisible, seedDlqWith } from '../support/selective-dlq';

const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];

describe('selective redrive of large messages', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('moves ten 150 KB messages, whose one batch would be over SQS\'s 1 MiB batch limit', async () => {
    // Prepare: 10 messages of 150 KB in a DLQ, each with its source queue
    const dlq = await seedDlqWith(t.sqs, 'big', []);
    for (let n = 0; n < 10; n += 1) await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.sourceUrl, MessageBody: `${n}`.padEnd(150_000, 'x') }));
    await eventually(
      async () => {
        await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
        return count(t.sqs, dlq.dlqUrl);
      },
      (inDlq) => inDlq === 10,
      20_000,
    );
    // Act: a selective task (a canary of 10)
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxMessages: 10 });
    expect(started.status).toBe(200);
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle as string, 'base64').toString()).taskId as string;
    const record = await eventually(async () => (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>, (r) => FINAL.includes(r.Status as string), 30_000);
    // Assess
    expect({ Status: record.Status, FailureReason: record.FailureReason, Moved: record.ApproximateNumberOfMessagesMoved }).toEqual({ Status: 'COMPLETED', FailureReason: undefined, Moved: 10 });
    const moved = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    expect(moved.map((message) => message.Body!.length)).toEqual(Array.from({ length: 10 }, () => 150_000));
  });
});
