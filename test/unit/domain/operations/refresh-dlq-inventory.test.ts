import type { QueueAttributes } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { type DlqInventory, REMOVALS_KEPT_HOURS } from '../../../../lambda/domain/dlq/dlq-inventory';
import type { InventoryChange } from '../../../../lambda/domain/dlq/inventory-event';
import { refreshDlqInventory } from '../../../../lambda/domain/operations/refresh-dlq-inventory';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { SqsError } from '../../../../lambda/domain/sqs-error';

const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

describe('refreshDlqInventory', () => {
  it('stores every DLQ once with its age, asking CloudWatch once for all DLQs, and drops the age of an empty DLQ', async () => {
    // Prepare
    const queues: Record<string, QueueAttributes> = {
      a: { queueArn: arn('a-dlq'), queueName: 'a-dlq', approximateNumberOfMessages: 4, approximateNumberOfMessagesNotVisible: 0 },
      b: { queueArn: arn('b-dlq'), queueName: 'b-dlq', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0 },
      s1: { queueArn: arn('s1'), queueName: 's1', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, deadLetterTargetArn: arn('a-dlq') },
      s2: { queueArn: arn('s2'), queueName: 's2', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, deadLetterTargetArn: arn('b-dlq') },
    };
    const ageCalls: string[][] = [];
    let saved: DlqInventory | undefined;

    // Act
    const summary = await refreshDlqInventory({
      queues: {
        listQueueUrls: async () => ({ queueUrls: [...Object.keys(queues), 'gone'], truncated: false }),
        readAttributes: async (url) => queues[url],
      },
      ages: {
        oldestMessageAges: async (names) => {
          ageCalls.push([...names]);
          return new Map([['a-dlq', 120], ['b-dlq', 30]]);
        },
      },
      inventory: { save: async (inventory) => ((saved = inventory), true), load: async () => saved },
      scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('*')] }),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    });

    // Assess
    expect(summary).toEqual({ queues: 4, dlqs: 2, withAge: 1, unreadable: 0, truncated: false, saved: true, eventsSent: 0, newMessages: 0, dlqsWithNewMessages: 0, historyPoints: 0, alertsSent: 0, dlqsMetered: 0 });
    expect(ageCalls).toEqual([['a-dlq', 'b-dlq']]);
    expect(saved?.asOf).toBe('2026-01-01T00:00:00.000Z');
    expect(saved?.dlqs.find((dlq) => dlq.queueName === 'a-dlq')?.oldestMessageAgeSeconds).toBe(120);
    expect(saved?.dlqs.find((dlq) => dlq.queueName === 'b-dlq')).not.toHaveProperty('oldestMessageAgeSeconds');
  });

  const inventoryOf = (readAttributes: (url: string) => Promise<QueueAttributes | undefined>) => {
    let saved: DlqInventory | undefined;
    const run = refreshDlqInventory({
      queues: { listQueueUrls: async () => ({ queueUrls: ['dlq', 'src', 'locked'], truncated: false }), readAttributes },
      ages: { oldestMessageAges: async () => new Map() },
      inventory: { save: async (inventory) => ((saved = inventory), true), load: async () => saved },
      scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('orders*')] }),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    });
    return { run, saved: () => saved };
  };
  const orders: Record<string, QueueAttributes> = {
    dlq: { queueArn: arn('orders-dlq'), queueName: 'orders-dlq', approximateNumberOfMessages: 4, approximateNumberOfMessagesNotVisible: 0 },
    src: { queueArn: arn('orders'), queueName: 'orders', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, deadLetterTargetArn: arn('orders-dlq') },
  };

  it('stores the DLQs it could read when one queue of the account refuses GetQueueAttributes for good, and counts it', async () => {
    // Prepare: another team's queue whose resource policy denies us
    const { run, saved } = inventoryOf(async (url) => {
      if (url === 'locked') throw new SqsError('AccessDenied', 'Access to the resource https://sqs.us-east-1.amazonaws.com/123456789012/locked is denied.', 400);
      return orders[url];
    });
    // Act / Assess
    await expect(run).resolves.toMatchObject({ queues: 2, dlqs: 1, unreadable: 1, saved: true });
    expect(saved()!.dlqs.map((dlq) => dlq.queueName)).toEqual(['orders-dlq']);
  });

  it('fails the run, storing nothing, when SQS throttles or fails (the next run reads again)', async () => {
    // Prepare
    const { run, saved } = inventoryOf(async (url) => {
      if (url === 'locked') throw new SqsError('RequestThrottled', 'Rate exceeded', 400);
      return orders[url];
    });
    // Act / Assess
    await expect(run).rejects.toThrow(/Rate exceeded/);
    expect(saved()).toBeUndefined();
  });

  it("sends the run's changes after saving it, and reports a failed send instead of throwing", async () => {
    // Prepare: the previous run (same hour) saw a-dlq with 1 message and gone-dlq
    const queues: Record<string, QueueAttributes> = {
      a: { queueArn: arn('a-dlq'), queueName: 'a-dlq', approximateNumberOfMessages: 4, approximateNumberOfMessagesNotVisible: 0 },
      s: { queueArn: arn('s'), queueName: 's', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, deadLetterTargetArn: arn('a-dlq') },
    };
    let held: DlqInventory | undefined = {
      asOf: '2026-01-01T00:00:00.000Z',
      dlqs: [
        { queueArn: arn('a-dlq'), queueName: 'a-dlq', approximateNumberOfMessages: 1, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [arn('s')], origin: 'sqs', targets: [] },
        { queueArn: arn('gone-dlq'), queueName: 'gone-dlq', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'sqs', targets: [] },
      ],
    };
    const sent: InventoryChange[] = [];
    const deps = (fail: boolean) => ({
      queues: { listQueueUrls: async () => ({ queueUrls: Object.keys(queues), truncated: false }), readAttributes: async (url: string) => queues[url] },
      ages: { oldestMessageAges: async () => new Map<string, number>() },
      inventory: { save: async (inventory: DlqInventory) => ((held = inventory), true), load: async () => held },
      scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('*')] }),
      clock: { now: () => new Date('2026-01-01T00:01:00Z') },
      changes: {
        publishInventoryChange: async (change: InventoryChange) => {
          if (fail) throw new Error('bus unavailable');
          sent.push(change);
        },
      },
    });

    // Act
    const first = await refreshDlqInventory(deps(false));
    const failed = await refreshDlqInventory(deps(true));

    // Assess
    expect(first).toMatchObject({ saved: true, eventsSent: 1 });
    expect(sent).toEqual([{ asOf: '2026-01-01T00:01:00.000Z', complete: false, dlqs: [expect.objectContaining({ queueName: 'a-dlq', approximateNumberOfMessages: 4 })], removedQueueArns: [arn('gone-dlq')], totals: { deadLetterQueues: 1, approximateNumberOfMessages: 4, approximateNumberOfMessagesNotVisible: 0 } }]);
    expect(failed).toMatchObject({ saved: true, eventsSent: 0, eventsError: 'bus unavailable' });
  });

  it('sends a removal whose event was lost again with the next complete run, and keeps it no longer than REMOVALS_KEPT_HOURS', async () => {
    // Prepare: b-dlq is deleted between the first and second runs; the second run's send fails
    const dlqQueue = (name: string): QueueAttributes => ({ queueArn: arn(name), queueName: name, approximateNumberOfMessages: 1, approximateNumberOfMessagesNotVisible: 0 });
    const source = (name: string, dlqName: string): QueueAttributes => ({ ...dlqQueue(name), deadLetterTargetArn: arn(dlqName) });
    let queues: QueueAttributes[] = [dlqQueue('a-dlq'), source('a', 'a-dlq'), dlqQueue('b-dlq'), source('b', 'b-dlq')];
    let held: DlqInventory | undefined;
    let now = '2026-01-01T10:00:00Z';
    let failing = false;
    const sent: InventoryChange[] = [];
    const deps = {
      queues: { listQueueUrls: async () => ({ queueUrls: queues.map((queue) => queue.queueName), truncated: false }), readAttributes: async (url: string) => queues.find((queue) => queue.queueName === url) },
      ages: { oldestMessageAges: async () => new Map<string, number>() },
      inventory: { save: async (inventory: DlqInventory) => ((held = inventory), true), load: async () => held },
      scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('*')] }),
      clock: { now: () => new Date(now) },
      changes: {
        publishInventoryChange: async (change: InventoryChange) => {
          if (failing) throw new Error('bus unavailable');
          sent.push(change);
        },
      },
    };
    const runAt = async (at: string, options: { failing?: boolean } = {}) => {
      now = at;
      failing = options.failing ?? false;
      sent.length = 0;
      await refreshDlqInventory(deps);
      return sent.flatMap((change) => change.removedQueueArns);
    };
    await runAt('2026-01-01T10:00:00Z');
    queues = queues.filter((queue) => !queue.queueName.startsWith('b'));

    // Act
    await runAt('2026-01-01T10:01:00Z', { failing: true });
    const sameHour = await runAt('2026-01-01T10:02:00Z');
    const nextHour = await runAt('2026-01-01T11:00:00Z');
    const dayLater = await runAt('2026-01-02T11:00:00Z');
    const pastKept = await runAt(`2026-01-02T${String(11 + REMOVALS_KEPT_HOURS - 24).padStart(2, '0')}:00:01Z`);

    // Assess
    expect(sameHour).toEqual([]);
    expect(nextHour).toEqual([arn('b-dlq')]);
    expect(dayLater).toEqual([arn('b-dlq')]);
    expect(pastKept).toEqual([]);
  });
});

describe('refreshDlqInventory, dating the oldest message', () => {
  it('samples a DLQ\'s SentTimestamps once, keeps the oldest across runs, and samples again when messages arrive', async () => {
    // Prepare
    const attributes: Record<string, QueueAttributes> = {
      'https://sqs/123456789012/d-dlq': { queueArn: arn('d-dlq'), queueName: 'd-dlq', approximateNumberOfMessages: 3, approximateNumberOfMessagesNotVisible: 0, retentionSeconds: 3600 },
      'https://sqs/123456789012/d': { queueArn: arn('d'), queueName: 'd', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, deadLetterTargetArn: arn('d-dlq') },
    };
    const sent = Date.parse('2026-01-01T00:00:00Z') - 600_000;
    const samples: string[] = [];
    let saved: DlqInventory | undefined;
    const run = () => refreshDlqInventory({
      queues: { listQueueUrls: async () => ({ queueUrls: Object.keys(attributes), truncated: false }), readAttributes: async (url) => attributes[url] },
      ages: { oldestMessageAges: async () => new Map() },
      inventory: { save: async (inventory) => ((saved = inventory), true), load: async () => saved },
      scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('*')] }),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      sentTimestamps: { oldestSentTimestamp: async (url) => (samples.push(url), samples.length === 1 ? sent : sent + 60_000) },
    });

    // Act
    const first = await run();
    const second = await run();
    attributes['https://sqs/123456789012/d-dlq'] = { ...attributes['https://sqs/123456789012/d-dlq']!, approximateNumberOfMessages: 4 };
    const third = await run();

    // Assess: the newer sample does not replace the older message seen
    expect([first.sampled, second.sampled, third.sampled]).toEqual([1, 0, 1]);
    expect(samples).toEqual(['https://sqs/123456789012/d-dlq', 'https://sqs/123456789012/d-dlq']);
    const entry = saved?.dlqs.find((dlq) => dlq.queueName === 'd-dlq');
    expect(entry?.retentionSeconds).toBe(3600);
    expect(entry?.oldestMessageExpiresAt).toBe(new Date(sent + 3_600_000).toISOString());
    // when it was sampled: archiveBeforeExpiry trusts a kept timestamp only up to an archive that followed the sample
    expect(entry?.sentTimestampsSampledAt).toBe('2026-01-01T00:00:00.000Z');
  });
});
