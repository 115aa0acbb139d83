import { randomUUID } from 'node:crypto';

import { encodeTaskHandle } from '../../lambda/domain/task-handle';
import type { BusEvent } from '../../local/event-bus';
import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';
import { taskEvent } from '../support/org-events';

const [ACCOUNT_1, ACCOUNT_2] = LOCAL_ORG_ACCOUNTS;

/** API.md section 10 through the local org: each account keeps its own say, and its own rows. */
describe('the org doors', () => {
  // account 2 lets the org view act only for its ops role; account 1 for anyone the local org names
  const t = useTestOrg({ accounts: { [ACCOUNT_2]: { functionEnv: { ORG_ALLOWED_CALLERS: 'arn:aws:iam::999999999999:role/ops' } } } });

  it("refuses an org caller the account does not allow with a 403 naming them, and does nothing there; another account's consent is its own", async () => {
    // Prepare
    const dlqs = { [ACCOUNT_1]: (await t.seedDlq(ACCOUNT_1, `consent-${randomUUID().slice(0, 6)}`, 3)).dlqArn, [ACCOUNT_2]: (await t.seedDlq(ACCOUNT_2, `consent-${randomUUID().slice(0, 6)}`, 3)).dlqArn };

    // Act
    const refused = await t.org$('/org/StartMessageMoveTask', { body: { SourceArn: dlqs[ACCOUNT_2], MaxNumberOfMessagesPerSecond: 1, Reason: 'org consent' } });
    const allowed = await t.org$('/org/StartMessageMoveTask', { body: { SourceArn: dlqs[ACCOUNT_1], MaxNumberOfMessagesPerSecond: 1, Reason: 'org consent' } });

    // Assess: the local org gateway names its unsigned caller `local`
    expect([refused.status, refused.body.__type]).toEqual([403, 'com.amazonaws.sqs#AccessDeniedException']);
    expect(refused.body.message).toMatch(/^arn:aws:iam::999999999999:role\/local is not allowed to act in this account through the org view/);
    expect((await t.account$(ACCOUNT_2, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_2]!)}`)).body.tasks).toEqual([]);
    expect(allowed.status).toBe(200);
    expect((await t.account$(ACCOUNT_1, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_1]!)}`)).body.tasks[0]).toMatchObject({ startedBy: 'arn:aws:iam::999999999999:role/local via org' });
  });

  it("keeps no forged TaskHandle that routes to another account's task, and no version from the future", async () => {
    // Prepare: account 1 says it started a task, with a handle of account 2's queue, then a version no record reaches
    const taskId = randomUUID();
    const now = new Date().toISOString();
    const forged = (version: number, status: string, extra: Record<string, unknown>): BusEvent => {
      const event = taskEvent({ account: ACCOUNT_1, taskId, version, status, time: now.replace(/\.\d+Z$/, 'Z'), createdAt: now });
      return { version: '0', id: randomUUID(), resources: [], 'event-bus-name': 'default', ...event, detail: { ...(event.detail as object), ...extra } } as unknown as BusEvent;
    };
    const foreignHandle = encodeTaskHandle(randomUUID(), `arn:aws:sqs:us-east-1:${ACCOUNT_2}:orders-dlq`);

    // Act
    await t.org.org.bus.deliver(forged(1, 'RUNNING', { TaskHandle: foreignHandle }));
    await t.org.org.bus.deliver(forged(Number.MAX_SAFE_INTEGER, 'CANCELLED', {}));
    await t.org.org.bus.idle();

    // Assess
    const row = (await t.org$(`/org/tasks?accountId=${ACCOUNT_1}`)).body.tasks.find((task: { taskId: string }) => task.taskId === taskId);
    expect(row).toMatchObject({ Status: 'RUNNING', AccountId: ACCOUNT_1 });
    expect(row).not.toHaveProperty('TaskHandle');
  });
});
