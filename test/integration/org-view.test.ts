import { orgForwardPattern } from '../../lambda/config/event-patterns';
import { matchesEventPattern, parseEventPattern } from '../../lambda/domain/content-filter/event-pattern';
import type { BusEvent } from '../../local/event-bus';
import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';
import { eventually } from '../support/local-stack-fixture';

const [ACCOUNT_1, ACCOUNT_2] = LOCAL_ORG_ACCOUNTS;

describe('the org view over two local accounts (npm start -- --org)', () => {
  const t = useTestOrg();
  const tasks: Record<string, { dlqArn: string; handle: string }> = {};

  beforeAll(async () => {
    // one DLQ and one slow redrive in each account, through each account's own API
    for (const account of LOCAL_ORG_ACCOUNTS) {
      const dlq = await t.seedDlq(account, `org-${account.slice(0, 1)}`, 20);
      const started = await t.account$(account, '/StartMessageMoveTask', { body: { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'org test' } });
      if (started.status !== 200) throw new Error(`could not start a task in ${account}: ${started.text}`);
      tasks[account] = { dlqArn: dlq.dlqArn, handle: started.body.TaskHandle };
      await t.org.accounts[account]!.refreshInventory();
    }
  });

  it("lists both accounts' tasks and DLQs with AccountId and Region, and the accounts with their URLs", async () => {
    // Act
    const listed = await eventually(() => t.org$('/org/tasks'), (answer) => answer.body?.tasks?.length === 2);
    const dlqs = await eventually(() => t.org$('/org/dlqs'), (answer) => answer.body?.dlqs?.length === 2);
    const accounts = await t.org$('/org/accounts');

    // Assess
    expect(listed.body.tasks.map((task: { AccountId: string; SourceArn: string }) => [task.AccountId, task.SourceArn]).sort()).toEqual([
      [ACCOUNT_1, tasks[ACCOUNT_1]!.dlqArn],
      [ACCOUNT_2, tasks[ACCOUNT_2]!.dlqArn],
    ]);
    expect(listed.body.tasks.every((task: { Region: string; Status: string }) => task.Region === 'us-east-1' && task.Status === 'RUNNING')).toBe(true);
    expect(dlqs.body.dlqs.map((dlq: { AccountId: string; QueueArn: string; ApproximateNumberOfMessages: number }) => [dlq.AccountId, dlq.QueueArn, dlq.ApproximateNumberOfMessages]).sort()).toEqual([
      [ACCOUNT_1, tasks[ACCOUNT_1]!.dlqArn, expect.any(Number)],
      [ACCOUNT_2, tasks[ACCOUNT_2]!.dlqArn, expect.any(Number)],
    ]);
    expect(accounts.body.accounts).toEqual(
      LOCAL_ORG_ACCOUNTS.map((account) => ({
        AccountId: account,
        Region: 'us-east-1',
        ApiUrl: t.org.accounts[account]!.apiUrl,
        SqsEndpoint: t.org.accounts[account]!.sqsUrl,
        LastEventAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        InventoryAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        Totals: expect.objectContaining({ DeadLetterQueues: 1 }),
      })),
    );
  });

  it("totals each account's DLQs as its own GET /dlqs does, with its running redrives", async () => {
    // Act
    const accounts = await eventually(() => t.org$('/org/accounts'), (answer) => answer.body?.accounts?.every((account: { Totals?: unknown }) => account.Totals !== undefined));

    // Assess: the inventory run the org heard from is the one each account's GET /dlqs answers from
    for (const account of LOCAL_ORG_ACCOUNTS) {
      const own = (await t.account$(account, '/dlqs')).body.dlqs as { ApproximateNumberOfMessages: number; ApproximateNumberOfMessagesNotVisible: number }[];
      const sum = (pick: (dlq: (typeof own)[number]) => number) => own.reduce((total, dlq) => total + pick(dlq), 0);
      expect(accounts.body.accounts.find((entry: { AccountId: string }) => entry.AccountId === account).Totals).toEqual({
        DeadLetterQueues: own.length,
        ApproximateNumberOfMessages: sum((dlq) => dlq.ApproximateNumberOfMessages),
        ApproximateNumberOfMessagesNotVisible: sum((dlq) => dlq.ApproximateNumberOfMessagesNotVisible),
        ActiveRedrives: 1,
      });
    }
  });

  it("shows each account's running redrive as its DLQ's ActiveTask, as the account's own GET /dlqs does", async () => {
    for (const account of LOCAL_ORG_ACCOUNTS) {
      // Act
      const inOrg = await eventually(() => t.org$(`/org/dlqs?accountId=${account}`), (answer) => answer.body?.dlqs?.[0]?.ActiveTask !== undefined);
      const own = await t.account$(account, '/dlqs');

      // Assess: the same task; its counts are as of its last transition's event, so only their presence is compared
      const { taskId, Kind, Status } = own.body.dlqs[0].ActiveTask;
      expect(inOrg.body.dlqs[0].ActiveTask).toMatchObject({ taskId, Kind, Status, ApproximateNumberOfMessagesMoved: expect.any(Number) });
      expect({ Kind, Status }).toEqual({ Kind: 'native', Status: 'RUNNING' });
      expect(inOrg.body.dlqs[0].QueueArn).toBe(tasks[account]!.dlqArn);
    }
  });

  it('filters by account and status through indexes, and pages with nextToken', async () => {
    // Act
    const mine = await eventually(() => t.org$(`/org/tasks?accountId=${ACCOUNT_2}&status=RUNNING`), (answer) => answer.body?.tasks?.length === 1);
    const bySource = await t.org$(`/org/tasks?sourceArn=${encodeURIComponent(tasks[ACCOUNT_1]!.dlqArn)}`);
    const first = await t.org$('/org/dlqs?limit=1&sort=name');
    const second = await t.org$(`/org/dlqs?limit=1&sort=name&nextToken=${first.body.nextToken}`);
    const refused = await t.org$('/org/tasks?status=SLEEPING');

    // Assess
    expect(mine.body.tasks[0].AccountId).toBe(ACCOUNT_2);
    expect(bySource.body.tasks.map((task: { AccountId: string }) => task.AccountId)).toEqual([ACCOUNT_1]);
    expect([first.body.dlqs[0].QueueName, second.body.dlqs[0].QueueName]).toEqual([first.body.dlqs[0].QueueName, second.body.dlqs[0].QueueName].sort());
    expect(first.body.dlqs[0].QueueArn).not.toBe(second.body.dlqs[0].QueueArn);
    expect(refused.status).toBe(400);
    expect(refused.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
  });

  it("is equal to the accounts' own tables after every forwarded event is delivered again, duplicated and in reverse", async () => {
    // Prepare: both tasks end (cancelled through each account's API, then reconciled), so no progress write outruns the events
    for (const account of LOCAL_ORG_ACCOUNTS) {
      const cancelled = await t.account$(account, '/CancelMessageMoveTask', { body: { TaskHandle: tasks[account]!.handle, Reason: 'org test' } });
      expect(cancelled.status).toBe(200);
      await eventually(async () => (await t.org.accounts[account]!.reconcile(), await t.account$(account, `/tasks?sourceArn=${encodeURIComponent(tasks[account]!.dlqArn)}`)), (answer) => answer.body?.tasks?.[0]?.Status === 'CANCELLED');
      await t.org.accounts[account]!.refreshInventory();
    }
    const forwarded = (account: string) => t.org.accounts[account]!.eventBus.events.filter((event) => matchesEventPattern(parseEventPattern(orgForwardPattern({ account })), event));
    await eventually(() => t.org$('/org/tasks?status=CANCELLED'), (answer) => answer.body?.tasks?.length === 2);

    // Act: EventBridge's at-least-once, any order
    const replay: BusEvent[] = LOCAL_ORG_ACCOUNTS.flatMap((account) => forwarded(account)).reverse();
    for (const event of [...replay, ...replay]) await t.org.org.bus.deliver(event);
    await t.org.org.bus.idle();

    // Assess
    for (const account of LOCAL_ORG_ACCOUNTS) {
      const own = await t.account$(account, '/tasks');
      const inOrg = await t.org$(`/org/tasks?accountId=${account}`);
      expect(inOrg.body.tasks).toEqual(own.body.tasks.map((task: object) => ({ ...task, AccountId: account, Region: 'us-east-1' })));
      const ownDlqs = await t.account$(account, '/dlqs');
      const orgDlqs = await t.org$(`/org/dlqs?accountId=${account}`);
      // the cancelled redrive is no DLQ's ActiveTask any more, in the account as in the org view
      expect(orgDlqs.body.dlqs.map(({ AccountId: _a, Region: _r, asOf: _o, ...dlq }: Record<string, unknown>) => dlq)).toEqual(ownDlqs.body.dlqs);
      expect(orgDlqs.body.dlqs.every((dlq: { ActiveTask?: unknown }) => dlq.ActiveTask === undefined)).toBe(true);
    }
    const accounts = (await t.org$('/org/accounts')).body.accounts as { Totals: { ActiveRedrives: number } }[];
    expect(accounts.map((account) => account.Totals.ActiveRedrives)).toEqual([0, 0]);
  });

  it('refuses an event from an account outside the organization at the org bus', async () => {
    // Prepare
    const foreign = { ...t.org.accounts[ACCOUNT_1]!.eventBus.events[0]!, account: '333333333333' };

    // Act / Assess
    await expect(t.org.org.bus.deliver(foreign)).rejects.toThrow(/not in the organization/);
    expect((await t.org$('/org/accounts')).body.accounts.map((account: { AccountId: string }) => account.AccountId)).not.toContain('333333333333');
  });
});
