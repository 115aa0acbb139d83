import { expiryArchiver } from '../../../../lambda/domain/operations/expiry-archiver';
import { startSelectiveTask } from '../../../../lambda/domain/operations/start-selective-task';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { ACCOUNT, emptyQueuesSampler, fakeDependencies, queueArn, recordedTask, REGION } from '../../../support/fake-dependencies';
import { FakeDlq, FakeHolds } from '../../../support/fake-dlq';

const DLQ = queueArn('managed-orders-dlq');
const ALREADY_RUNNING = { code: 'InvalidParameterValue', message: expect.stringMatching(/^There is already a task running/) };

/** An SQS DLQ whose archive is being replayed: the archive-replay task is active and holds the DLQ's claim. */
function replayingDependencies() {
  const base = fakeDependencies();
  const sampler = emptyQueuesSampler(true);
  const replay = recordedTask('managed-orders-dlq', { taskId: 'replay-1', kind: 'archive-replay', archiveTaskId: 'archive-0' });
  base.store.records.set(replay.taskId, replay);
  base.store.claims.set(DLQ, { holder: replay.taskId, claimedAt: replay.createdAt, kind: 'selective' });
  const deps = {
    ...base,
    archive: { put: async () => undefined, list: async () => ({ keys: [], more: false }), read: async () => undefined },
    dlqs: async () => ({ sampler, inventory: { save: async () => true, load: async () => undefined }, activity: { publishActivity: async () => undefined } }),
    scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')], allowedDestinations: [queueArn('managed-*')] }),
    messages: new FakeDlq(DLQ),
    holds: new FakeHolds(),
    mover: { invoke: async () => undefined },
  };
  return { deps, store: base.store };
}

describe('an expiry archive beside a replay from the archive of the same DLQ', () => {
  it('starts (the replay never touches the DLQ); the replay keeps the claim, so a redrive of the DLQ stays refused', async () => {
    // Prepare
    const { deps, store } = replayingDependencies();
    const source = parseQueueArn(DLQ, 'SourceArn');
    const operator = { by: 'operator', origin: 'api' } as const;

    // Act
    const taskId = await expiryArchiver(deps).archiveAndDelete(DLQ, { sentBefore: Date.parse('2024-05-01T00:00:00Z') }, 'expiring');
    const redrive = startSelectiveTask(deps, { source, destination: parseQueueArn(queueArn('managed-orders'), 'DestinationArn'), selection: { maxMessages: 5 } }, operator);
    const operatorsArchive = startSelectiveTask(deps, { source }, operator, undefined, { delete: false });
    const secondExpiry = expiryArchiver(deps).archiveAndDelete(DLQ, { sentBefore: Date.parse('2024-05-01T00:00:00Z') }, 'expiring');

    // Assess
    expect(store.records.get(taskId)).toMatchObject({ kind: 'archive', deleteAfterArchive: true, origin: 'expiry', status: 'RUNNING' });
    expect(store.claims.get(DLQ)?.holder).toBe('replay-1');
    await expect(redrive).rejects.toMatchObject(ALREADY_RUNNING);
    await expect(operatorsArchive).rejects.toMatchObject(ALREADY_RUNNING);
    await expect(secondExpiry).rejects.toMatchObject(ALREADY_RUNNING);
  });
});
