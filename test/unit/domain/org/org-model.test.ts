import type { OrgEventEnvelope } from '../../../../lambda/domain/org/org-change';
import { parseOrgEvent } from '../../../../lambda/domain/org/org-change';
import { applyOrgChange, EMPTY_ORG_MODEL, type OrgModel } from '../../../../lambda/domain/org/org-model';
import { inventoryEvent, recoveryEvent, taskEvent } from '../../../support/org-events';

const ACCOUNT = '111111111111';

function modelOf(events: readonly OrgEventEnvelope[]): OrgModel {
  return events.reduce((model, event) => applyOrgChange(model, parseOrgEvent(event)), EMPTY_ORG_MODEL);
}

describe('applyOrgChange', () => {
  it('keeps the newer task version when an older event arrives after it', () => {
    // Act
    const model = modelOf([
      taskEvent({ account: ACCOUNT, taskId: 't-1', version: 5, status: 'CANCELLED' }),
      taskEvent({ account: ACCOUNT, taskId: 't-1', version: 1, status: 'RUNNING' }),
    ]);

    // Assess
    expect(model.tasks.get(`${ACCOUNT}/t-1`)).toMatchObject({ version: 5, status: 'CANCELLED' });
  });

  it('changes nothing on a repeat of the same event', () => {
    // Prepare
    const event = taskEvent({ account: ACCOUNT, taskId: 't-1', version: 3, status: 'CANCELLING' });
    const once = modelOf([event]);

    // Act
    const twice = applyOrgChange(once, parseOrgEvent(event));

    // Assess
    expect(twice).toEqual(once);
  });

  it('keeps a DLQ removed when an older inventory that listed it arrives late', () => {
    // Act
    const model = modelOf([
      inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:01:00.000Z', dlqs: {}, removed: ['old-dlq'] }),
      inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'old-dlq': 9 } }),
    ]);

    // Assess
    expect(model.dlqs.get(`arn:aws:sqs:us-east-1:${ACCOUNT}:old-dlq`)).toMatchObject({ removed: true, asOf: '2026-12-01T10:01:00.000Z' });
  });

  it("moves the account's LastEventAt forward only, and keeps the newest inventory run", () => {
    // Act
    const model = modelOf([
      inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:05:00.000Z', dlqs: {} }),
      taskEvent({ account: ACCOUNT, taskId: 't-1', version: 1, status: 'RUNNING', time: '2026-12-01T09:00:00Z' }),
    ]);

    // Assess
    expect(model.accounts.get(ACCOUNT)).toEqual({ accountId: ACCOUNT, region: 'us-east-1', lastEventAt: '2026-12-01T10:05:00.000Z', inventoryAsOf: '2026-12-01T10:05:00.000Z' });
  });

  it("keeps the totals of the account's newest inventory run, whatever order the runs arrive in", () => {
    // Prepare
    const totals = (messages: number) => ({ DeadLetterQueues: 1, ApproximateNumberOfMessages: messages, ApproximateNumberOfMessagesNotVisible: 0 });
    const older = inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:00:00.000Z', dlqs: { a: 9 }, totals: totals(9) });
    const newer = inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:01:00.000Z', dlqs: { a: 2 }, totals: totals(2) });

    // Act
    const forward = modelOf([older, newer]);
    const backward = modelOf([newer, older, newer]);

    // Assess
    for (const model of [forward, backward]) {
      expect(model.accounts.get(ACCOUNT)?.inventoryTotals).toEqual({ deadLetterQueues: 1, approximateNumberOfMessages: 2, approximateNumberOfMessagesNotVisible: 0 });
    }
  });

  it('drops older totals when a newer inventory run sends none, and keeps them through task events', () => {
    // Prepare
    const withTotals = inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:00:00.000Z', dlqs: {}, totals: { DeadLetterQueues: 0, ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 0 } });

    // Act
    const afterTask = modelOf([withTotals, taskEvent({ account: ACCOUNT, taskId: 't-1', version: 1, status: 'RUNNING', time: '2026-12-01T11:00:00Z' })]);
    const afterBareRun = modelOf([withTotals, inventoryEvent({ account: ACCOUNT, asOf: '2026-12-01T10:01:00.000Z', dlqs: {} })]);

    // Assess
    expect(afterTask.accounts.get(ACCOUNT)?.inventoryTotals).toEqual({ deadLetterQueues: 0, approximateNumberOfMessages: 0, approximateNumberOfMessagesNotVisible: 0 });
    expect(afterBareRun.accounts.get(ACCOUNT)).not.toHaveProperty('inventoryTotals');
  });

  it("keeps each DLQ's newest recovery state by version; an older or repeated event changes nothing", () => {
    // Prepare
    const paused = recoveryEvent({ account: ACCOUNT, queue: 'a-dlq', version: 3, to: 'PAUSED' });
    const recovering = recoveryEvent({ account: ACCOUNT, queue: 'a-dlq', version: 4, to: 'RECOVERING', from: 'PAUSED', runId: 'run-1' });

    // Act
    const model = modelOf([recovering, paused, recovering, paused]);

    // Assess
    expect(model.recoveries.get(`arn:aws:sqs:us-east-1:${ACCOUNT}:a-dlq`)).toMatchObject({ version: 4, state: 'RECOVERING', runId: 'run-1' });
  });

  it("holds each DLQ's newest task (later created, then greater taskId) at its newest version, in any order", () => {
    // Prepare
    const older = taskEvent({ account: ACCOUNT, taskId: 't-9', version: 2, status: 'CANCELLED', createdAt: '2026-12-01T09:00:00.000Z' });
    const newerRunning = taskEvent({ account: ACCOUNT, taskId: 't-1', version: 1, status: 'RUNNING', createdAt: '2026-12-01T09:05:00.000Z' });
    const newerCancelling = taskEvent({ account: ACCOUNT, taskId: 't-1', version: 2, status: 'CANCELLING', createdAt: '2026-12-01T09:05:00.000Z' });
    const sameInstantLowerId = taskEvent({ account: ACCOUNT, taskId: 't-0', version: 7, status: 'RUNNING', createdAt: '2026-12-01T09:05:00.000Z' });

    // Act
    const models = [
      modelOf([older, newerRunning, newerCancelling, sameInstantLowerId]),
      modelOf([newerCancelling, sameInstantLowerId, newerRunning, older, newerCancelling]),
    ];

    // Assess
    for (const model of models) {
      expect(model.dlqTasks.get(`arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`)).toMatchObject({ taskId: 't-1', version: 2, status: 'CANCELLING' });
    }
  });
});
