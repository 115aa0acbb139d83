import { randomUUID } from 'node:crypto';

import { CreateQueueCommand, type MessageAttributeValue,ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import type { SeededDlq } from '../../local/seed-dlq';
import { startTestStack, type TestStack } from '../support/local-stack-fixture';

interface PeekedEntry {
  MessageId: string;
  Body: string;
  BodyTruncated: boolean;
  SentTimestamp: number;
  ApproximateReceiveCount: number;
  SourceArn?: string;
  MessageAttributes: Record<string, { DataType: string; StringValue?: string }>;
}

const queueNameOf = (arn: string) => arn.split(':').pop()!;

/** POST /dlqs/{queueName}/peek on the local stack: a sample that loses and keeps nothing. */
describe('POST /dlqs/{queueName}/peek', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Every message id visible in the queue now: received (hidden for a minute) until an empty answer. */
  async function visibleMessageIds(queueUrl: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let round = 0; round < 200; round += 1) {
      const { Messages = [] } = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      if (Messages.length === 0) break;
      for (const message of Messages) ids.add(message.MessageId!);
    }
    return ids;
  }

  /** Sends messages to the DLQ's source queue and fails them into the DLQ, as production does. */
  async function failIntoDlq(dlq: SeededDlq, messages: Array<{ body: string; attributes?: Record<string, MessageAttributeValue> }>): Promise<void> {
    for (const message of messages) {
      await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.sourceQueueUrl, MessageBody: message.body, ...(message.attributes ? { MessageAttributes: message.attributes } : {}) }));
    }
    for (let moved = 0, round = 0; moved < messages.length && round < 200; round += 1) {
      const { Messages = [] } = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      if (Messages.length === 0) moved = messages.length;
    }
  }

  it('leaves all 300 messages of a DLQ visible after three peeks of 100', async () => {
    // Prepare
    const dlq = await t.seedDlq(300, 'peek300');
    t.sqsProxy.reset();

    // Act
    const answers = [];
    for (let peek = 0; peek < 3; peek += 1) answers.push(await t.post(`/dlqs/${queueNameOf(dlq.dlqArn)}/peek`, { MaxMessages: 100 }));

    // Assess: every answer full, and every message receivable again
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.Messages).toHaveLength(100);
      expect(new Set(answer.body.Messages.map((message: PeekedEntry) => message.MessageId)).size).toBe(100);
    }
    const first = answers[0]!.body.Messages[0] as PeekedEntry;
    expect(first.SourceArn).toBe(dlq.sourceQueueArn);
    expect(first.Body).toMatch(/^message \d+$/);
    expect(first.BodyTruncated).toBe(false);
    expect(first.SentTimestamp).toBeGreaterThan(Date.now() - 600_000);
    expect(first.ApproximateReceiveCount).toBeGreaterThanOrEqual(1);
    expect((await visibleMessageIds(dlq.dlqUrl)).size).toBe(300);
    // 3 peeks of 100: 10 receives of 10 and 10 hand-backs of 10 each, and not one delete
    expect(t.sqsProxy.count('AmazonSQS.ReceiveMessage')).toBe(30);
    expect(t.sqsProxy.count('AmazonSQS.ChangeMessageVisibilityBatch')).toBe(30);
    expect(t.sqsProxy.count('AmazonSQS.DeleteMessage') + t.sqsProxy.count('AmazonSQS.DeleteMessageBatch')).toBe(0);
  });

  it('answers 10 messages by default and emits Dead-Letter Messages Peeked, logging caller, queue and count', async () => {
    // Prepare
    const dlq = await t.seedDlq(15, 'peekdefault');
    t.eventsProxy.reset();

    // Act
    const answer = await t.post(`/dlqs/${queueNameOf(dlq.dlqArn)}/peek`, {});

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.Messages).toHaveLength(10);
    expect(Date.parse(answer.body.PeekedAt)).toBeGreaterThan(Date.now() - 60_000);
    const putEvents = t.eventsProxy.calls.filter((call) => call.body.includes('Dead-Letter Messages Peeked'));
    expect(putEvents).toHaveLength(1);
    const entry = JSON.parse(putEvents[0]!.body).Entries[0];
    expect(JSON.parse(entry.Detail)).toEqual(expect.objectContaining({ QueueArn: dlq.dlqArn, Count: 10, PeekedBy: expect.any(String) }));
    const line = t.logs.flatMap((text) => (text.startsWith('{') ? [JSON.parse(text)] : [])).find((log) => log.route === 'peek-dlq' && log.queue === queueNameOf(dlq.dlqArn));
    expect(line).toEqual(expect.objectContaining({ messages: 10, caller: expect.any(String), statusCode: 200 }));
  });

  it('cuts bodies over 8 KiB and keeps hostile bodies and attributes out of the page, the API and the logs', async () => {
    // Prepare
    const dlq = await t.seedDlq(0, 'peekhostile');
    const marker = `HOSTILE-${randomUUID()}`;
    const bodies = [
      `<script>alert("${marker}")</script><img src=x onerror=alert(1)>`,
      `${marker}-${'€'.repeat(10_000)}`,
      `${marker}\u0000\u0001\u0007\u001b[31m\r\n{"level":"ERROR","message":"forged"}`,
      `${marker}\uFFFE\uFFFF ${Buffer.from(Array.from({ length: 300 }, (_, at) => at % 256)).toString('latin1')}`,
    ];
    await failIntoDlq(
      dlq,
      bodies.map((body, at) => ({
        body,
        attributes: {
          tenant: { DataType: 'String', StringValue: `<b>${marker}</b>\uD800` },
          ['__proto__']: { DataType: 'String', StringValue: 'polluting' },
          raw: { DataType: 'Binary', BinaryValue: Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, at]) },
        },
      })),
    );

    // Act
    const answer = await t.post(`/dlqs/${queueNameOf(dlq.dlqArn)}/peek`, { MaxMessages: 10 });

    // Assess
    expect(answer.text).toMatch(/^\{"Messages"/);
    const messages = answer.body.Messages as PeekedEntry[];
    expect(messages).toHaveLength(4);
    const long = messages.find((message) => message.Body.startsWith(`${marker}-`))!;
    expect(long.BodyTruncated).toBe(true);
    expect(Buffer.byteLength(long.Body, 'utf8')).toBeLessThanOrEqual(8192);
    expect(Buffer.byteLength(long.Body, 'utf8')).toBeGreaterThan(8192 - 3);
    expect(long.Body).not.toContain('\uFFFD');
    expect(messages.map((message) => message.Body)).toContain(bodies[0]);
    expect(messages.map((message) => message.Body)).toContain(bodies[2]);
    for (const message of messages) {
      expect(message.MessageAttributes.tenant).toEqual({ DataType: 'String', StringValue: expect.stringContaining(`<b>${marker}</b>`) });
      expect(message.MessageAttributes.raw).toEqual({ DataType: 'Binary' });
      // an attribute named __proto__ is dropped (the SDK cannot hand it over), never merged into another
    }
    expect(t.logs.join('\n')).not.toContain(marker);
    expect((await visibleMessageIds(dlq.dlqUrl)).size).toBe(4);
  });

  it('refuses while a redrive of the DLQ is active, without receiving', async () => {
    // Prepare
    const task = await t.runningTask('peekactive');

    // Act
    const answer = await t.post(`/dlqs/${queueNameOf(task.dlqArn)}/peek`, {});

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toMatch(/InvalidParameterValue$/);
    expect(answer.body.message).toContain(task.taskId);
    expect(t.sqsProxy.count('AmazonSQS.ReceiveMessage')).toBe(0);
  });

  it('answers ResourceNotFoundException for an unknown queue and InvalidParameterValue for a queue that is no DLQ', async () => {
    // Prepare
    const name = `peek-plain-${randomUUID().slice(0, 8)}`;
    await t.sqs.send(new CreateQueueCommand({ QueueName: name }));

    // Act
    const unknown = await t.post(`/dlqs/no-such-queue-${randomUUID().slice(0, 8)}/peek`, {});
    const notDlq = await t.post(`/dlqs/${name}/peek`, {});
    const badName = await t.post(`/dlqs/${encodeURIComponent('<script>')}/peek`, {});
    const badMax = await t.post(`/dlqs/${name}/peek`, { MaxMessages: 101 });
    const unknownField = await t.post(`/dlqs/${name}/peek`, { MaxMessage: 5 });

    // Assess
    expect(unknown.body.__type).toMatch(/ResourceNotFoundException$/);
    expect(notDlq.status).toBe(400);
    expect(notDlq.body.message).toMatch(/is not a dead-letter queue/);
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/must name a queue/);
    expect(badMax.body.message).toMatch(/MaxMessages must be an integer from 1 to 100/);
    expect(unknownField.body.message).toMatch(/does not take "MaxMessage"/);
  });
});
