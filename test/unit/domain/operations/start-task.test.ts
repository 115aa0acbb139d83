import { startTask } from '../../../../lambda/domain/operations/start-task';
import type { MessageMoveService } from '../../../../lambda/domain/ports';
import { parseQueueArn } from '../../../../lambda/domain/queue-arn';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import type { Actor } from '../../../../lambda/domain/task-record';
import { fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';

const SOURCE = queueArn('managed-orders-dlq');
const HANDLE = encodeTaskHandle('task-1', SOURCE);
const ACTOR: Actor = { by: 'arn:aws:iam::123456789012:user/operator', origin: 'api', reason: 'consumer fixed' };

/** Fake dependencies whose SQS starts task-1 and lists it RUNNING, started at 1000. */
function startingDeps() {
  const deps = fakeDependencies();
  const start = jest.spyOn(deps.sqs as MessageMoveService, 'start').mockResolvedValue({ taskHandle: HANDLE });
  deps.sqs.entries.push({ status: 'RUNNING', taskHandle: HANDLE, sourceArn: SOURCE, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1000 });
  return { deps, start };
}

describe('startTask', () => {
  it('records the task SQS started, with who, why and StartedTimestamp, and sends its Started event', async () => {
    // Prepare
    const { deps, start } = startingDeps();

    // Act
    const result = await startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn'), maxNumberOfMessagesPerSecond: 5, reason: 'consumer fixed' }, ACTOR);

    // Assess
    expect(result).toEqual({ taskHandle: HANDLE, taskId: 'task-1' });
    expect(start.mock.calls).toEqual([[{ source: parseQueueArn(SOURCE, 'SourceArn'), maxNumberOfMessagesPerSecond: 5 }]]);
    expect(await deps.store.get('task-1')).toMatchObject({
      status: 'RUNNING', startedBy: ACTOR.by, startReason: 'consumer fixed', origin: 'api', startedTimestamp: 1000, maxNumberOfMessagesPerSecond: 5,
    });
    expect(deps.events.published.map((event) => event.id)).toEqual(['task-1:started:1']);
    // written with the event in its outbox (version 1), then the sent event removed (version 2)
    expect(await deps.store.get('task-1')).toMatchObject({ version: 2, outbox: undefined });
  });

  it('refuses an unmanaged queue before calling SQS', async () => {
    // Prepare
    const { deps, start } = startingDeps();

    // Act
    const attempt = startTask(deps, { source: parseQueueArn(queueArn('other-dlq'), 'SourceArn') }, ACTOR);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'UnsupportedOperation' });
    expect(start).not.toHaveBeenCalled();
    expect(deps.store.records.size).toBe(0);
  });

  it('answers the handle when the record cannot be written, and keeps who and why in the error log', async () => {
    // Prepare
    const { deps } = startingDeps();
    deps.store.create = async () => {
      throw new Error('table down');
    };

    // Act
    const result = await startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn') }, ACTOR);

    // Assess
    expect(result.taskHandle).toBe(HANDLE);
    expect(deps.logged).toEqual([
      expect.objectContaining({ level: 'error', message: 'task started but not recorded', details: expect.objectContaining({ startedBy: ACTOR.by, startReason: ACTOR.reason }) }),
    ]);
  });

  it('gives a record the reconciler adopted meanwhile its who and why, without a second Started event', async () => {
    // Prepare
    const { deps } = startingDeps();
    await deps.store.create(recordedTask('managed-orders-dlq', { taskId: 'task-1', taskHandle: HANDLE, origin: 'adopted', startedBy: 'unknown' }));

    // Act
    await startTask(deps, { source: parseQueueArn(SOURCE, 'SourceArn') }, ACTOR);

    // Assess
    expect(await deps.store.get('task-1')).toMatchObject({ origin: 'api', startedBy: ACTOR.by, startReason: ACTOR.reason, version: 2 });
    expect(deps.events.published).toEqual([]);
  });
});
