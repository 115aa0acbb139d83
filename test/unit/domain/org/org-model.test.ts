import type { OrgEventEnvelope } from '../../../../lambda/domain/org/org-change';
import { parseOrgEvent } from '../../../../lambda/domain/org/org-change';
import { applyOrgChange, EMPTY_ORG_MODEL, type OrgModel } from '../../../../lambda/domain/org/org-model';
import { inventoryEvent, taskEvent } from '../../../support/org-events';

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
});
