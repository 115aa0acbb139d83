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
  // the account's queues: the DLQ and its source, two destinations
  const queues = new Set(['managed-orders-dlq', 'managed-orders', 'managed-work', 'managed-other', 'managed-jobs.fifo', 'managed-chained-dlq']);
  const dlqNames = new Set(['managed-orders-dlq', 'managed-chained-dlq']);
  // a chained DLQ: its own redrive policy sends on to another DLQ
  const onward: Record<string, string> = { 'managed-chained-dlq': queueArn('managed-last-dlq') };
  const sampler = {
    queueUrl: async (name: string) => (queues.has(name) ? `http://sqs/${ACCOUNT}/${name}` : undefined),
    isDeadLetterQueue: async (url: string) => dlqNames.has(url.split('/').pop()!),
    deadLetterTargetOf: async (url: string) => onward[url.split('/').pop()!],
    receive: async () => [],
    release: async () => [],
  };
  const published: Array<{ detailType: string; detail: Record<string, unknown> }> = [];
  const deps = {
    ...base,
    dlqs: async () => ({ sampler, inventory: { save: async () => true, load: async () => undefined }, activity: { publishActivity: async (event: { detailType: string; detail: Record<string, unknown> }) => void published.push(event) } }),
    scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')], allowedDestinations: [queueArn('managed-*')] }),
    messages: queue,
    holds: new FakeHolds(),
    mover: { invoke: async (taskId: string) => void invoked.push(taskId) },
  };
  return { deps, queue, invoked, published, store: base.store };
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

  it.each([
    ['a live work queue (no redrive policy names it)', 'managed-work', undefined, 'InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.'],
    ['a source queue that does not exist', 'managed-gone-dlq', undefined, 'ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.'],
    ['a destination that does not exist', 'managed-orders-dlq', 'managed-gone', 'ResourceNotFoundException', 'The resource that you specified for the DestinationArn parameter doesn\'t exist.'],
    ['a FIFO destination for a standard DLQ', 'managed-orders-dlq', 'managed-jobs.fifo', 'InvalidParameterValue', 'The source queue and destination queue must be of the same queue type.'],
    ['a chained DLQ (its receives could push messages onward)', 'managed-chained-dlq', undefined, 'InvalidParameterValue', expect.stringMatching(/managed-chained-dlq is a chained dead-letter queue: its own RedrivePolicy sends messages on to .*managed-last-dlq.*maxReceiveCount/)],
  ])('fails with SQS\'s refusal for %s, in a start and a dry run alike, moving nothing', async (_, sourceName, destinationName, code, message) => {
    // Prepare
    const { deps, queue, store } = selectiveDependencies();
    queue.add('a');
    const source = parseQueueArn(queueArn(sourceName), 'SourceArn');
    const destination = destinationName === undefined ? {} : { destination: parseQueueArn(queueArn(destinationName), 'DestinationArn') };
    // Act
    const start = startSelectiveTask(deps, { source, ...destination, selection: { maxMessages: 5 } }, ACTOR);
    const dryRun = dryRunSelection(deps, { source, ...destination, selection: {}, dryRun: true }, 'operator');
    // Assess
    await expect(start).rejects.toMatchObject({ code, message });
    await expect(dryRun).rejects.toMatchObject({ code, message });
    expect({ records: store.records.size, invisible: queue.invisible() }).toEqual({ records: 0, invisible: [] });
  });

  it('starts on a DLQ with an existing destination of its type', async () => {
    const { deps, store, invoked } = selectiveDependencies();
    const started = await startSelectiveTask(deps, { source: parseQueueArn(DLQ, 'SourceArn'), destination: parseQueueArn(queueArn('managed-other'), 'DestinationArn'), selection: { maxMessages: 5 } }, ACTOR);
    expect({ records: store.records.size, invoked }).toEqual({ records: 1, invoked: [started.taskId] });
  });
});

describe('dryRunSelection', () => {
  it('fails with SQS\'s refusal when DestinationArn is the source DLQ, receiving nothing', async () => {
    // Prepare
    const { deps, queue } = selectiveDependencies();
    queue.add('a');
    const source = parseQueueArn(DLQ, 'SourceArn');
    // Act
    const dryRun = dryRunSelection(deps, { source, destination: source, selection: {}, dryRun: true }, 'operator');
    // Assess
    await expect(dryRun).rejects.toMatchObject({ code: 'InvalidParameterValue', message: 'Source queue arn and destination queue arn cannot be the same.' });
    expect(queue.invisible()).toEqual([]);
  });
});

describe('dryRunSelection announces itself as a peek', () => {
  it('emits Dead-Letter Messages Peeked with DryRun: true, the caller and the message ids, never a body', async () => {
    // Prepare
    const { deps, queue, published } = selectiveDependencies();
    queue.add('x', { body: '{"ssn":"078-05-1120"}' });
    const selection = { filterPolicy: parseFilterPolicy({ ssn: [{ prefix: '078' }] }, 'MessageBody') };
    // Act
    await dryRunSelection(deps, { source: parseQueueArn(DLQ, 'SourceArn'), selection, dryRun: true }, 'operator');
    // Assess
    expect(published).toEqual([{ detailType: 'Dead-Letter Messages Peeked', resources: [DLQ], detail: expect.objectContaining({ QueueArn: DLQ, Count: 1, PeekedBy: 'operator', DryRun: true }) }]);
    expect(JSON.stringify(published)).not.toContain('078-05');
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
    const result = await dryRunSelection(deps, { source: parseQueueArn(DLQ, 'SourceArn'), selection, dryRun: true }, 'operator');
    // Assess
    expect(result).toEqual({ sampled: 2, matched: 1, unroutable: 0 });
    expect(queue.invisible()).toEqual([]);
  });
});
