import { type ControllerCounter, NO_METRICS } from '../../../lambda/domain/controller-metrics';
import { meteredTaskStore } from '../../../lambda/domain/metered-task-store';
import type { TaskStore } from '../../../lambda/domain/ports';
import type { TaskRecord } from '../../../lambda/domain/task-record';
import { TaskStatus } from '../../../lambda/domain/task-status';

function task(status: TaskStatus, moved: number, more: Partial<TaskRecord> = {}): TaskRecord {
  return { ...more, taskId: 't', taskHandle: 'h', sourceArn: 'arn:aws:sqs:us-east-1:111111111111:dlq', status, approximateNumberOfMessagesMoved: moved, createdAt: 'x', updatedAt: 'x', startedBy: 'me', origin: 'api', version: 1 };
}

describe('meteredTaskStore', () => {
  function setup(wins: boolean) {
    const counted: Array<[ControllerCounter, number]> = [];
    const store = { create: async () => wins, replace: async () => wins } as unknown as TaskStore;
    return { counted, metered: meteredTaskStore(store, { ...NO_METRICS, count: (name, value) => counted.push([name, value]) }) };
  }

  it('counts a start, the messages moved since the last write, and the end, on writes that won', async () => {
    // Prepare
    const { counted, metered } = setup(true);

    // Act
    await metered.create(task(TaskStatus.RUNNING, 0));
    await metered.replace(task(TaskStatus.RUNNING, 0), task(TaskStatus.RUNNING, 40));
    await metered.replace(task(TaskStatus.RUNNING, 40), task(TaskStatus.FAILED, 45));
    await metered.replace(task(TaskStatus.CANCELLING, 5), task(TaskStatus.CANCELLED, 5));

    // Assess
    expect(counted).toEqual([
      ['RedrivesStarted', 1],
      ['MessagesMoved', 40],
      ['MessagesMoved', 5],
      ['RedrivesFailed', 1],
      ['RedrivesCancelled', 1],
    ]);
  });

  it('counts a replay\'s messages as replayed and a discard\'s as archived, never as moved too', async () => {
    // Prepare
    const { counted, metered } = setup(true);
    const replay = { kind: 'replay' } as const;
    const discard = { kind: 'selective', messageAction: 'discard', maxMessages: 1 } as const;

    // Act
    await metered.create(task(TaskStatus.RUNNING, 0, replay));
    await metered.replace(task(TaskStatus.RUNNING, 0, replay), task(TaskStatus.RUNNING, 7, replay));
    await metered.replace(task(TaskStatus.RUNNING, 7, replay), task(TaskStatus.COMPLETED, 10, replay));
    await metered.replace(task(TaskStatus.RUNNING, 0, discard), task(TaskStatus.COMPLETED, 1, discard));

    // Assess
    expect(counted).toEqual([
      ['RedrivesStarted', 1],
      ['MessagesReplayed', 7],
      ['MessagesReplayed', 3],
      ['MessagesArchived', 1],
    ]);
  });

  it.each([
    ['an archive without Delete (copied to the archive)', { kind: 'archive' }, 'MessagesArchived'],
    ['an archive with Delete (a discard of a selection)', { kind: 'archive', deleteAfterArchive: true }, 'MessagesArchived'],
    ['an archive-replay (archived messages delivered again)', { kind: 'archive-replay', archiveTaskId: 'a1' }, 'MessagesReplayed'],
    ['a one-message edit (its edited copy moved to a queue)', { kind: 'selective', messageAction: 'edit', maxMessages: 1 }, 'MessagesMoved'],
    ['a one-message retry', { kind: 'selective', messageAction: 'retry', maxMessages: 1 }, 'MessagesMoved'],
    ['a selective redrive', { kind: 'selective' }, 'MessagesMoved'],
    ['a native redrive', { kind: 'native' }, 'MessagesMoved'],
  ] as Array<[string, Partial<TaskRecord>, ControllerCounter]>)('counts the messages of %s under %s', async (_, kind, counter) => {
    // Prepare
    const { counted, metered } = setup(true);

    // Act
    await metered.replace(task(TaskStatus.RUNNING, 2, kind), task(TaskStatus.RUNNING, 6, kind));

    // Assess
    expect(counted).toEqual([[counter, 4]]);
  });

  it('counts nothing for a write that lost its race (the winner counted it)', async () => {
    // Prepare
    const { counted, metered } = setup(false);

    // Act
    await metered.create(task(TaskStatus.RUNNING, 0));
    await metered.replace(task(TaskStatus.RUNNING, 0), task(TaskStatus.COMPLETED, 9));

    // Assess
    expect(counted).toEqual([]);
  });
});
