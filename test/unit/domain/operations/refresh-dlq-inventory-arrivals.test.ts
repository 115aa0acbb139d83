import { NO_METRICS } from '../../../../lambda/domain/controller-metrics';
import type { QueueAttributes } from '../../../../lambda/domain/dlq/dead-letter-queue';
import type { DlqInventory } from '../../../../lambda/domain/dlq/dlq-inventory';
import { refreshDlqInventory } from '../../../../lambda/domain/operations/refresh-dlq-inventory';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { TaskStatus } from '../../../../lambda/domain/task-status';

const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

/** One inventory run over `orders` (a source) and `orders-dlq` holding `depth`, with the task table's `tasks`. */
function run(depth: number, tasks: TaskRecord[], stored: { inventory?: DlqInventory }, at: string, options: { inFlight?: number; loaded?: DlqInventory } = {}) {
  const queues: QueueAttributes[] = [
    { queueArn: arn('orders'), queueName: 'orders', approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0, deadLetterTargetArn: arn('orders-dlq') },
    { queueArn: arn('orders-dlq'), queueName: 'orders-dlq', approximateNumberOfMessages: depth, approximateNumberOfMessagesNotVisible: options.inFlight ?? 0 },
  ];
  const alerts: unknown[] = [];
  const history: unknown[] = [];
  const totals: unknown[] = [];
  const summary = refreshDlqInventory({
    queues: { listQueueUrls: async () => ({ queueUrls: queues.map((each) => each.queueName), truncated: false }), readAttributes: async (url) => queues.find((each) => each.queueName === url) },
    ages: { oldestMessageAges: async () => new Map() },
    // the store's condition: saved only over the inventory this run loaded
    inventory: {
      save: async (inventory, loaded) => (stored.inventory?.asOf !== loaded?.asOf ? false : ((stored.inventory = inventory), true)),
      load: async () => options.loaded ?? stored.inventory,
    },
    history: { record: async (_asOf, points) => void history.push(...points) },
    metrics: { ...NO_METRICS, dlqTotals: (figures) => void totals.push(figures) },
    scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('*')] }),
    clock: { now: () => new Date(at) },
    tasks: {
      listActive: async () => tasks.filter((each) => each.status === TaskStatus.RUNNING),
      createdSince: async (since) => tasks.filter((each) => each.createdAt >= since),
      get: async (taskId) => tasks.find((each) => each.taskId === taskId),
    },
    alerts: { publishActivities: async (events) => (alerts.push(...events), { sent: events.length }) },
  });
  return { summary, alerts, history, totals };
}

function task(moved: number, status: TaskStatus, more: Partial<TaskRecord>): TaskRecord {
  return { ...more, taskId: 't1', taskHandle: 'h', sourceArn: arn('orders-dlq'), status, approximateNumberOfMessagesMoved: moved, createdAt: '2026-01-01T00:00:30.000Z', updatedAt: '2026-01-01T00:00:30.000Z', startedBy: 'me', origin: 'api', version: 1 };
}

describe('refreshDlqInventory: arrivals against the controller\'s tasks', () => {
  it('raises no alert for an archive without Delete: its 41 messages stayed in the DLQ', async () => {
    // Prepare: a run knows the DLQ at 41; an archive task copies all 41 and completes before the next run
    const stored: { inventory?: DlqInventory } = {};
    await run(41, [], stored, '2026-01-01T00:00:00Z').summary;

    // Act
    const { summary, alerts } = run(41, [task(41, TaskStatus.COMPLETED, { kind: 'archive' })], stored, '2026-01-01T00:01:00Z');

    // Assess
    expect(await summary).toMatchObject({ newMessages: 0, alertsSent: 0 });
    expect(alerts).toEqual([]);
  });

  it('keeps the fall no recorded move explains yet beside the inventory, so the late record does not count it as arrivals', async () => {
    // Prepare: a native redrive at rate 2; the first run sees 50, the second 48 with the record still at 0
    const stored: { inventory?: DlqInventory } = {};
    await run(50, [task(0, TaskStatus.RUNNING, { kind: 'native' })], stored, '2026-01-01T00:00:00Z').summary;
    const lagging = await run(48, [task(0, TaskStatus.RUNNING, { kind: 'native' })], stored, '2026-01-01T00:01:00Z').summary;
    const kept = stored.inventory?.unexplainedFalls;

    // Act: cancelled; the record jumps to 4 while the depth shows 46
    const { summary, alerts } = run(46, [task(4, TaskStatus.CANCELLED, { kind: 'native' })], stored, '2026-01-01T00:02:00Z');

    // Assess
    expect(lagging.newMessages).toBe(0);
    expect(kept).toEqual({ [arn('orders-dlq')]: 2 });
    expect(await summary).toMatchObject({ newMessages: 0, alertsSent: 0 });
    expect(alerts).toEqual([]);
  });

  it('still counts what arrives while a redrive runs: its moves offset the fall', async () => {
    // Prepare: a run knows the DLQ at 50; a selective redrive starts after it and moves 20 while 5 arrive
    const stored: { inventory?: DlqInventory } = {};
    await run(50, [], stored, '2026-01-01T00:00:00Z').summary;

    // Act
    const { summary, alerts } = run(35, [task(20, TaskStatus.RUNNING, { kind: 'selective' })], stored, '2026-01-01T00:01:00Z');

    // Assess
    expect(await summary).toMatchObject({ newMessages: 5, alertsSent: 1 });
    expect(alerts).toEqual([expect.objectContaining({ detail: expect.objectContaining({ NewMessages: 5 }) })]);
  });

  it('publishes nothing from a run that lost the save to an overlapping one: 5 arrivals are counted once', async () => {
    // Prepare: two runs load the same inventory (a schedule's event delivered twice); the first saves
    const stored: { inventory?: DlqInventory } = {};
    await run(10, [], stored, '2026-01-01T00:00:00Z').summary;
    const loaded = stored.inventory;
    const first = run(15, [], stored, '2026-01-01T00:01:00.000Z', { loaded });
    await first.summary;

    // Act
    const second = run(15, [], stored, '2026-01-01T00:01:00.500Z', { loaded });

    // Assess
    expect(await first.summary).toMatchObject({ saved: true, newMessages: 5, alertsSent: 1, historyPoints: 1 });
    expect(await second.summary).toMatchObject({ saved: false, newMessages: 0, alertsSent: 0, historyPoints: 0, dlqsMetered: 0 });
    expect([second.alerts, second.history, second.totals]).toEqual([[], [], []]);
    expect(stored.inventory?.asOf).toBe('2026-01-01T00:01:00.000Z');
  });

  it('counts no arrival from a selective redrive whose recorded batches the depth shows a run late', async () => {
    // Prepare: 100 in the DLQ; the mover receives a batch of 10 at a time (in flight), records it, then deletes it
    const stored: { inventory?: DlqInventory } = {};
    const selective = (moved: number, status: TaskStatus = TaskStatus.RUNNING) => [task(moved, status, { kind: 'selective' })];
    await run(100, [], stored, '2026-01-01T00:00:00Z').summary;

    // Act: the second batch is recorded while the depth still shows it in flight; then its delete shows
    const runs = [
      await run(90, selective(0), stored, '2026-01-01T00:01:00Z', { inFlight: 10 }).summary,
      await run(80, selective(10), stored, '2026-01-01T00:02:00Z', { inFlight: 10 }).summary,
      await run(80, selective(20), stored, '2026-01-01T00:03:00Z', { inFlight: 10 }).summary,
      await run(80, selective(20, TaskStatus.COMPLETED), stored, '2026-01-01T00:04:00Z').summary,
    ];

    // Assess
    expect(runs.map((each) => each.newMessages)).toEqual([0, 0, 0, 0]);
    expect(stored.inventory?.unconfirmedMoves).toBeUndefined();
  });
});
