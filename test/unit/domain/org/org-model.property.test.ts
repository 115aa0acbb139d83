import fc from 'fast-check';

import { ingestOrgEvent } from '../../../../lambda/domain/operations/ingest-org-event';
import { type OrgEventEnvelope, parseOrgEvent } from '../../../../lambda/domain/org/org-change';
import { applyOrgChange, EMPTY_ORG_MODEL } from '../../../../lambda/domain/org/org-model';
import { InMemoryOrgStore } from '../../../support/in-memory-org-store';
import { inventoryEvent, recoveryEvent, taskEvent } from '../../../support/org-events';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const ACCOUNTS = ['111111111111', '222222222222'];
const STATUSES = ['RUNNING', 'CANCELLING', 'CANCELLED', 'COMPLETED'];
const RECOVERY_STATES = ['PAUSED', 'RECOVERING', 'IDLE', 'HELD'];

/** One history per account: each task's events at rising versions, and inventory runs at rising times. */
const histories = fc.tuple(
  fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), task: fc.integer({ min: 0, max: 4 }), steps: fc.integer({ min: 1, max: 4 }) }), { maxLength: 6 }),
  fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), dlqs: fc.dictionary(fc.constantFrom('a-dlq', 'b-dlq', 'c-dlq'), fc.nat(50)) }), { maxLength: 5 }),
  fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), queue: fc.constantFrom('a-dlq', 'b-dlq'), steps: fc.integer({ min: 1, max: 4 }) }), { maxLength: 4 }),
).map(([tasks, runs, recoveries]) => {
  const events: OrgEventEnvelope[] = [];
  const versions = new Map<string, number>();
  for (const { account, task, steps } of tasks) {
    for (let step = 0; step < steps; step += 1) {
      const key = `${account}/t-${task}`;
      const version = (versions.get(key) ?? 0) + 1;
      versions.set(key, version);
      // tasks 0 and 3, 1 and 4 are created at the same instant: the taskId decides which is newer
      const createdAt = `2026-12-01T09:00:0${task % 3}.000Z`;
      events.push(taskEvent({ account, taskId: `t-${task}`, version, status: STATUSES[version % STATUSES.length]!, queue: task % 3 === 2 ? 'b-dlq' : 'a-dlq', createdAt }));
    }
  }
  const recoveryVersions = new Map<string, number>();
  for (const { account, queue, steps } of recoveries) {
    for (let step = 0; step < steps; step += 1) {
      const key = `${account}/${queue}`;
      const version = (recoveryVersions.get(key) ?? 0) + 1;
      recoveryVersions.set(key, version);
      events.push(recoveryEvent({ account, queue, version, to: RECOVERY_STATES[version % RECOVERY_STATES.length]!, runId: `run-${version}` }));
    }
  }
  const previous = new Map<string, string[]>();
  runs.forEach(({ account, dlqs }, run) => {
    const names = Object.keys(dlqs);
    const removed = (previous.get(account) ?? []).filter((name) => !names.includes(name));
    previous.set(account, names);
    const counts = Object.values(dlqs);
    const totals = { DeadLetterQueues: counts.length, ApproximateNumberOfMessages: counts.reduce((sum, n) => sum + n, 0), ApproximateNumberOfMessagesNotVisible: 0 };
    events.push(inventoryEvent({ account, asOf: `2026-12-01T10:${String(run).padStart(2, '0')}:00.000Z`, dlqs, removed, totals }));
  });
  return events;
});

/** The same events, each delivered one or more times, in any order (EventBridge's at least once). */
function deliveries(events: readonly OrgEventEnvelope[]): fc.Arbitrary<OrgEventEnvelope[]> {
  return fc.array(fc.integer({ min: 1, max: 3 }), { minLength: events.length, maxLength: events.length }).chain((copies) => {
    const sent = events.flatMap((event, at) => Array.from({ length: copies[at]! }, () => event));
    return fc.shuffledSubarray(sent, { minLength: sent.length });
  });
}

/** one clock for every delivery: each task row keeps the instant its event arrived (OrgTask.receivedMs) */
const NOW = new Date();

describe('the org read model under any order and repetition (property-based)', () => {
  it(`ends in the same model as the events in order, once each (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(histories.chain((events) => fc.tuple(fc.constant(events), deliveries(events))), async ([events, delivered]) => {
        // Prepare
        const inOrder = events.reduce((model, event) => applyOrgChange(model, parseOrgEvent(event, NOW)), EMPTY_ORG_MODEL);
        const store = new InMemoryOrgStore();

        // Act
        const pure = delivered.reduce((model, event) => applyOrgChange(model, parseOrgEvent(event, NOW)), EMPTY_ORG_MODEL);
        for (const event of delivered) await ingestOrgEvent(store, event, NOW);

        // Assess
        expect(pure).toEqual(inOrder);
        expect(store.model()).toEqual(inOrder);
      }),
      { numRuns: RUNS },
    );
  });

  it(`holds each task at its newest version and each DLQ at its newest run (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(histories.chain((events) => fc.tuple(fc.constant(events), deliveries(events))), ([events, delivered]) => {
        // Act
        const model = delivered.reduce((held, event) => applyOrgChange(held, parseOrgEvent(event, NOW)), EMPTY_ORG_MODEL);

        // Assess: the latest state, computed from the events directly
        const newest = new Map<string, number>();
        for (const event of events) {
          const change = parseOrgEvent(event, NOW);
          if (change.kind === 'task') newest.set(`${change.accountId}/${change.task.taskId}`, Math.max(newest.get(`${change.accountId}/${change.task.taskId}`) ?? 0, change.task.version));
        }
        expect(new Map([...model.tasks].map(([key, task]) => [key, task.version]))).toEqual(newest);
        const newestRecovery = new Map<string, number>();
        for (const event of events) {
          const change = parseOrgEvent(event, NOW);
          if (change.kind === 'recovery') newestRecovery.set(change.recovery.queueArn, Math.max(newestRecovery.get(change.recovery.queueArn) ?? 0, change.recovery.version));
        }
        const newestOfDlq = new Map<string, string>();
        for (const task of model.tasks.values()) {
          const held = newestOfDlq.get(task.sourceArn);
          const heldTask = held === undefined ? undefined : model.tasks.get(held);
          if (!heldTask || task.createdAt > heldTask.createdAt || (task.createdAt === heldTask.createdAt && task.taskId > heldTask.taskId)) newestOfDlq.set(task.sourceArn, `${task.accountId}/${task.taskId}`);
        }
        // each DLQ holds its newest task at that task's newest version
        expect(new Map([...model.dlqTasks].map(([arn, task]) => [arn, task]))).toEqual(new Map([...newestOfDlq].map(([arn, key]) => [arn, model.tasks.get(key)])));
        expect(new Map([...model.recoveries].map(([arn, recovery]) => [arn, recovery.version]))).toEqual(newestRecovery);
        const lastRun = new Map<string, OrgEventEnvelope>();
        for (const event of events) if (parseOrgEvent(event, NOW).kind === 'inventory') lastRun.set(String(event.account), event);
        for (const [account, event] of lastRun) {
          const listed = [...model.dlqs.values()].filter((dlq) => dlq.accountId === account && !dlq.removed).map((dlq) => [dlq.queueName, dlq.approximateNumberOfMessages]);
          const expected = ((event.detail as { dlqs: { QueueName: string; ApproximateNumberOfMessages: number }[] }).dlqs).map((dlq) => [dlq.QueueName, dlq.ApproximateNumberOfMessages]);
          expect(new Map(listed as [string, number][])).toEqual(new Map(expected as [string, number][]));
          const sent = (event.detail as { totals: { DeadLetterQueues: number; ApproximateNumberOfMessages: number } }).totals;
          expect(model.accounts.get(account)?.inventoryTotals).toMatchObject({ deadLetterQueues: sent.DeadLetterQueues, approximateNumberOfMessages: sent.ApproximateNumberOfMessages });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
