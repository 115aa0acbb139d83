import { offersArchive } from '../../../../lambda/domain/archive/offered-archive';
import { listArchives } from '../../../../lambda/domain/operations/read-archives';
import { startArchiveReplay } from '../../../../lambda/domain/operations/start-archive-replay';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { fakeDependencies, recordedTask } from '../../../support/fake-dependencies';

const ended = (status: TaskStatus, moved: number, overrides: Parameters<typeof recordedTask>[1] = {}) =>
  recordedTask('orders-dlq', { taskId: `t-${status}-${moved}-${overrides.messageAction ?? overrides.kind}`, status, approximateNumberOfMessagesMoved: moved, ...overrides });

describe('offersArchive', () => {
  it.each([
    ['a failed edit that archived nothing it counted', ended(TaskStatus.FAILED, 0, { kind: 'replay', messageAction: 'edit' }), false],
    ['a completed archive of an empty selection', ended(TaskStatus.COMPLETED, 0, { kind: 'archive' }), false],
    ['a cancelled discard that counted none', ended(TaskStatus.CANCELLED, 0, { kind: 'selective', messageAction: 'discard' }), false],
    ['a done edit', ended(TaskStatus.COMPLETED, 1, { kind: 'selective', messageAction: 'edit' }), true],
    ['an archive that failed after archiving some', ended(TaskStatus.FAILED, 3, { kind: 'archive' }), true],
    ['a running archive (its messages still to come)', ended(TaskStatus.RUNNING, 0, { kind: 'archive' }), true],
    ['a completed redrive (no archive at all)', ended(TaskStatus.COMPLETED, 5, { kind: 'selective' }), false],
  ])('%s: %s', (_, record, offered) => {
    expect(offersArchive(record)).toBe(offered);
  });
});

describe('archives that hold nothing', () => {
  it('are not listed by GET /archives, and replaying one is refused with a 400 saying why', async () => {
    // Prepare
    const deps = fakeDependencies();
    const failedEdit = ended(TaskStatus.FAILED, 0, { kind: 'replay', messageAction: 'edit', failureReason: 'EditedMessageUnroutable' });
    const done = ended(TaskStatus.COMPLETED, 2, { kind: 'archive' });
    for (const record of [failedEdit, done]) await deps.store.create(record);

    // Act
    const page = await listArchives(deps, { queue: 'orders-dlq' });
    const replay = startArchiveReplay(deps, failedEdit.taskId, { Reason: 'again' }, { by: 'operator', origin: 'api' });

    // Assess
    expect(page.archives.map((record) => record.taskId)).toEqual([done.taskId]);
    await expect(replay).rejects.toMatchObject({ code: 'InvalidParameterValue', message: expect.stringContaining('holds no message') });
  });
});
