import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { archiveExpiring } from '../../../../lambda/domain/operations/archive-expiring';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { sqsDlq } from '../../../support/dead-letter-queue-fixture';

const NOW = Date.parse('2026-01-10T00:00:00Z');
const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;
const dlq = (name: string, expiresInSeconds: number | undefined, messages = 3): DeadLetterQueue => sqsDlq(name, messages, {
  retentionSeconds: 3600,
  ...(expiresInSeconds === undefined ? {} : { oldestMessageExpiresAt: new Date(NOW + expiresInSeconds * 1000).toISOString() }),
});

describe('archiveExpiring', () => {
  it('starts one archive+delete task per DLQ whose oldest message expires within the window, selecting only the expiring ones', async () => {
    // Prepare
    const started: Array<{ dlqArn: string; sentBefore: number; reason: string }> = [];
    const deps = {
      inventory: { load: async () => ({ asOf: new Date(NOW).toISOString(), dlqs: [dlq('soon', 60), dlq('later', 7200), dlq('undated', undefined), dlq('busy', 30), dlq('empty', 10, 0)] }), save: async () => true },
      // a replay from the archive of 'soon' never touches the DLQ: no reason to wait for it
      store: { listActive: async () => [{ sourceArn: arn('busy') } as TaskRecord, { sourceArn: arn('soon'), kind: 'archive-replay' } as TaskRecord] },
      archiver: { archiveAndDelete: async (dlqArn: string, selection: { sentBefore: number }, reason: string) => (started.push({ dlqArn, sentBefore: selection.sentBefore, reason }), 'task-1') },
      clock: { now: () => new Date(NOW) },
      log: { warn: () => undefined, error: () => undefined },
    };

    // Act
    const summary = await archiveExpiring(deps, 600);

    // Assess: sent before now + 600 s - 3600 s retention: exactly the messages that go within 600 s
    expect(summary).toEqual({ expiring: 2, started: 1, busy: 1, errors: 0 });
    expect(started).toEqual([{ dlqArn: arn('soon'), sentBefore: NOW + 600_000 - 3_600_000, reason: expect.stringMatching(/^archiveBeforeExpiry: messages of this DLQ expire within 600 s \(the oldest at 2026-01-10T00:01:00.000Z\)/) }]);
  });

  it('counts a refused start and goes on with the next DLQ', async () => {
    // Prepare
    let calls = 0;
    const deps = {
      inventory: { load: async () => ({ asOf: '', dlqs: [dlq('a', 1), dlq('b', 1)] }), save: async () => true },
      store: { listActive: async () => [] },
      archiver: {
        archiveAndDelete: async () => {
          calls += 1;
          if (calls === 1) throw new SqsError('InvalidParameterValue', 'There is already a task running.');
          return 'task-2';
        },
      },
      clock: { now: () => new Date(NOW) },
      log: { warn: () => undefined, error: () => undefined },
    };

    // Act
    const summary = await archiveExpiring(deps, 60);

    // Assess
    expect(summary).toEqual({ expiring: 2, started: 1, busy: 0, errors: 1 });
  });

  it('starts no second archive on a DLQ it archived since the inventory was taken (the inventory is stale until its next run)', async () => {
    // Prepare: our archive of 'soon' started after the inventory's asOf; 'other' had only a person's redrive since
    const asOf = new Date(NOW - 60_000).toISOString();
    const newest = new Map([[arn('soon'), { sourceArn: arn('soon'), origin: 'expiry', createdAt: new Date(NOW - 30_000).toISOString() }], [arn('other'), { sourceArn: arn('other'), origin: 'api', createdAt: new Date(NOW - 30_000).toISOString() }]]);
    const started: string[] = [];
    const deps = {
      inventory: { load: async () => ({ asOf, dlqs: [dlq('soon', 60), dlq('other', 60)] }), save: async () => true },
      store: { listActive: async () => [], query: async ({ sourceArn }: { sourceArn?: string }) => ({ tasks: [newest.get(sourceArn!) as TaskRecord] }) },
      archiver: { archiveAndDelete: async (dlqArn: string) => (started.push(dlqArn), 'task-3') },
      clock: { now: () => new Date(NOW) },
      log: { warn: () => undefined, error: () => undefined },
    };

    // Act
    const summary = await archiveExpiring(deps, 600);

    // Assess
    expect(summary).toEqual({ expiring: 2, started: 1, busy: 1, errors: 0 });
    expect(started).toEqual([arn('other')]);
  });

  it('starts no empty archive every tick once a completed archive of ours deleted the oldest message the inventory still keeps', async () => {
    // Prepare: retention 4 d, window 1 d; A (sent 3.5 d ago) was archived and deleted at tick 1, B (sent 1 h ago) stays.
    // The inventory keeps A's SentTimestamp until A would have expired; 'fresh' was sampled after its archive
    // completed (a message sent that early arrived since), so it gets one more archive
    const day = 86_400_000;
    const sentA = NOW - 3.5 * day;
    const archivedAt = new Date(NOW - 2 * 60_000).toISOString();
    const kept = (name: string, sampledAt: string) => sqsDlq(name, 1, {
      retentionSeconds: 4 * 86_400, oldestSentTimestamp: sentA, sentTimestampsSampledAt: sampledAt, oldestMessageExpiresAt: new Date(sentA + 4 * day).toISOString(),
    });
    const archive = (name: string) => ({ sourceArn: arn(name), origin: 'expiry', status: 'COMPLETED', sentBefore: NOW - 3 * day - 60_000, createdAt: archivedAt, completedAt: archivedAt, updatedAt: archivedAt }) as TaskRecord;
    const started: string[] = [];
    const deps = {
      inventory: { load: async () => ({ asOf: new Date(NOW - 30_000).toISOString(), dlqs: [kept('stale', new Date(NOW - 5 * 60_000).toISOString()), kept('fresh', new Date(NOW - 30_000).toISOString())] }), save: async () => true },
      store: { listActive: async () => [], query: async ({ sourceArn }: { sourceArn?: string }) => ({ tasks: [archive(sourceArn!.split(':').pop()!)] }) },
      archiver: { archiveAndDelete: async (dlqArn: string) => (started.push(dlqArn), 'task-4') },
      clock: { now: () => new Date(NOW) },
      log: { warn: () => undefined, error: () => undefined },
    };

    // Act
    const summary = await archiveExpiring(deps, 86_400);

    // Assess
    expect(summary).toEqual({ expiring: 2, started: 1, busy: 1, errors: 0 });
    expect(started).toEqual([arn('fresh')]);
  });
});
