import { replayArchiveRoute } from '../../../../lambda/adapters/http/handle-archive-route';
import type { RequestSummary } from '../../../../lambda/adapters/http/handle-http-request';
import type { ControllerDependencies } from '../../../../lambda/domain/ports';
import { REASON_OPTIONAL } from '../../../../lambda/domain/reason-policy';
import { TaskStatus } from '../../../../lambda/domain/task-status';
import { fakeDependencies, recordedTask } from '../../../support/fake-dependencies';
import { FakeDlq, FakeHolds } from '../../../support/fake-dlq';

/** POST /archives/archive-1/replay with `params`; answers the replay task recorded. */
async function replayWith(params: Record<string, unknown>) {
  const base = fakeDependencies();
  base.store.records.set('archive-1', recordedTask('managed-orders-dlq', { taskId: 'archive-1', kind: 'archive', status: TaskStatus.COMPLETED, approximateNumberOfMessagesMoved: 4 }));
  const archive = { put: async () => {}, list: async () => ({ keys: [], more: false }), read: async () => undefined };
  const deps = { ...base, archive, mover: { invoke: async () => {} }, messages: new FakeDlq('unused'), holds: new FakeHolds() } as unknown as ControllerDependencies;
  const summary: RequestSummary = { route: 'replay-archive', outcome: '', statusCode: 0 };
  const response = await replayArchiveRoute(deps, 'archive-1', params, 'arn:aws:iam::123456789012:role/operator', summary, REASON_OPTIONAL, 'req-1');
  expect(response.statusCode).toBe(200);
  return base.store.records.get(summary.taskId!)!;
}

describe('POST /archives/{taskId}/replay, Force', () => {
  it.each([[true], ['true']])('records force: true for "Force": %p, as parseStartRequest reads it', async (force) => {
    const record = await replayWith({ Reason: 'consumer fixed', Force: force });
    expect(record).toMatchObject({ kind: 'archive-replay', force: true });
  });

  it('records no force without it', async () => {
    const record = await replayWith({ Reason: 'consumer fixed' });
    expect(record.force).toBeUndefined();
  });
});
