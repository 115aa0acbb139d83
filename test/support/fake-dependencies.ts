import type { MessageSampler } from '../../lambda/domain/dlq/dlq-ports';
import type { ControllerDependencies, EventPublisher, MessageMoveService, MoveTaskSummary, SourceClaim, TaskPage, TaskStore } from '../../lambda/domain/ports';
import { QueueScope } from '../../lambda/domain/queue-scope';
import type { TaskEvent } from '../../lambda/domain/task-event';
import { encodeTaskHandle } from '../../lambda/domain/task-handle';
import type { TaskRecord } from '../../lambda/domain/task-record';
import { isActive, TaskStatus } from '../../lambda/domain/task-status';

/** The task table in memory, with the same conditional semantics as the DynamoDB store. */
export class InMemoryTaskStore implements TaskStore {
  readonly records = new Map<string, TaskRecord>();

  async create(record: TaskRecord): Promise<boolean> {
    if (this.records.has(record.taskId)) return false;
    this.records.set(record.taskId, record);
    return true;
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    return this.records.get(taskId);
  }

  async replace(expected: TaskRecord, next: TaskRecord): Promise<boolean> {
    const current = this.records.get(expected.taskId);
    if (!current || current.version !== expected.version || current.status !== expected.status) return false;
    this.records.set(next.taskId, next);
    return true;
  }

  async listActive(): Promise<TaskRecord[]> {
    return [...this.records.values()].filter((record) => isActive(record.status));
  }

  async listStaleOutboxes(before: string, limit: number): Promise<TaskRecord[]> {
    return [...this.records.values()].filter((record) => record.outboxPendingSince !== undefined && record.outboxPendingSince < before).slice(0, limit);
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

  readonly claims = new Map<string, SourceClaim>();

  async readSourceClaim(sourceArn: string): Promise<SourceClaim | undefined> {
    return this.claims.get(sourceArn);
  }

  async claimSource(sourceArn: string, claim: SourceClaim, previousHolder?: string): Promise<boolean> {
    if (this.claims.get(sourceArn)?.holder !== previousHolder) return false;
    this.claims.set(sourceArn, claim);
    return true;
  }

  async releaseSourceClaim(sourceArn: string, holder: string): Promise<void> {
    const current = this.claims.get(sourceArn);
    if (current?.holder === holder) this.claims.set(sourceArn, { ...current, released: true });
  }
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

  /** what ListMessageMoveTasks answers, newest first, for any queue (filtered by SourceArn) */
  readonly entries: MoveTaskSummary[] = [];

  /** the next lists throw these, in order */
  readonly listFailures: Error[] = [];

  async list(sourceArn: string): Promise<MoveTaskSummary[]> {
    const failure = this.listFailures.shift();
    if (failure) throw failure;
    return this.entries.filter((entry) => entry.sourceArn === sourceArn);
  }

  async listQueues() {
    return { queues: [], truncated: false };
  }

  async depth() {
    return undefined;
  }

  async ping(): Promise<void> {}
}

/** EventBridge: records what was published; the next publishes throw these, in order. */
export class FakeEventPublisher implements EventPublisher {
  readonly published: TaskEvent[] = [];
  readonly failures: Error[] = [];

  async publish(events: readonly TaskEvent[]): Promise<{ sent: string[] }> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.published.push(...events);
    return { sent: events.map((event) => event.id) };
  }
}

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

export interface FakeDependencies extends ControllerDependencies {
  readonly store: InMemoryTaskStore;
  readonly sqs: FakeMessageMoveService;
  readonly events: FakeEventPublisher;
  readonly logged: Array<{ level: 'warn' | 'error'; message: string; details: Record<string, unknown> }>;
}

/** Dependencies in memory: queues named `managed-*` are managed. */
export function fakeDependencies(): FakeDependencies {
  const logged: FakeDependencies['logged'] = [];
  return {
    store: new InMemoryTaskStore(),
    sqs: new FakeMessageMoveService(),
    events: new FakeEventPublisher(),
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

/** A sampler of queues that all exist and hold no message; `isDeadLetter` answers SQS's redrive-policy check for every one. */
export function emptyQueuesSampler(isDeadLetter: boolean): MessageSampler {
  return {
    queueUrl: async (name) => `http://sqs/${ACCOUNT}/${name}`,
    isDeadLetterQueue: async () => isDeadLetter,
    deadLetterTargetOf: async () => undefined,
    receive: async () => [],
    release: async () => [],
  };
}
