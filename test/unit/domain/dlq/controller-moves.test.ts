import { controllerMovesSince, type TaskMovesReader,taskMovesReaderOf } from '../../../../lambda/domain/dlq/controller-moves';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { TaskStatus } from '../../../../lambda/domain/task-status';

const DLQ = 'arn:aws:sqs:us-east-1:111111111111:orders-dlq';

function task(taskId: string, status: TaskStatus, moved: number, createdAt = '2026-12-01T10:00:30.000Z', sourceArn = DLQ, more: Partial<TaskRecord> = {}): TaskRecord {
  // a native task's start as SQS tells it: a moment before its record is written
  const startedTimestamp = Date.parse(createdAt) - 200;
  return { startedTimestamp, ...more, taskId, taskHandle: taskId, sourceArn, status, approximateNumberOfMessagesMoved: moved, createdAt, updatedAt: createdAt, startedBy: 'me', origin: 'api', version: 1 };
}

/** The previous run started at 10:00:00 and had read every depth by 10:00:05. */
const previous = (taskMoves: Record<string, number>) => ({ asOf: '2026-12-01T10:00:00.000Z', depthsReadBy: '2026-12-01T10:00:05.000Z', taskMoves });

function reader(tasks: TaskRecord[]): TaskMovesReader & { gets: string[] } {
  const gets: string[] = [];
  return {
    gets,
    listActive: async () => tasks.filter((each) => each.status === TaskStatus.RUNNING || each.status === TaskStatus.CANCELLING),
    createdSince: async (since) => tasks.filter((each) => each.createdAt >= since),
    get: async (taskId) => {
      gets.push(taskId);
      return tasks.find((each) => each.taskId === taskId);
    },
  };
}

describe('controllerMovesSince', () => {
  it('counts what each task moved since the previous run, once, by source DLQ', async () => {
    // Prepare: `running` had moved 10 at the last run, `finished` 40 (it ended since), `quick` started and ended in between
    const tasks = reader([
      task('running', TaskStatus.RUNNING, 25, '2026-12-01T09:00:00.000Z'),
      task('finished', TaskStatus.COMPLETED, 100, '2026-12-01T09:30:00.000Z'),
      task('quick', TaskStatus.COMPLETED, 7),
      task('other', TaskStatus.RUNNING, 3, '2026-12-01T10:00:40.000Z', 'arn:aws:sqs:us-east-1:111111111111:other-dlq'),
      task('old', TaskStatus.COMPLETED, 500, '2026-12-01T08:00:00.000Z'),
    ]);

    // Act
    const result = await controllerMovesSince(tasks, previous({ running: 10, finished: 40 }));

    // Assess
    expect(Object.fromEntries(result.movedOut)).toEqual({ [DLQ]: 15 + 60 + 7, 'arn:aws:sqs:us-east-1:111111111111:other-dlq': 3 });
    expect(result.now).toEqual({ running: 25, other: 3 });
    expect(tasks.gets).toEqual(['finished']);
    expect([...result.active].sort()).toEqual([DLQ, 'arn:aws:sqs:us-east-1:111111111111:other-dlq']);
  });

  it('names the DLQs whose active task records moves after the depth shows them: a native one\'s, not the mover\'s', async () => {
    // Prepare: a native redrive of one DLQ, a selective one (the mover counts a batch before deleting it) of another
    const other = 'arn:aws:sqs:us-east-1:111111111111:other-dlq';
    const tasks = reader([task('native', TaskStatus.RUNNING, 5), task('selective', TaskStatus.RUNNING, 5, undefined, other, { kind: 'selective' })]);

    // Act
    const result = await controllerMovesSince(tasks, previous({ native: 0, selective: 0 }));

    // Assess
    expect([...result.recordedLate]).toEqual([DLQ]);
  });

  it.each([
    ['an archive without Delete: its messages stay in the DLQ (copied to the archive only)', { kind: 'archive' }, 0],
    ['an archive-replay: it reads the archive, not the DLQ its record names as source', { kind: 'archive-replay', archiveTaskId: 'a1' }, 0],
    ['an archive with Delete (a discard): each message leaves the DLQ once stored', { kind: 'archive', deleteAfterArchive: true }, 9],
    ['a one-message discard', { kind: 'selective', messageAction: 'discard', maxMessages: 1 }, 9],
    ['a selective redrive', { kind: 'selective' }, 9],
    ['a replay to the targets that failed', { kind: 'replay' }, 9],
    ['a native redrive (records before kinds existed too)', {}, 9],
  ] as Array<[string, Partial<TaskRecord>, number]>)('counts as moved out of the DLQ: %s', async (_, kind, expected) => {
    // Prepare: the task moved 9 since the previous run, and runs still
    const tasks = reader([task('t', TaskStatus.RUNNING, 12, '2026-12-01T09:00:00.000Z', DLQ, kind)]);

    // Act
    const result = await controllerMovesSince(tasks, previous({ t: 3 }));

    // Assess
    expect(result.movedOut.get(DLQ) ?? 0).toBe(expected);
    expect(result.active.has(DLQ)).toBe(expected > 0);
  });

  it.each([
    ['a native task SQS started before the previous run had read the depths (its record written after)', { kind: 'native', startedTimestamp: Date.parse('2026-12-01T10:00:04.000Z') }],
    ['a task started outside the controller and adopted since', { kind: 'native', origin: 'adopted', startedTimestamp: Date.parse('2026-12-01T09:58:00.000Z') }],
    ['a native task whose start SQS has not told', { kind: 'native', startedTimestamp: undefined }],
    ['a selective task created while the previous run read the depths', { kind: 'selective', createdAt: '2026-12-01T10:00:03.000Z' }],
  ] as Array<[string, Partial<TaskRecord>]>)('counts from its count now, not from 0, %s: some moves may be in the previous depth', async (_, more) => {
    // Prepare: the previous run did not see it; it has moved 30
    const tasks = reader([task('late', TaskStatus.RUNNING, 30, more.createdAt ?? '2026-12-01T10:00:20.000Z', DLQ, more)]);

    // Act
    const result = await controllerMovesSince(tasks, previous({}));

    // Assess: nothing now; the next run counts from 30
    expect(result.movedOut.get(DLQ)).toBeUndefined();
    expect(result.now).toEqual({ late: 30 });
    expect(result.active.has(DLQ)).toBe(true);
  });

  it('counts no unseen task from 0 when the previous run stored no depth time (an inventory saved before it was kept)', async () => {
    // Prepare
    const tasks = reader([task('new', TaskStatus.RUNNING, 30, '2026-12-01T10:00:20.000Z')]);

    // Act
    const result = await controllerMovesSince(tasks, { asOf: '2026-12-01T10:00:00.000Z' });

    // Assess
    expect(result.movedOut.get(DLQ)).toBeUndefined();
    expect(result.now).toEqual({ new: 30 });
  });

  it('does not count as moved out of the DLQ what a replay from its archive sent (S3 to a queue) or a copy-mode archive wrote (the DLQ kept it)', async () => {
    // Prepare: each task of the DLQ raised its count by 5 since the previous run
    const of = (taskId: string, more: Partial<TaskRecord>) => ({ ...task(taskId, TaskStatus.RUNNING, 10, '2026-12-01T09:00:00.000Z'), ...more });
    const tasks = reader([
      of('archive-replay', { kind: 'archive-replay', archiveTaskId: 'a-1' }),
      of('archive-copy', { kind: 'archive' }),
      of('archive-discard', { kind: 'archive', deleteAfterArchive: true }),
      of('selective', { kind: 'selective' }),
    ]);

    // Act
    const result = await controllerMovesSince(tasks, { asOf: '2026-12-01T10:00:00.000Z', taskMoves: { 'archive-replay': 5, 'archive-copy': 5, 'archive-discard': 5, selective: 5 } });

    // Assess: only the discard and the redrive took messages out of the DLQ
    expect(Object.fromEntries(result.movedOut)).toEqual({ [DLQ]: 10 });
  });

  it('reads the newest-first index only until it passes the previous run', async () => {
    // Prepare
    const pages = [
      { tasks: [task('b', TaskStatus.COMPLETED, 1, '2026-12-01T10:00:50.000Z'), task('a', TaskStatus.COMPLETED, 1, '2026-12-01T10:00:40.000Z')], nextToken: 't1' },
      { tasks: [task('z', TaskStatus.COMPLETED, 1, '2026-12-01T09:59:00.000Z')], nextToken: 't2' },
    ];
    const queried: Array<string | undefined> = [];
    const store = {
      listActive: async () => [],
      get: async () => undefined,
      query: async (query: { nextToken?: string }) => {
        queried.push(query.nextToken);
        return pages[queried.length - 1]!;
      },
    };

    // Act
    const found = await taskMovesReaderOf(store).createdSince('2026-12-01T10:00:00.000Z');

    // Assess
    expect(found.map((each) => each.taskId)).toEqual(['b', 'a']);
    expect(queried).toEqual([undefined, 't1']);
  });
});
