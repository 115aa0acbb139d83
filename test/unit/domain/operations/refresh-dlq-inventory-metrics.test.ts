import type { DlqFigures } from '../../../../lambda/domain/controller-metrics';
import type { QueueAttributes } from '../../../../lambda/domain/dlq/dead-letter-queue';
import type { DlqInventory } from '../../../../lambda/domain/dlq/dlq-inventory';
import { refreshDlqInventory } from '../../../../lambda/domain/operations/refresh-dlq-inventory';
import { QueueScope } from '../../../../lambda/domain/queue-scope';

const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;

describe('refreshDlqInventory: metrics', () => {
  it('reports the totals, and the figures of each DLQ that holds, receives or just emptied', async () => {
    // Prepare: `full` got 3 more, `emptied` held 2 at the last run, `quiet` stays empty
    const queue = (name: string, messages: number, target?: string): QueueAttributes => ({ queueArn: arn(name), queueName: name, approximateNumberOfMessages: messages, approximateNumberOfMessagesNotVisible: 0, ...(target ? { deadLetterTargetArn: arn(target) } : {}) });
    const queues = [queue('full', 5), queue('emptied', 0), queue('quiet', 0), queue('s1', 0, 'full'), queue('s2', 0, 'emptied'), queue('s3', 0, 'quiet')];
    const dlq = (name: string, messages: number) => ({ queueArn: arn(name), queueName: name, approximateNumberOfMessages: messages, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'sqs' as const, targets: [] });
    let stored: DlqInventory | undefined = { asOf: '2026-01-01T00:00:00.000Z', dlqs: [dlq('full', 2), dlq('emptied', 2), dlq('quiet', 0)] };
    const totals: unknown[] = [];
    const figures: Array<[string, DlqFigures]> = [];

    // Act
    const summary = await refreshDlqInventory({
      queues: { listQueueUrls: async () => ({ queueUrls: queues.map((each) => each.queueName), truncated: false }), readAttributes: async (url) => queues.find((each) => each.queueName === url) },
      ages: { oldestMessageAges: async () => new Map([['full', 90]]) },
      inventory: { save: async (inventory) => ((stored = inventory), true), load: async () => stored },
      scope: new QueueScope({ accountId: '123456789012', region: 'us-east-1', managedQueues: [arn('*')] }),
      clock: { now: () => new Date('2026-01-01T00:01:00Z') },
      metrics: { count: () => undefined, dlqTotals: (sums) => totals.push(sums), dlq: (name, each) => figures.push([name, each]) },
    });

    // Assess
    expect(totals).toEqual([{ deadLetterMessages: 5, newDeadLetterMessages: 3 }]);
    expect(figures).toEqual([
      ['full', { deadLetterMessages: 5, newDeadLetterMessages: 3, oldestDeadLetterAgeSeconds: 90 }],
      ['emptied', { deadLetterMessages: 0, newDeadLetterMessages: 0 }],
    ]);
    expect(summary.dlqsMetered).toBe(2);
  });
});
