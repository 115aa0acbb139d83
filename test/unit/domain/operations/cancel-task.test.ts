import { cancelTask } from '../../../../lambda/domain/operations/cancel-task';
import type { CancelClaim, ControllerDependencies, MessageMoveService, TaskStore } from '../../../../lambda/domain/ports';
import { QueueScope } from '../../../../lambda/domain/queue-scope';
import { parseCancelRequest } from '../../../../lambda/domain/requests';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import type { TaskRecord } from '../../../../lambda/domain/task-record';

const SOURCE = 'arn:aws:sqs:us-east-1:111122223333:orders-dlq';
const HANDLE = encodeTaskHandle('task-1', SOURCE);

function running(): TaskRecord {
  return {
    taskId: 'task-1', taskHandle: HANDLE, sourceArn: SOURCE, status: 'RUNNING', approximateNumberOfMessagesMoved: 0,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', startedBy: 'alice', origin: 'api', version: 1,
  };
}

/** An in-memory store with the same claim semantics as the table: the first claim wins. */
function memoryStore(initial?: TaskRecord) {
  let record = initial;
  const store: TaskStore = {
    create: async () => undefined,
    get: async () => record,
    claimCancel: async (taskId, handle, cancel): Promise<CancelClaim> => {
      if (!record || record.taskId !== taskId || record.taskHandle !== handle) return { outcome: 'not-found' };
      if (record.status !== 'RUNNING') return { outcome: 'not-running', record };
      record = { ...record, status: 'CANCELLING', cancelledBy: cancel.by, cancelRequestedAt: cancel.at, version: record.version + 1, ...(cancel.reason ? { cancelReason: cancel.reason } : {}) };
      return { outcome: 'claimed', record };
    },
    recordCancelAccepted: async (_, moved) => {
      if (record?.status === 'CANCELLING') record = { ...record, approximateNumberOfMessagesMoved: moved };
    },
    releaseCancelClaim: async (_, version, error) => {
      if (record?.status !== 'CANCELLING' || record.version !== version) return false;
      const { cancelledBy: _by, cancelRequestedAt: _at, cancelReason: _reason, ...rest } = record;
      record = { ...rest, status: 'RUNNING', lastCancelError: error, version: version + 1 };
      return true;
    },
    query: async () => ({ tasks: [] }),
    ping: async () => undefined,
  };
  return { store, current: () => record };
}

function deps(store: TaskStore, sqs: Partial<MessageMoveService>): ControllerDependencies & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    store,
    sqs: { start: jest.fn(), list: jest.fn(), ping: jest.fn(), cancel: jest.fn(async () => ({ approximateNumberOfMessagesMoved: 7 })), ...sqs } as MessageMoveService,
    scope: new QueueScope({ accountId: '111122223333', region: 'us-east-1', managedQueues: ['arn:aws:sqs:us-east-1:111122223333:*'] }),
    clock: { now: () => new Date('2026-01-02T00:00:00.000Z') },
    log: { warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    warnings,
  };
}

const actor = { by: 'bob', reason: 'consumer broken', origin: 'api' as const };

describe('cancelTask', () => {
  it('claims, cancels in SQS and records who, why and the count', async () => {
    // Prepare
    const { store, current } = memoryStore(running());
    const d = deps(store, {});
    // Act
    const result = await cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor);
    // Assess
    expect(result.approximateNumberOfMessagesMoved).toBe(7);
    expect(d.sqs.cancel).toHaveBeenCalledTimes(1);
    expect(current()).toMatchObject({ status: 'CANCELLING', cancelledBy: 'bob', cancelReason: 'consumer broken', approximateNumberOfMessagesMoved: 7 });
  });

  it('lets only one of many racing cancels reach SQS', async () => {
    // Prepare
    const { store } = memoryStore(running());
    const d = deps(store, {});
    // Act
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor)));
    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(d.sqs.cancel).toHaveBeenCalledTimes(1);
  });

  it('refuses a task that is not RUNNING, naming its status, without calling SQS', async () => {
    const { store } = memoryStore({ ...running(), status: 'COMPLETED' });
    const d = deps(store, {});
    await expect(cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor)).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringMatching(/is COMPLETED/) });
    expect(d.sqs.cancel).not.toHaveBeenCalled();
  });

  it('answers ResourceNotFoundException for a task the table does not know', async () => {
    const { store } = memoryStore(undefined);
    const d = deps(store, {});
    await expect(cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor)).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    expect(d.sqs.cancel).not.toHaveBeenCalled();
  });

  it('refuses a handle for an unmanaged account before touching the table', async () => {
    const { store } = memoryStore(running());
    const claim = jest.spyOn(store, 'claimCancel');
    const d = deps(store, {});
    const foreign = encodeTaskHandle('task-1', 'arn:aws:sqs:us-east-1:444455556666:orders-dlq');
    await expect(cancelTask(d, parseCancelRequest({ TaskHandle: foreign }), actor)).rejects.toMatchObject({ code: 'InvalidAddress' });
    expect(claim).not.toHaveBeenCalled();
  });

  it('gives the claim back and says why when SQS refuses, so a retry can succeed', async () => {
    // Prepare
    const { store, current } = memoryStore(running());
    const refuse = jest.fn().mockRejectedValueOnce(new SqsError('RequestThrottled', 'slow down')).mockResolvedValue({ approximateNumberOfMessagesMoved: 3 });
    const d = deps(store, { cancel: refuse });
    // Act
    const first = cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor);
    // Assess
    await expect(first).rejects.toMatchObject({ code: 'RequestThrottled' });
    expect(current()).toMatchObject({ status: 'RUNNING', lastCancelError: expect.stringMatching(/RequestThrottled: slow down/) });
    expect(current()?.cancelledBy).toBeUndefined();
    await expect(cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor)).resolves.toMatchObject({ approximateNumberOfMessagesMoved: 3 });
  });

  it('still answers the count when SQS took the cancel but the count could not be written', async () => {
    const { store } = memoryStore(running());
    store.recordCancelAccepted = async () => {
      throw new Error('table unavailable');
    };
    const d = deps(store, {});
    await expect(cancelTask(d, parseCancelRequest({ TaskHandle: HANDLE }), actor)).resolves.toMatchObject({ approximateNumberOfMessagesMoved: 7 });
    expect(d.warnings).toContain('cancel accepted by SQS but its count was not recorded');
  });
});
