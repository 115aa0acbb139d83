import { ingestOrgEvent } from '../../../../lambda/domain/operations/ingest-org-event';
import { parseOrgEvent } from '../../../../lambda/domain/org/org-change';
import { encodeTaskHandle } from '../../../../lambda/domain/task-handle';
import { InMemoryOrgStore } from '../../../support/in-memory-org-store';
import { inventoryEvent, recoveryEvent, taskEvent } from '../../../support/org-events';

const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
/** the org view's clock: the fixtures' day, two hours after their tasks were created */
const NOW = new Date('2026-12-01T11:00:00.000Z');
const OWN_QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT_A}:orders-dlq`;
const FAR_FUTURE = '9999-12-31T23:59:59.000Z';

function withDetail<T extends ReturnType<typeof taskEvent>>(event: T, fields: Record<string, unknown>): T {
  return { ...event, detail: { ...(event.detail as object), ...fields } };
}

/** Events a member account could put with `source: redrive-controller`: each must leave no row it does not own. */
describe('forged org events', () => {
  it("keeps a task's TaskHandle only when it decodes to that task's own id and queue in the sending account", () => {
    // Prepare
    const started = taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1, status: 'RUNNING' });
    const handles = {
      own: encodeTaskHandle('t-1', OWN_QUEUE),
      foreign: encodeTaskHandle('t-b', `arn:aws:sqs:us-east-1:${ACCOUNT_B}:orders-dlq`),
      otherTask: encodeTaskHandle('t-2', OWN_QUEUE),
      otherQueue: encodeTaskHandle('t-1', `arn:aws:sqs:us-east-1:${ACCOUNT_A}:payments-dlq`),
      notAHandle: 'bm90IGEgaGFuZGxl',
    };

    // Act
    const views = Object.fromEntries(Object.entries(handles).map(([name, handle]) => {
      const change = parseOrgEvent(withDetail(started, { TaskHandle: handle }), NOW);
      return [name, change.kind === 'task' ? change.task.view : change];
    }));

    // Assess: the row is kept, a handle that routes elsewhere is not
    expect(views.own).toMatchObject({ TaskHandle: handles.own, taskId: 't-1' });
    for (const name of ['foreign', 'otherTask', 'otherQueue', 'notAHandle']) {
      expect(views[name]).toMatchObject({ taskId: 't-1', Status: 'RUNNING' });
      expect(views[name]).not.toHaveProperty('TaskHandle');
    }
  });

  it.each([
    ['a task version of 2^53-1', () => taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: Number.MAX_SAFE_INTEGER, status: 'RUNNING' }), /version 9007199254740991 is more writes than its record can have had/],
    ['a task version more than 1,000 writes a second since its createdAt', () => taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 7_200_000 + 300_000 + 2, status: 'RUNNING' }), /more writes/],
    ['a task created in year 9999', () => taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1, status: 'RUNNING', createdAt: FAR_FUTURE }), /createdAt/],
    ['a task created before SQS had move tasks (any version fits since 1970)', () => taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1e12, status: 'RUNNING', createdAt: '1970-01-01T00:00:00.000Z' }), /createdAt/],
    ['an event time in year 9999', () => taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1, status: 'RUNNING', time: '9999-12-31T23:59:59Z' }), /ahead of the org view's clock/],
    ['an inventory asOf in year 9999', () => ({ ...inventoryEvent({ account: ACCOUNT_A, asOf: FAR_FUTURE, dlqs: { 'orders-dlq': 0 } }), time: '2026-12-01T11:00:00Z' }), /asOf 9999-12-31T23:59:59.000Z is more than 5 minutes ahead/],
    ['a recovery version of 2^53-1', () => recoveryEvent({ account: ACCOUNT_A, queue: 'orders-dlq', version: Number.MAX_SAFE_INTEGER, to: 'PAUSED' }), /version 9007199254740991 is more writes/],
    ['a recovery At in year 9999', () => ({ ...recoveryEvent({ account: ACCOUNT_A, queue: 'orders-dlq', version: 2, to: 'PAUSED', at: FAR_FUTURE }), time: '2026-12-01T11:00:00Z' }), /At 9999/],
  ])('ignores %s', (_name, event, reason) => {
    expect(parseOrgEvent(event(), NOW)).toEqual({ kind: 'ignored', reason: expect.stringMatching(reason) });
  });

  it('accepts what a true clock writes: a time within the skew, a version within the writes since createdAt', () => {
    // Act
    const skewed = parseOrgEvent(taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 7_200_000, status: 'RUNNING', time: '2026-12-01T11:04:00Z' }), NOW);
    const inventory = parseOrgEvent(inventoryEvent({ account: ACCOUNT_A, asOf: '2026-12-01T11:04:59.000Z', dlqs: {} }), NOW);

    // Assess
    expect([skewed.kind, inventory.kind]).toEqual(['task', 'inventory']);
  });

  it.each([
    // the review's forgery: createdAt moved back to 2023-06-01 made ~1.1e11 versions plausible
    ['an earlier createdAt and 1e11 versions', { version: 100_000_000_000, createdAt: '2023-06-01T00:00:00.000Z' }],
    ['an earlier createdAt and a modest version', { version: 50, createdAt: '2026-12-01T08:00:00.000Z' }],
    // within the writes since the true createdAt (2 h: 7.2 million), but far more than since the held event arrived
    ['its own createdAt and a plausible-but-huge version', { version: 7_000_000 }],
  ])('does not let a forged event with %s freeze a task: its next true event still applies', async (_name, forgery) => {
    // Prepare
    const store = new InMemoryOrgStore();
    await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1, status: 'RUNNING' }), NOW);
    const forgedEvent = taskEvent({ account: ACCOUNT_A, taskId: 't-1', status: 'CANCELLED', version: forgery.version, ...('createdAt' in forgery ? { createdAt: forgery.createdAt } : {}) });

    // Act
    const forged = await ingestOrgEvent(store, forgedEvent, new Date(NOW.getTime() + 1_000));
    const next = await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 2, status: 'CANCELLING' }), new Date(NOW.getTime() + 2_000));

    // Assess: the task's row, and the DLQ row's newest task, follow the true events
    expect(forged).toMatchObject({ applied: 0 });
    expect(next).toMatchObject({ kind: 'task', applied: 2 });
    expect(store.dlqTasks.get(OWN_QUEUE)).toMatchObject({ taskId: 't-1', version: 2, status: 'CANCELLING' });
    expect(store.tasks.get(`${ACCOUNT_A}/t-1`)).toMatchObject({ version: 2, status: 'CANCELLING', createdAt: '2026-12-01T09:00:00.000Z' });
  });

  it("accepts a true task's versions as fast as its item can take writes, and one far behind its delivery", async () => {
    const store = new InMemoryOrgStore();
    await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1, status: 'RUNNING' }), NOW);
    // 10 s later: up to 10,000 writes since, plus the 5-minute skew's 300,000
    const later = await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 310_000, status: 'COMPLETED' }), new Date(NOW.getTime() + 10_000));
    expect(later).toMatchObject({ kind: 'task', applied: 2 });
  });

  it('does not let a forged future version freeze a task: its next true event still applies', async () => {
    // Prepare
    const store = new InMemoryOrgStore();
    await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 1, status: 'RUNNING' }), NOW);

    // Act
    const forged = await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: Number.MAX_SAFE_INTEGER, status: 'CANCELLED' }), NOW);
    const next = await ingestOrgEvent(store, taskEvent({ account: ACCOUNT_A, taskId: 't-1', version: 2, status: 'CANCELLING' }), NOW);

    // Assess
    expect(forged).toMatchObject({ kind: 'ignored', applied: 0 });
    expect(next).toMatchObject({ kind: 'task', applied: 2 });
    expect(store.tasks.get(`${ACCOUNT_A}/t-1`)).toMatchObject({ version: 2, status: 'CANCELLING' });
  });
});
