import type { MoveTaskSummary } from '../../../lambda/domain/ports';
import type { TaskRecord } from '../../../lambda/domain/task-record';
import { addedEventIds, nextRecord, reconciledRecord, takeStaleEvents, withEvent } from '../../../lambda/domain/transitions';

const NOW = new Date('2026-01-01T12:00:00.000Z');
const base: TaskRecord = {
  taskId: 't1',
  taskHandle: 'handle-1',
  sourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq',
  status: 'RUNNING',
  approximateNumberOfMessagesMoved: 1,
  startedTimestamp: 1000,
  createdAt: '2026-01-01T11:00:00.000Z',
  updatedAt: '2026-01-01T11:00:00.000Z',
  startedBy: 'local',
  origin: 'api',
  version: 4,
};
const entry = (overrides: Partial<MoveTaskSummary>): MoveTaskSummary => ({
  status: 'RUNNING',
  sourceArn: base.sourceArn,
  approximateNumberOfMessagesMoved: 1,
  startedTimestamp: 1000,
  ...overrides,
});

describe('reconciledRecord', () => {
  it.each([
    ['COMPLETED', 'Message Move Task Completed', 'completed'],
    ['FAILED', 'Message Move Task Failed', 'failed'],
    ['CANCELLED', 'Message Move Task Cancelled', 'cancelled'],
  ] as const)('ends a task SQS shows %s, with its event, completedAt and expiresAt', (status, detailType, slug) => {
    // Act
    const next = reconciledRecord(base, entry({ status, approximateNumberOfMessagesMoved: 9, ...(status === 'FAILED' ? { failureReason: 'AccessDenied' } : {}) }), NOW, 90)!;

    // Assess
    expect(next).toMatchObject({ status, approximateNumberOfMessagesMoved: 9, completedAt: NOW.toISOString(), version: 5 });
    expect(next.expiresAt).toBe(NOW.getTime() / 1000 + 90 * 86_400);
    expect(next.outbox).toEqual([expect.objectContaining({ id: `t1:${slug}:5`, detailType, takenAt: NOW.toISOString() })]);
    expect(next.outbox![0]!.record).not.toHaveProperty('outbox');
    expect(next.outboxPendingSince).toBe(NOW.toISOString());
    if (status === 'FAILED') expect(next.failureReason).toBe('AccessDenied');
  });

  it('records a cancel made outside the controller as Cancel Requested', () => {
    // Act
    const next = reconciledRecord(base, entry({ status: 'CANCELLING' }), NOW, 90)!;

    // Assess
    expect(next).toMatchObject({ status: 'CANCELLING', cancelledBy: 'unknown' });
    expect(next.outbox![0]!.detailType).toBe('Message Move Task Cancel Requested');
    expect(next.expiresAt).toBeUndefined();
  });

  it('writes progress without an event, and nothing when in step', () => {
    // Act
    const moved = reconciledRecord(base, entry({ approximateNumberOfMessagesMoved: 4 }), NOW, 90);
    const same = reconciledRecord(base, entry({}), NOW, 90);

    // Assess
    expect(moved).toMatchObject({ approximateNumberOfMessagesMoved: 4, version: 5 });
    expect(moved!.outbox).toBeUndefined();
    expect(same).toBeUndefined();
  });
});

describe('takeStaleEvents', () => {
  it('takes on only events whose writer\'s grace is over', () => {
    // Prepare
    const old = withEvent(base, 'Message Move Task Started', '2026-01-01T11:00:00.000Z');
    const both = withEvent({ ...old, version: 5 }, 'Message Move Task Completed', '2026-01-01T11:59:59.000Z');

    // Act
    const { record, taken } = takeStaleEvents(both, '2026-01-01T11:58:00.000Z', NOW.toISOString());

    // Assess
    expect(taken).toEqual(['t1:started:4']);
    expect(record.outbox!.map((event) => event.takenAt)).toEqual([NOW.toISOString(), '2026-01-01T11:59:59.000Z']);
    expect(record.outboxPendingSince).toBe('2026-01-01T11:59:59.000Z');
  });
});

describe('nextRecord', () => {
  it.each<[TaskRecord['status'], TaskRecord['status']]>([
    ['COMPLETED', 'RUNNING'],
    ['CANCELLED', 'CANCELLING'],
    ['FAILED', 'COMPLETED'],
  ])('throws for %s → %s, which the state machine does not allow', (from, to) => {
    // Act
    const attempt = () => nextRecord({ ...base, status: from }, { status: to }, NOW.toISOString());

    // Assess
    expect(attempt).toThrow(`task t1: ${from} → ${to} is not a transition of the task state machine`);
  });

  it('writes allowed transitions and changes that keep the status', () => {
    // Act
    const claimed = nextRecord(base, { status: 'CANCELLING' }, NOW.toISOString());
    const progress = nextRecord({ ...base, status: 'COMPLETED' }, { status: 'COMPLETED', approximateNumberOfMessagesMoved: 2 }, NOW.toISOString());

    // Assess
    expect(claimed).toMatchObject({ status: 'CANCELLING', version: 5, updatedAt: NOW.toISOString() });
    expect(progress).toMatchObject({ status: 'COMPLETED', approximateNumberOfMessagesMoved: 2, version: 5 });
  });
});

describe('addedEventIds', () => {
  it('answers the ids a write added to the outbox, and every id of a new record', () => {
    // Prepare
    const started = withEvent(base, 'Message Move Task Started', NOW.toISOString());
    const completed = withEvent({ ...started, version: 5 }, 'Message Move Task Completed', NOW.toISOString());

    // Act / Assess
    expect(addedEventIds(started, completed)).toEqual(['t1:completed:5']);
    expect(addedEventIds(undefined, completed)).toEqual(['t1:started:4', 't1:completed:5']);
    expect(addedEventIds(completed, completed)).toEqual([]);
  });
});
