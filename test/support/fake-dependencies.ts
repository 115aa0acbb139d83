import type { CancelClaim, ControllerDependencies, MessageMoveService, TaskPage, TaskStore } from '../../lambda/domain/ports';
import { QueueScope } from '../../lambda/domain/queue-scope';
import type { TaskRecord } from '../../lambda/domain/task-record';
import { encodeTaskHandle } from '../../lambda/domain/task-handle';
import { isActive, TaskStatus } from '../../lambda/domain/task-status';

/** The task table in memory, with the same conditional semantics as the DynamoDB store. */
export class InMemoryTaskStore implements TaskStore {
  readonly records = new Map<string, TaskRecord>();

  async create(record: TaskRecord): Promise<void> {
    if (this.records.has(record.taskId)) throw new Error(`task ${record.taskId} is already recorded`);
    this.records.set(record.taskId, record);
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.records.get(taskId);
  }

  async claimCancel(taskId: string, taskHandle: string, cancel: { at: string; by: string; reason?: string }): Promise<CancelClaim> {
    const record = this.records.get(taskId);
    if (!record || record.taskHandle !== taskHandle) return { outcome: 'not-found' };
    if (record.status !== TaskStatus.RUNNING) return { outcome: 'not-running', record };
    const claimed: TaskRecord = {
      ...record,
      status: TaskStatus.CANCELLING,
      cancelRequestedAt: cancel.at,
      cancelledBy: cancel.by,
      ...(cancel.reason === undefined ? {} : { cancelReason: cancel.reason }),
      updatedAt: cancel.at,
      version: record.version + 1,
    };
    this.records.set(taskId, claimed);
    return { outcome: 'claimed', record: claimed };
  }

  async recordCancelAccepted(taskId: string, moved: number, at: string): Promise<void> {
    const record = this.records.get(taskId);
    if (record?.status === TaskStatus.CANCELLING) {
      this.records.set(taskId, { ...record, approximateNumberOfMessagesMoved: moved, updatedAt: at, version: record.version + 1 });
    }
  }

  async releaseCancelClaim(taskId: string, claimedVersion: number, error: string, at: string): Promise<boolean> {
    const record = this.records.get(taskId);
    if (record?.status !== TaskStatus.CANCELLING || record.version !== claimedVersion) return false;
    const { cancelRequestedAt: _at, cancelledBy: _by, cancelReason: _reason, ...rest } = record;
    this.records.set(taskId, { ...rest, status: TaskStatus.RUNNING, lastCancelError: error, updatedAt: at, version: record.version + 1 });
    return true;
  }

  async query(): Promise<TaskPage> {
    return { tasks: [...this.records.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
  }

  async findActiveTask(sourceArn: string): Promise<TaskRecord | undefined> {
    return [...this.records.values()]
      .filter((record) => record.sourceArn === sourceArn && isActive(record.status))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  async ping(): Promise<void> {}
}

/** SQS's cancel, answering what the test sets; records every handle it was asked to cancel. */
export class FakeMessageMoveService implements MessageMoveService {
  readonly cancelled: string[] = [];
  /** the next cancels throw these, in order */
  readonly failures: Error[] = [];

  async start(): Promise<{ taskHandle: string }> {
    throw new Error('not used');
  }

  async cancel(taskHandle: string): Promise<{ approximateNumberOfMessagesMoved: number }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.cancelled.push(taskHandle);
    return { approximateNumberOfMessagesMoved: 7 };
  }

  async list() {
    return [];
  }

  async listQueues() {
    return { queues: [], truncated: false };
  }

  async depth() {
    return undefined;
  }

  async ping(): Promise<void> {}
}

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

export interface FakeDependencies extends ControllerDependencies {
  readonly store: InMemoryTaskStore;
  readonly sqs: FakeMessageMoveService;
  readonly logged: Array<{ level: 'warn' | 'error'; message: string; details: Record<string, unknown> }>;
}

/** Dependencies in memory: queues named `managed-*` are managed. */
export function fakeDependencies(): FakeDependencies {
  const logged: FakeDependencies['logged'] = [];
  return {
    store: new InMemoryTaskStore(),
    sqs: new FakeMessageMoveService(),
    scope: new QueueScope({ accountId: ACCOUNT, region: REGION, managedQueues: [queueArn('managed-*')] }),
    clock: { now: () => new Date('2024-05-01T12:00:00.000Z') },
    log: {
      warn: (message, details) => logged.push({ level: 'warn', message, details }),
      error: (message, details) => logged.push({ level: 'error', message, details }),
    },
    logged,
  };
}

/** A recorded task on a queue, RUNNING unless told otherwise. */
export function recordedTask(queueName: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  const taskId = overrides.taskId ?? `task-${queueName}-${overrides.createdAt ?? 'a'}`.replace(/[^A-Za-z0-9._:-]/g, '-');
  const sourceArn = queueArn(queueName);
  return {
    taskId,
    taskHandle: encodeTaskHandle(taskId, sourceArn),
    sourceArn,
    status: TaskStatus.RUNNING,
    approximateNumberOfMessagesMoved: 0,
    createdAt: '2024-05-01T11:00:00.000Z',
    updatedAt: '2024-05-01T11:00:00.000Z',
    startedBy: 'arn:aws:iam::123456789012:user/operator',
    origin: 'api',
    version: 1,
    ...overrides,
  };
}
