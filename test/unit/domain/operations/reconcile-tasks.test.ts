import { reconcileTasks } from '../../../../lambda/domain/operations/reconcile-tasks';
import { SqsError } from '../../../../lambda/domain/sqs-error';
import { withEvent } from '../../../../lambda/domain/transitions';
import { type FakeDependencies,fakeDependencies, queueArn, recordedTask } from '../../../support/fake-dependencies';

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

  it('gives a CANCELLING task back to RUNNING with lastCancelError when SQS refuses the re-issued cancel for good', async () => {
    // Prepare
    const claimed = withEvent(
      recordedTask('managed-a-dlq', { taskId: 'denied', status: 'CANCELLING', cancelRequestedAt: '2024-05-01T11:50:00.000Z', cancelledBy: 'ops', version: 2 }),
      'Message Move Task Cancel Requested',
      '2024-05-01T11:50:00.000Z',
    );
    await deps.store.create(claimed);
    deps.sqs.entries.push({ taskHandle: claimed.taskHandle, status: 'RUNNING', sourceArn: claimed.sourceArn, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    deps.sqs.failures.push(new SqsError('AccessDenied', 'not authorized to perform sqs:CancelMessageMoveTask'));
    // Act
    const first = await reconcileTasks(deps, options);
    const second = await reconcileTasks(deps, options);
    // Assess
    const record = (await deps.store.get('denied'))!;
    expect(record).toMatchObject({ status: 'RUNNING', cancelRequestedAt: undefined, cancelledBy: undefined });
    expect(record.lastCancelError).toContain('AccessDenied: not authorized');
    expect(record.outbox).toBeUndefined();
    expect(deps.events.published).toEqual([]);
    expect([first.cancelsReleased, first.errors, second.errors]).toEqual([1, 1, 0]);
  });

  it('keeps re-issuing a cancel SQS throttled: throttling is no refusal', async () => {
    // Prepare
    const claimed = recordedTask('managed-a-dlq', { taskId: 'throttled', status: 'CANCELLING', cancelRequestedAt: '2024-05-01T11:50:00.000Z' });
    await deps.store.create(claimed);
    deps.sqs.entries.push({ taskHandle: claimed.taskHandle, status: 'RUNNING', sourceArn: claimed.sourceArn, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    deps.sqs.failures.push(new SqsError('RequestThrottled', 'Rate exceeded'));
    // Act
    const first = await reconcileTasks(deps, options);
    const second = await reconcileTasks(deps, options);
    // Assess
    expect(first.cancelsReleased).toBe(0);
    expect((await deps.store.get('throttled'))!.status).toBe('CANCELLING');
    expect(second.cancelsReissued).toBe(1);
    expect(deps.sqs.cancelled).toEqual([claimed.taskHandle]);
  });

  it('keeps re-issuing a cancel that failed for SQS\'s own fault', async () => {
    // Prepare
    const claimed = recordedTask('managed-a-dlq', { taskId: 'flaky', status: 'CANCELLING', cancelRequestedAt: '2024-05-01T11:50:00.000Z' });
    await deps.store.create(claimed);
    deps.sqs.entries.push({ taskHandle: claimed.taskHandle, status: 'RUNNING', sourceArn: claimed.sourceArn, approximateNumberOfMessagesMoved: 0, startedTimestamp: 1 });
    deps.sqs.failures.push(new SqsError('ServiceUnavailable', 'try again', 503));
    // Act
    await reconcileTasks(deps, options);
    const second = await reconcileTasks(deps, options);
    // Assess
    expect((await deps.store.get('flaky'))!.status).toBe('CANCELLING');
    expect(second.cancelsReissued).toBe(1);
  });

  it.each(['ResourceNotFoundException', 'QueueDoesNotExist'])('settles the active tasks of a deleted queue as FAILED (%s)', async (code) => {
    // Prepare
    const running = recordedTask('managed-gone-dlq', { taskId: 'gone-running' });
    const cancelling = recordedTask('managed-gone-dlq', { taskId: 'gone-cancelling', status: 'CANCELLING', createdAt: '2024-05-01T11:01:00.000Z' });
    await deps.store.create(running);
    await deps.store.create(cancelling);
    deps.sqs.list = async () => {
      throw new SqsError(code, 'The specified queue does not exist.');
    };
    // Act
    const first = await reconcileTasks(deps, options);
    const second = await reconcileTasks(deps, options);
    // Assess
    for (const taskId of ['gone-running', 'gone-cancelling']) {
      expect(await deps.store.get(taskId)).toMatchObject({
        status: 'FAILED',
        failureReason: 'source queue no longer exists',
        completedAt: NOW,
        expiresAt: Date.parse(NOW) / 1000 + 90 * 86_400,
      });
    }
    expect(deps.events.published.map((event) => event.id).sort()).toEqual(['gone-cancelling:failed:2', 'gone-running:failed:2']);
    expect([first.queueGone, first.errors, second.active, second.errors]).toEqual([2, 0, 0, 0]);
  });

  it('waits out a grace before settling a task of a queue reported missing, counting it as an error meanwhile', async () => {
    // Prepare: written ten minutes ago; SQS says the same for a queue we lost access to
    await deps.store.create(recordedTask('managed-gone-dlq', { taskId: 'recent', updatedAt: '2024-05-01T11:50:00.000Z' }));
    deps.sqs.list = async () => {
      throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist or you do not have access to it.');
    };
    // Act
    const summary = await reconcileTasks(deps, options);
    // Assess
    expect((await deps.store.get('recent'))!.status).toBe('RUNNING');
    expect([summary.queueGone, summary.errors]).toEqual([0, 1]);
    expect(deps.events.published).toEqual([]);
  });

  it('leaves an active task SQS does not list as recorded, and counts it as an error once it is old', async () => {
    // Prepare: one just written, one untouched for an hour; SQS lists neither
    await deps.store.create(recordedTask('managed-a-dlq', { taskId: 'new', updatedAt: '2024-05-01T11:59:50.000Z' }));
    await deps.store.create(recordedTask('managed-b-dlq', { taskId: 'lost' }));
    // Act
    const summary = await reconcileTasks(deps, options);
    // Assess
    expect([summary.unmatched, summary.errors]).toEqual([2, 1]);
    expect((await deps.store.get('lost'))!.status).toBe('RUNNING');
  });

  it('counts other failures to list a queue as errors and leaves its tasks as recorded', async () => {
    // Prepare
    await deps.store.create(recordedTask('managed-a-dlq', { taskId: 'kept' }));
    deps.sqs.list = async () => {
      throw new SqsError('AccessDenied', 'not authorized to perform sqs:ListMessageMoveTasks');
    };
    // Act
    const summary = await reconcileTasks(deps, options);
    // Assess
    expect(summary.errors).toBe(1);
    expect((await deps.store.get('kept'))!.status).toBe('RUNNING');
  });
});
