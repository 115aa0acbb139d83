import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { dryRunSelection } from '../../../../lambda/domain/operations/dry-run-selection';
import { expiryArchiver } from '../../../../lambda/domain/operations/expiry-archiver';
import { startSelectiveTask } from '../../../../lambda/domain/operations/start-selective-task';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { ACCOUNT, emptyQueuesSampler, fakeDependencies, queueArn, REGION } from '../../../support/fake-dependencies';
import { FakeDlq, FakeHolds } from '../../../support/fake-dlq';

const FUNCTION_DLQ = queueArn('managed-fn-dlq');
const WORK = queueArn('managed-work');

/** A Lambda function's DLQ: it exists, but no SQS redrive policy names it; the inventory knows its function. */
function archiveDependencies() {
  const base = fakeDependencies();
  const sampler = emptyQueuesSampler(false);
  const fnDlq: DeadLetterQueue = {
    queueArn: FUNCTION_DLQ, queueName: 'managed-fn-dlq', approximateNumberOfMessages: 2, approximateNumberOfMessagesNotVisible: 0,
    sourceQueueArns: [], origin: 'lambda', targets: [{ arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`, kind: 'function' }],
  };
  const deps = {
    ...base,
    archive: { put: async () => undefined, list: async () => ({ keys: [], more: false }), read: async () => undefined },
    dlqs: async () => ({ sampler, inventory: { save: async () => true, load: async () => ({ asOf: '2024-05-01T11:59:00.000Z', dlqs: [fnDlq] }) }, activity: { publishActivity: async () => undefined } }),
    scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')], allowedDestinations: [queueArn('managed-*')] }),
    messages: new FakeDlq(FUNCTION_DLQ),
    holds: new FakeHolds(),
    mover: { invoke: async () => undefined },
  };
  return { deps, store: base.store };
}

describe('archiving a Lambda or EventBridge DLQ (no SQS redrive policy names it)', () => {
  it('archiveBeforeExpiry starts its archive+delete task instead of being refused as "not a DLQ" on every tick', async () => {
    // Prepare
    const { deps, store } = archiveDependencies();

    // Act
    const taskId = await expiryArchiver(deps).archiveAndDelete(FUNCTION_DLQ, { sentBefore: Date.parse('2024-05-01T00:00:00Z') }, 'expiring');

    // Assess: an archive task (not a replay) that deletes what it archived
    expect(store.records.get(taskId)).toMatchObject({ kind: 'archive', deleteAfterArchive: true, sourceArn: FUNCTION_DLQ, origin: 'expiry' });
  });

  it('an operator\'s archive and its dry run take the same DLQ; a queue nothing fails into is still refused in SQS\'s words', async () => {
    // Prepare
    const { deps, store } = archiveDependencies();
    const actor = { by: 'operator', origin: 'api' } as const;

    // Act
    // the dry run first: a dry run is refused while a task of the DLQ is active
    const sample = await dryRunSelection(deps, { source: parseQueueArn(FUNCTION_DLQ, 'SourceArn') }, 'operator', undefined, true);
    const started = await startSelectiveTask(deps, { source: parseQueueArn(FUNCTION_DLQ, 'SourceArn') }, actor, undefined, { delete: false });
    const work = startSelectiveTask(deps, { source: parseQueueArn(WORK, 'SourceArn') }, actor, undefined, { delete: false });

    // Assess
    expect(store.records.get(started.taskId)).toMatchObject({ kind: 'archive', sourceArn: FUNCTION_DLQ });
    expect(sample).toMatchObject({ sampled: 0 });
    await expect(work).rejects.toMatchObject({ code: 'InvalidParameterValue', message: 'Source queue must be configured as a Dead Letter Queue.' });
  });
});
