import { matchMoveTask } from '../../../lambda/domain/match-move-task';
import type { MoveTaskSummary } from '../../../lambda/domain/ports';
import type { TaskRecord } from '../../../lambda/domain/task-record';

const SOURCE = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const CREATED = Date.parse('2026-01-01T12:00:00.000Z');

const record = (overrides: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId: 't1',
  taskHandle: 'handle-1',
  sourceArn: SOURCE,
  status: 'RUNNING',
  approximateNumberOfMessagesMoved: 0,
  createdAt: new Date(CREATED).toISOString(),
  updatedAt: new Date(CREATED).toISOString(),
  startedBy: 'local',
  origin: 'api',
  version: 1,
  ...overrides,
});

const entry = (overrides: Partial<MoveTaskSummary>): MoveTaskSummary => ({
  status: 'COMPLETED',
  sourceArn: SOURCE,
  approximateNumberOfMessagesMoved: 3,
  startedTimestamp: CREATED - 100,
  ...overrides,
});

describe('matchMoveTask', () => {
  it('matches a RUNNING entry by its handle', () => {
    // Prepare
    const entries = [entry({ status: 'RUNNING', taskHandle: 'handle-1', startedTimestamp: 5 }), entry({ startedTimestamp: CREATED - 100 })];

    // Act
    const found = matchMoveTask(record(), entries);

    // Assess
    expect(found).toBe(entries[0]);
  });

  it('matches a finished entry by the StartedTimestamp the record kept', () => {
    // Prepare
    const entries = [entry({ startedTimestamp: CREATED + 1 }), entry({ startedTimestamp: CREATED - 7 })];

    // Act
    const found = matchMoveTask(record({ startedTimestamp: CREATED - 7 }), entries);

    // Assess
    expect(found).toBe(entries[1]);
  });

  it('matches nothing when the kept StartedTimestamp is not among the entries', () => {
    // Act
    const found = matchMoveTask(record({ startedTimestamp: CREATED - 7 }), [entry({ startedTimestamp: CREATED - 8 })]);

    // Assess
    expect(found).toBeUndefined();
  });

  it('never matches another task\'s handle', () => {
    // Act
    const found = matchMoveTask(record(), [entry({ status: 'RUNNING', taskHandle: 'handle-2', startedTimestamp: CREATED - 100 })]);

    // Assess
    expect(found).toBeUndefined();
  });

  it.each([
    ['inside the window, closest to createdAt', [CREATED - 50_000, CREATED - 300, CREATED + 90_000], 1],
    ['just after createdAt (clock skew)', [CREATED + 4_000], 0],
    ['outside the window', [CREATED - 61_000, CREATED + 6_000], undefined],
  ])('without a kept StartedTimestamp, matches by time %s', (_name, starts, expected) => {
    // Prepare
    const entries = starts.map((startedTimestamp) => entry({ startedTimestamp }));

    // Act
    const found = matchMoveTask(record(), entries);

    // Assess
    expect(found).toBe(expected === undefined ? undefined : entries[expected]);
  });
});
