import { reconcileTasks } from '../../../../lambda/domain/operations/reconcile-tasks';
import { withEvent } from '../../../../lambda/domain/transitions';
import { fakeDependencies, queueArn, recordedTask, type FakeDependencies } from '../../../support/fake-dependencies';

const NOW = '2024-05-01T12:00:00.000Z'; // the fakes' clock
const options = { retentionDays: 90, inFlightGraceSeconds: 120, discoveryQueues: [] };

describe('reconcileTasks', () => {
  let deps: FakeDependencies;
  beforeEach(() => {
    deps = fakeDependencies();
  });

  it('re-issues a cancel that never reached SQS only once the claimer\'s grace is over', async () => {
    // Prepare
    const fresh = recordedTask('managed-a-dlq', { taskId: 'fresh', status: 'CANCELLING', cancelRequestedAt: '2024-05-01T11:59:30.000Z' });
    const stuck = recordedTask('managed-b-dlq', { taskId: 'stuck', status: 'CANCELLING', cancelRequestedAt: '2024-05-01T11:50:00.000Z' });
    for (const task of [fresh, stuck]) {
      await deps.store.create(task);
      deps.sqs.entries.push({ taskHandle: task.taskHandle, status: 'RUNNING', sourceArn: task.sourceArn, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    }
    // Act
    const summary = await reconcileTasks(deps, options);
    // Assess
    expect(summary.cancelsReissued).toBe(1);
    expect(deps.sqs.cancelled).toEqual([stuck.taskHandle]);
  });

  it('leaves events to their writer within the grace and takes them on after it', async () => {
    // Prepare
    const recent = withEvent(recordedTask('managed-a-dlq', { taskId: 'recent' }), 'Message Move Task Started', '2024-05-01T11:59:00.000Z');
    const stale = withEvent(recordedTask('managed-b-dlq', { taskId: 'stale', status: 'COMPLETED' }), 'Message Move Task Completed', '2024-05-01T11:00:00.000Z');
    await deps.store.create(recent);
    await deps.store.create(stale);
    deps.sqs.entries.push({ taskHandle: recent.taskHandle, status: 'RUNNING', sourceArn: recent.sourceArn, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    // Act
    const summary = await reconcileTasks(deps, options);
    // Assess
    expect(summary.redrained).toBe(1);
    expect(deps.events.published.map((event) => event.id)).toEqual(['stale:completed:1']);
    expect((await deps.store.get('stale'))!.outbox).toBeUndefined();
    expect((await deps.store.get('recent'))!.outbox).toHaveLength(1);
  });

  it('adopts RUNNING tasks on watched queues, once', async () => {
    // Prepare
    const source = queueArn('managed-console-dlq');
    const handle = Buffer.from(JSON.stringify({ taskId: 'outside', sourceArn: source })).toString('base64');
    deps.sqs.entries.push({ taskHandle: handle, status: 'RUNNING', sourceArn: source, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    // Act
    const first = await reconcileTasks(deps, { ...options, discoveryQueues: [source] });
    const second = await reconcileTasks(deps, { ...options, discoveryQueues: [source] });
    // Assess
    expect([first.adopted, second.adopted]).toEqual([1, 0]);
    expect(await deps.store.get('outside')).toMatchObject({ origin: 'adopted', status: 'RUNNING', createdAt: NOW });
    expect(deps.events.published.map((event) => event.id)).toEqual(['outside:started:1']);
  });
});
