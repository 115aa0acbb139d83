import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

import { RECEIVED_MESSAGES_DETAIL_TYPE } from '../../lambda/domain/dlq/arrival-event';
import { depth } from '../../local/seed-dlq';
import { eventually, useTestStack } from '../support/local-stack-fixture';

interface PutEventsEntry {
  DetailType: string;
  Resources?: string[];
  Detail: string;
}

/** The inventory job on the local stack: arrivals alerted once per run, and each run a point of history. */
describe('new dead letters', () => {
  const t = useTestStack();

  function alertsFor(dlqArn: string): Array<Record<string, unknown>> {
    return t.eventsProxy.calls
      .flatMap((call) => (JSON.parse(call.body) as { Entries?: PutEventsEntry[] }).Entries ?? [])
      .filter((entry) => entry.DetailType === RECEIVED_MESSAGES_DETAIL_TYPE && entry.Resources?.includes(dlqArn))
      .map((entry) => JSON.parse(entry.Detail) as Record<string, unknown>);
  }

  it('emits one Received Messages event per run that finds arrivals, and the history shows the rise', async () => {
    // Prepare: a DLQ with 3 messages, known to one run
    const seeded = await t.seedDlq(3, 'arrivals');
    const queueName = seeded.dlqArn.split(':').pop()!;
    await t.stack.refreshInventory();
    t.eventsProxy.reset();

    // Act: 4 more dead letters arrive (the way a redrive policy moves them), then two runs
    await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: seeded.sourceQueueUrl, Entries: Array.from({ length: 4 }, (_, at) => ({ Id: String(at), MessageBody: `late ${at}` })) }));
    for (let round = 0; round < 100 && (await depth(t.sqs, seeded.dlqUrl)) < 7; round += 1) {
      await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: seeded.sourceQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    }
    const rise = await t.stack.refreshInventory();
    const afterRise = alertsFor(seeded.dlqArn);
    const quiet = await t.stack.refreshInventory();
    const history = await t.get(`/dlqs/${queueName}/history?hours=1`);

    // Assess
    expect(rise).toMatchObject({ newMessages: 4, dlqsWithNewMessages: 1, alertsSent: 1 });
    expect(afterRise).toEqual([{ QueueArn: seeded.dlqArn, NewMessages: 4, ApproximateNumberOfMessages: 7, asOf: expect.any(String) }]);
    expect(quiet).toMatchObject({ newMessages: 0, alertsSent: 0 });
    expect(alertsFor(seeded.dlqArn)).toHaveLength(1);
    expect(history.status).toBe(200);
    expect(history.body.points.map((point: Record<string, unknown>) => [point.ApproximateNumberOfMessages, point.NewMessages])).toEqual([[3, 0], [7, 4], [7, 0]]);
    expect(history.body.points[1].at).toBe(String(afterRise[0]!.asOf).replace(/\.\d+Z$/, 'Z'));
  });

  it('raises no arrival for an archive without Delete: its messages stay in the DLQ, only copied', async () => {
    // Prepare: a DLQ of 6 known to one run, then archived whole without Delete
    const seeded = await t.seedDlq(6, 'archived');
    const queueName = seeded.dlqArn.split(':').pop()!;
    await t.stack.refreshInventory();
    t.eventsProxy.reset();
    const started = await t.post(`/dlqs/${queueName}/archive`, { Reason: 'keep a copy', Delete: false });
    expect(started.status).toBe(200);
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle as string, 'base64').toString()).taskId as string;
    const done = await eventually(async () => {
      await t.reconcile();
      return (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>;
    }, (task) => task.Status === 'COMPLETED' || task.Status === 'FAILED', 20_000);

    // Act
    await t.stack.refreshInventory();
    const history = await t.get(`/dlqs/${queueName}/history?hours=1`);

    // Assess
    expect(done).toMatchObject({ Status: 'COMPLETED', NumberOfMessagesArchived: 6 });
    expect(await depth(t.sqs, seeded.dlqUrl)).toBe(6);
    expect(alertsFor(seeded.dlqArn)).toEqual([]);
    expect(history.body.points.map((point: Record<string, unknown>) => point.NewMessages)).toEqual([0, 0]);
  });

  it('refuses a window outside 1..168 hours in the API\'s error format', async () => {
    // Act
    const answer = await t.get('/dlqs/orders-dlq/history?hours=169');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body.__type).toMatch(/InvalidParameterValue$/);
    expect(answer.body.message).toBe('hours must be an integer from 1 to 168, got "169"');
  });
});
