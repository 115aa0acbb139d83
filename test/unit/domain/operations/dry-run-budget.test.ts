import { parseFilterPolicy } from '../../../../lambda/domain/content-filter/filter-policy';
import { DRY_RUN_BUDGET_MS, dryRunSelection } from '../../../../lambda/domain/operations/dry-run-selection';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { ACCOUNT, emptyQueuesSampler, fakeDependencies, queueArn, REGION } from '../../../support/fake-dependencies';
import { FakeDlq } from '../../../support/fake-dlq';

const DLQ = queueArn('managed-orders-dlq');

/** A DLQ of `count` messages, half of tenant "a"; each receive takes `receiveMs` of a fake clock. */
function dryRunOn(count: number, receiveMs: number) {
  const base = fakeDependencies();
  const queue = new FakeDlq(DLQ);
  for (let at = 0; at < count; at += 1) queue.add(at % 2 === 0 ? 'a' : 'b');
  let time = Date.parse('2024-05-01T12:00:00.000Z');
  const slowQueue = Object.assign(Object.create(queue) as FakeDlq, {
    receive: async (...args: Parameters<FakeDlq['receive']>) => {
      time += receiveMs;
      return queue.receive(...args);
    },
  });
  const sampler = emptyQueuesSampler(true);
  const announced: unknown[] = [];
  const deps = {
    ...base,
    clock: { now: () => new Date(time) },
    dlqs: async () => ({ sampler, inventory: { save: async () => true, load: async () => undefined }, activity: { publishActivity: async (event: unknown) => void announced.push(event) } }),
    scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')], allowedDestinations: [queueArn('managed-*')] }),
    messages: slowQueue,
  };
  const selection = { filterPolicy: parseFilterPolicy({ tenant: ['a'] }) };
  return { queue, announced, run: () => dryRunSelection(deps, { source: parseQueueArn(DLQ, 'SourceArn'), selection, dryRun: true }, 'arn:aws:iam::123456789012:role/reader') };
}

describe('dryRunSelection within its time budget', () => {
  it('stops when the budget is spent, counts only what it matched, says it was truncated, and hands every message back', async () => {
    // Prepare: 100 messages; each receive of 10 takes a quarter of the budget
    const { queue, announced, run } = dryRunOn(100, DRY_RUN_BUDGET_MS / 4);
    // Act
    const result = await run();
    // the Peeked event names exactly the messages the dry run matched
    expect(announced).toHaveLength(1);
    expect(JSON.stringify(announced[0])).toMatch(/"DryRun":true/);
    // Assess: three batches matched in time; the fourth arrived at the deadline, unmatched
    expect(result).toEqual({ sampled: 30, matched: 15, unroutable: 0, truncated: true });
    expect({ visible: queue.visible.length, inFlight: queue.inFlight.size }).toEqual({ visible: 100, inFlight: 0 });
  });

  it('answers without the flag when the whole sample fits in the budget', async () => {
    const { queue, run } = dryRunOn(30, 100);
    const result = await run();
    expect(result).toStrictEqual({ sampled: 30, matched: 15, unroutable: 0 });
    expect(queue.visible.length).toBe(30);
  });

  it('is not truncated when it has its 100 messages, however long that took', async () => {
    const { run } = dryRunOn(150, DRY_RUN_BUDGET_MS / 10 - 1);
    await expect(run()).resolves.toStrictEqual({ sampled: 100, matched: 50, unroutable: 0 });
  });
});
