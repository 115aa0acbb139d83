import { parseFilterPolicy } from '../../../../lambda/domain/content-filter/filter-policy';
import { dryRunSelection } from '../../../../lambda/domain/operations/dry-run-selection';
import { startSelectiveTask } from '../../../../lambda/domain/operations/start-selective-task';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { ACCOUNT, fakeDependencies, queueArn, REGION } from '../../../support/fake-dependencies';
import { FakeDlq, FakeHolds } from '../../../support/fake-dlq';

const DLQ = queueArn('managed-orders-dlq');
const ACTOR = { by: 'operator', origin: 'api' } as const;

function selectiveDependencies() {
  const base = fakeDependencies();
  const queue = new FakeDlq(DLQ);
  const invoked: string[] = [];
  const deps = {
    ...base,
    scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')], allowedDestinations: [queueArn('managed-*')] }),
    messages: queue,
    holds: new FakeHolds(),
    mover: { invoke: async (taskId: string) => void invoked.push(taskId) },
  };
  return { deps, queue, invoked, store: base.store };
}

describe('startSelectiveTask', () => {
  it('fails with SQS\'s refusal when DestinationArn is the source DLQ, and records nothing', async () => {
    // Prepare
    const { deps, store, invoked } = selectiveDependencies();
    const source = parseQueueArn(DLQ, 'SourceArn');
    // Act
    const start = startSelectiveTask(deps, { source, destination: source, selection: { maxMessages: 5 } }, ACTOR);
    // Assess
    await expect(start).rejects.toMatchObject({ code: 'InvalidParameterValue', message: 'Source queue arn and destination queue arn cannot be the same.' });
    expect({ records: store.records.size, invoked }).toEqual({ records: 0, invoked: [] });
  });
});

describe('dryRunSelection', () => {
  it('fails with SQS\'s refusal when DestinationArn is the source DLQ, receiving nothing', async () => {
    // Prepare
    const { deps, queue } = selectiveDependencies();
    queue.add('a');
    const source = parseQueueArn(DLQ, 'SourceArn');
    // Act
    const dryRun = dryRunSelection(deps, { source, destination: source, selection: {}, dryRun: true });
    // Assess
    await expect(dryRun).rejects.toMatchObject({ code: 'InvalidParameterValue', message: 'Source queue arn and destination queue arn cannot be the same.' });
    expect(queue.invisible()).toEqual([]);
  });
});

describe('dryRunSelection with a body the matcher cannot read', () => {
  it('counts it as not matching instead of failing the dry run', async () => {
    // Prepare: one body spells one path both ways, 12,000 deep (a poison message for a recursive matcher)
    const { deps, queue } = selectiveDependencies();
    const deep = '{"c":'.repeat(12_000) + '1' + '}'.repeat(12_000);
    queue.add('x', { body: `{"a.b":${deep},"a":{"b":${deep}}}` });
    queue.add('x', { body: '{"tenant":"a"}' });
    const selection = { filterPolicy: parseFilterPolicy({ tenant: ['a'] }, 'MessageBody') };
    // Act
    const result = await dryRunSelection(deps, { source: parseQueueArn(DLQ, 'SourceArn'), selection, dryRun: true });
    // Assess
    expect(result).toEqual({ sampled: 2, matched: 1, unroutable: 0 });
    expect(queue.invisible()).toEqual([]);
  });
});
