import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useTestOrg } from '../support/local-org-fixture';
import { eventually } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';

const [ACCOUNT_1, ACCOUNT_2] = LOCAL_ORG_ACCOUNTS;
const CANCEL = 'AmazonSQS.CancelMessageMoveTask';

describe('the redrive CLI over the org view (--org)', () => {
  const t = useTestOrg();
  const dlqs: Record<string, string> = {};
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { REDRIVE_ORG_URL: t.org.org.url };
    // the same DLQ name in both accounts: only the account tells them apart
    for (const account of LOCAL_ORG_ACCOUNTS) {
      dlqs[account] = (await t.seedDlq(account, 'org-cli', 20)).dlqArn;
      await t.org.accounts[account]!.refreshInventory();
    }
  });

  it("starts a redrive in each account by name and --account, and lists both accounts' tasks with their account", async () => {
    // Act
    const started = [];
    for (const account of LOCAL_ORG_ACCOUNTS) {
      await eventually(() => t.org$(`/org/dlqs?accountId=${account}`), (answer) => answer.body?.dlqs?.length === 1);
      started.push(await runCli(['start', 'org-cli-dlq', '--account', account, '--rate', '1', '--reason', 'org cli', '--json'], env));
    }
    const ambiguous = await runCli(['start', 'org-cli-dlq', '--reason', 'which one?'], env);
    await eventually(() => t.org$('/org/tasks'), (answer) => answer.body?.tasks?.length === 2);
    const table = await runCli(['tasks'], env);
    const mine = await runCli(['tasks', '--account', ACCOUNT_2!, '--json'], env);

    // Assess
    expect(started.map((run) => [run.code, run.stderr])).toEqual([[0, ''], [0, '']]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(new RegExp(`accounts (${ACCOUNT_1}, ${ACCOUNT_2}|${ACCOUNT_2}, ${ACCOUNT_1}): pass --account`));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ACCOUNT\s+TASK ID\s+QUEUE/);
    for (const account of LOCAL_ORG_ACCOUNTS) expect(table.stdout).toMatch(new RegExp(`^${account}\\s+\\S+\\s+org-cli-dlq\\s+RUNNING`, 'm'));
    expect(JSON.parse(mine.stdout).tasks.map((task: { AccountId: string; SourceArn: string }) => [task.AccountId, task.SourceArn])).toEqual([[ACCOUNT_2, dlqs[ACCOUNT_2]]]);
  });

  it("lists the DLQs of both accounts with their account, and --account narrows to one", async () => {
    // Act
    const table = await runCli(['dlqs'], env);
    const one = await runCli(['dlqs', '--account', ACCOUNT_1!, '--json'], env);

    // Assess
    expect(table.code).toBe(0);
    for (const account of LOCAL_ORG_ACCOUNTS) expect(table.stdout).toMatch(new RegExp(`^${account}\\s+org-cli-dlq\\s+\\d+`, 'm'));
    expect(JSON.parse(one.stdout).dlqs.map((dlq: { AccountId: string }) => dlq.AccountId)).toEqual([ACCOUNT_1]);
  });

  it("sends a cancel through --org to the account that owns the task, and leaves the other account's running", async () => {
    // Prepare
    for (const proxy of Object.values(t.sqsProxies)) proxy.reset();

    // Act
    const cancelled = await runCli(['cancel', '--queue', 'org-cli-dlq', '--account', ACCOUNT_2!, '--reason', 'org cli cancel'], { ...env });
    const listed = await runCli(['list', dlqs[ACCOUNT_1]!], env);

    // Assess
    expect([cancelled.code, cancelled.stderr]).toEqual([0, '']);
    expect(cancelled.stdout).toMatch(/^Cancelling task /);
    expect(t.sqsProxies[ACCOUNT_2]!.calls.filter((call) => call.target === CANCEL)).toHaveLength(1);
    expect(t.sqsProxies[ACCOUNT_1]!.calls.filter((call) => call.target === CANCEL)).toHaveLength(0);
    const record = await t.account$(ACCOUNT_2!, `/tasks?sourceArn=${encodeURIComponent(dlqs[ACCOUNT_2]!)}`);
    expect(record.body.tasks[0]).toMatchObject({ cancelledBy: 'arn:aws:iam::999999999999:role/local via org', cancelReason: 'org cli cancel' });
    expect(listed.stdout).toMatch(new RegExp(`^${ACCOUNT_1}\\s+RUNNING`, 'm'));
  });

  it("shows an account whose API is down as a 503 naming it, and refuses what the org view does not offer", async () => {
    // Prepare
    await t.org.accounts[ACCOUNT_1]!.api.stop();

    // Act
    const down = await runCli(['list', dlqs[ACCOUNT_1]!], env);
    const peek = await runCli(['peek', 'org-cli-dlq'], env);
    const noOrg = await runCli(['tasks', '--account', ACCOUNT_1!], { REDRIVE_API_URL: t.org.accounts[ACCOUNT_2]!.apiUrl });
    // with both URLs set, a command the org does not offer goes to the account's API
    const queues = await runCli(['queues', '--json'], { ...env, REDRIVE_API_URL: t.org.accounts[ACCOUNT_2]!.apiUrl });

    // Assess
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`^redrive: Account ${ACCOUNT_1}'s API .*\\(ServiceUnavailable, HTTP 503\\)$`, 'm'));
    expect([peek.code, peek.stderr]).toEqual([2, expect.stringMatching(/peek is not offered by the org view/)]);
    expect([noOrg.code, noOrg.stderr]).toEqual([2, expect.stringMatching(/--account needs --org/)]);
    expect([queues.code, queues.stderr]).toEqual([0, '']);
  });
});
