import { releaseSourceClaim, takeSourceClaim } from '../../../../lambda/domain/operations/source-claim';
import { startTask } from '../../../../lambda/domain/operations/start-task';
import type { MessageMoveService } from '../../../../lambda/domain/ports';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';

const SOURCE = queueArn('managed-orders-dlq');
const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const ACTOR = { by: 'arn:aws:iam::123456789012:user/operator', origin: 'api' as const };

describe('takeSourceClaim', () => {
  it('takes an unclaimed DLQ in one conditional write', async () => {
    // Prepare
    const deps = fakeDependencies();
    // Act
    const taken = await takeSourceClaim(deps, SOURCE, 'start-1', 'native');
    // Assess
    expect(taken).toBe(true);
    expect(deps.store.claims.get(SOURCE)).toEqual({ holder: 'start-1', claimedAt: ago(0), kind: 'native' });
  });

  it.each([
    ['SQS shows its task RUNNING', 'RUNNING', NOW - 5 * 60_000, ago(10 * 60_000), false],
    ['its task has not reached SQS yet (under a minute)', 'COMPLETED', NOW - 3_600_000, ago(1_000), false],
    ['SQS shows a task started since the claim that has ended', 'COMPLETED', NOW - 500, ago(1_000), true],
    ['nothing reached SQS a minute after the claim (a crashed start)', 'COMPLETED', NOW - 3_600_000, ago(61_000), true],
  ] as const)('against a native holder when %s: taken %s', async (_, status, startedTimestamp, claimedAt, expected) => {
    // Prepare
    const deps = fakeDependencies();
    deps.store.claims.set(SOURCE, { holder: 'start-0', claimedAt, kind: 'native' });
    deps.sqs.entries.push({ status, sourceArn: SOURCE, approximateNumberOfMessagesMoved: 0, startedTimestamp });
    // Act
    const taken = await takeSourceClaim(deps, SOURCE, 'task-2', 'selective');
    // Assess
    expect(taken).toBe(expected);
    expect(deps.store.claims.get(SOURCE)?.holder).toBe(expected ? 'task-2' : 'start-0');
  });

  it.each([
    ['its task is RUNNING', 'RUNNING', false],
    ['its task is CANCELLING', 'CANCELLING', false],
    ['its task has COMPLETED', 'COMPLETED', true],
  ] as const)('against a selective holder when %s: taken %s', async (_, status, expected) => {
    // Prepare
    const deps = fakeDependencies();
    await deps.store.create(recordedTask('managed-orders-dlq', { taskId: 'task-1', kind: 'selective', status }));
    deps.store.claims.set(SOURCE, { holder: 'task-1', claimedAt: ago(10 * 60_000) });
    // Act
    const taken = await takeSourceClaim(deps, SOURCE, 'start-2', 'native');
    // Assess
    expect(taken).toBe(expected);
  });

  it('takes a claim its holder gave back, without asking SQS', async () => {
    // Prepare
    const deps = fakeDependencies();
    await takeSourceClaim(deps, SOURCE, 'start-1', 'native');
    await releaseSourceClaim(deps, SOURCE, 'start-1');
    const list = jest.spyOn(deps.sqs, 'list');
    // Act
    const taken = await takeSourceClaim(deps, SOURCE, 'task-2', 'selective');
    // Assess
    expect(taken).toBe(true);
    expect(list).not.toHaveBeenCalled();
  });

  it('does not give back a claim another start has taken over', async () => {
    // Prepare
    const deps = fakeDependencies();
    deps.store.claims.set(SOURCE, { holder: 'task-2', claimedAt: ago(0), kind: 'selective' });
    // Act
    await releaseSourceClaim(deps, SOURCE, 'start-1');
    // Assess
    expect(deps.store.claims.get(SOURCE)).toEqual({ holder: 'task-2', claimedAt: ago(0), kind: 'selective' });
  });
});

describe('startTask and the DLQ\'s claim', () => {
  it('refuses with SQS\'s words, before calling SQS, while a selective task holds the DLQ', async () => {
    // Prepare
    const deps = fakeDependencies();
    const start = jest.spyOn(deps.sqs as MessageMoveService, 'start');
    await deps.store.create(recordedTask('managed-orders-dlq', { taskId: 'task-1', kind: 'selective' }));
    deps.store.claims.set(SOURCE, { holder: 'task-1', claimedAt: ago(1_000), kind: 'selective' });
    // Act
    const attempt = startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn') }, ACTOR);
    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringMatching(/already a task running/) });
    expect(start).not.toHaveBeenCalled();
  });

  it('takes the claim before calling SQS and keeps it once SQS started the task', async () => {
    // Prepare
    const deps = fakeDependencies();
    const handle = encodeTaskHandle('task-9', SOURCE);
    jest.spyOn(deps.sqs as MessageMoveService, 'start').mockImplementation(async () => {
      expect(deps.store.claims.get(SOURCE)).toMatchObject({ kind: 'native' });
      return { taskHandle: handle };
    });
    // Act
    await startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn') }, ACTOR);
    // Assess
    expect(deps.store.claims.get(SOURCE)).toMatchObject({ kind: 'native', claimedAt: ago(0) });
    expect(deps.store.claims.get(SOURCE)?.released).toBeUndefined();
  });

  it('gives the claim back when SQS refuses the start', async () => {
    // Prepare
    const deps = fakeDependencies();
    jest.spyOn(deps.sqs as MessageMoveService, 'start').mockRejectedValue(new SqsError('InvalidParameterValue', 'Source queue must be configured as a Dead Letter Queue.'));
    // Act
    await expect(startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn') }, ACTOR)).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    // Assess
    expect(deps.store.claims.get(SOURCE)).toMatchObject({ kind: 'native', released: true });
  });

  it('keeps the claim when SQS\'s answer was lost (5xx): the task may have started', async () => {
    // Prepare
    const deps = fakeDependencies();
    jest.spyOn(deps.sqs as MessageMoveService, 'start').mockRejectedValue(new SqsError('InternalFailure', 'timed out', 500));
    // Act
    await expect(startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn') }, ACTOR)).rejects.toMatchObject({ code: 'InternalFailure' });
    // Assess
    expect(deps.store.claims.get(SOURCE)?.released).toBeUndefined();
    expect(await takeSourceClaim(deps, SOURCE, 'task-3', 'selective')).toBe(false);
  });
});
