import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';

import { eventually, useTestStack } from '../support/local-stack-fixture';
import { receiveAllVisible, seedDlqWith } from '../support/selective-dlq';

const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];

/** The controller's own mover against a consumer whose fix is not deployed yet: it fails every delivery at once. */
describe('selective redrive to a consumer that fails every delivery', () => {
  const t = useTestStack();

  it('delivers each message once per task, counts exactly what it delivered, and completes', async () => {
    // Prepare: 40 messages in a DLQ whose source queue sends a message back after one receive (maxReceiveCount 1)
    const dlq = await seedDlqWith(t.sqs, 'sel-bounce', Array.from({ length: 40 }, (_, n) => ({ body: `order ${n}` })));
    // the consumer: receives with visibility 0 and never deletes, so each delivery falls back into the DLQ at once
    const deliveries = new Map<string, Set<string>>();
    let consuming = true;
    const consumer = (async () => {
      while (consuming) {
        const output = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
        for (const message of output.Messages ?? []) note(deliveries, message);
        if (!output.Messages?.length) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    // Act: 20 a second, so the task runs about two seconds while the consumer fails what it has delivered
    // (SentAfter 0 selects every message: a selective task, the controller's own mover)
    let record: Record<string, unknown>;
    let bouncedDuringTask: number;
    try {
      const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, SentAfter: 0, MaxNumberOfMessagesPerSecond: 20 });
      expect(started.status).toBe(200);
      const taskId = JSON.parse(Buffer.from(started.body.TaskHandle as string, 'base64').toString()).taskId as string;
      record = await eventually(async () => (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>, (task) => FINAL.includes(task.Status as string), 30_000);
      bouncedDuringTask = deliveries.size;
    } finally {
      consuming = false;
      await consumer;
    }
    // Assess: every body delivered, each as exactly one sent message (a second move would be a second MessageId)
    expect(record).toMatchObject({ Status: 'COMPLETED', Kind: 'selective', ApproximateNumberOfMessagesMoved: 40, NumberOfMessagesSkipped: 0, NumberOfMessagesUnroutable: 0 });
    expect(bouncedDuringTask).toBeGreaterThan(0);
    expect(deliveries.size).toBe(40);
    expect([...deliveries.entries()].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    // the bounced messages wait in the DLQ for the next decision, visible
    const back = await eventually(() => receiveAllVisible(t.sqs, dlq.dlqUrl), (messages) => messages.length === 40, 10_000);
    expect(new Set(back.map((message) => message.Body)).size).toBe(40);
  });
});

/** Each body, by the MessageIds it was delivered as (the emulator may answer one message twice in a visibility-0 receive). */
function note(deliveries: Map<string, Set<string>>, message: Message): void {
  const ids = deliveries.get(message.Body!) ?? new Set<string>();
  ids.add(message.MessageId!);
  deliveries.set(message.Body!, ids);
}
