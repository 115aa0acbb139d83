import { resolve } from 'node:path';

import type { Page } from 'playwright-core';

import { parseTaskHandle } from '../../lambda/domain/task-handle';
import { LOCAL_ORG_ACCOUNTS } from '../../local/org-stack';
import { useChromiumPages } from '../support/dashboard-in-chromium';
import { startTestOrg, type TestOrg } from '../support/local-org-fixture';
import { eventually } from '../support/local-stack-fixture';

const [ACCOUNT_1, ACCOUNT_2] = LOCAL_ORG_ACCOUNTS as unknown as [string, string];
const CANCEL = 'AmazonSQS.CancelMessageMoveTask';
// `npm run screenshot` refreshes the docs' picture; plain test runs leave docs/ untouched
const SCREENSHOT = resolve(__dirname, '../..', process.env.UPDATE_SCREENSHOT ? 'docs/dashboard-org.png' : 'test-output/dashboard-org.png');

describe('the dashboard in org mode in Chromium against the local organization', () => {
  const chromium = useChromiumPages(startTestOrg, (org) => org.stop());
  let t: TestOrg;
  let page: Page;
  /** the DLQ each account holds under the same name, and the redrive running out of it, by account */
  const dlqs: Record<string, string> = {};
  const tasks: Record<string, string> = {};
  /** a DLQ with no redrive, in account 1 only */
  let idleDlq: string;

  beforeAll(async () => {
    t = chromium.target;
    for (const account of LOCAL_ORG_ACCOUNTS) {
      dlqs[account] = (await t.seedDlq(account, 'org-page', 300)).dlqArn;
      // 1 a second: still running when the last test ends
      const started = await t.account$(account, '/StartMessageMoveTask', { body: { SourceArn: dlqs[account], MaxNumberOfMessagesPerSecond: 1, Reason: `replay in ${account}` } });
      tasks[account] = parseTaskHandle(started.body.TaskHandle).taskId;
    }
    idleDlq = (await t.seedDlq(ACCOUNT_1, 'org-page-idle', 5)).dlqArn;
    for (const account of LOCAL_ORG_ACCOUNTS) await t.org.accounts[account]!.refreshInventory();
    await eventually(() => t.org$('/org/tasks?status=RUNNING'), (answer) => answer.body?.tasks?.length === 2, 30_000);
    await eventually(() => t.org$('/org/dlqs'), (answer) => answer.body?.dlqs?.length === 3, 30_000);
  });
  beforeEach(() => {
    page = chromium.page;
  });

  const activeRow = (account: string) => page.locator(`#active tbody tr[data-task-id="${tasks[account]}"]`);
  const dlqRow = (arn: string) => page.locator(`#dlqs tbody tr[data-queue-arn="${arn}"]`);
  const historyRow = (account: string) => page.locator(`#history tbody tr[data-task-id="${tasks[account]}"]`);

  it("lists both accounts' redrives and DLQs with their account, and hides what only an account's own dashboard does", async () => {
    // Act
    await page.goto(`${t.org.org.url}/`);
    for (const account of LOCAL_ORG_ACCOUNTS) await activeRow(account).waitFor();
    await dlqRow(dlqs[ACCOUNT_2]!).waitFor();

    // Assess
    for (const account of LOCAL_ORG_ACCOUNTS) {
      await expect(activeRow(account).locator('td.account').textContent()).resolves.toBe(account);
      await expect(activeRow(account).locator('.status').textContent()).resolves.toBe('RUNNING');
      await expect(activeRow(account).locator('.reason').textContent()).resolves.toBe(`replay in ${account}`);
      await expect(dlqRow(dlqs[account]!).locator('td.account').textContent()).resolves.toBe(account);
      await expect(historyRow(account).locator('td.account').textContent()).resolves.toBe(account);
      // the DLQ's redrive, as the Active table shows it: no second Redrive… on it
      await dlqRow(dlqs[account]!).getByText(/^RUNNING · \d+ moved$/).waitFor();
      await expect(dlqRow(dlqs[account]!).getByRole('button').count()).resolves.toBe(0);
    }
    await expect(page.locator('#active thead th').first().textContent()).resolves.toBe('Account');
    await expect(page.locator('#queues-section').isHidden()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /View and peek/ }).count()).resolves.toBe(0);
    await expect(page.locator('#org-elsewhere').textContent()).resolves.toMatch(/account's own dashboard/);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("shows each account's totals as the org view counts them", async () => {
    // Prepare
    const expected = { [ACCOUNT_1]: { dlqs: '2', active: '1' }, [ACCOUNT_2]: { dlqs: '1', active: '1' } };
    await eventually(() => t.org$('/org/accounts'), (answer) => answer.body?.accounts?.every((account: { Totals?: unknown }) => account.Totals));

    // Act
    await page.goto(`${t.org.org.url}/`);

    // Assess: account, region, last heard, DLQs, messages, in flight, active redrives
    for (const account of LOCAL_ORG_ACCOUNTS) {
      const row = page.locator(`#accounts tbody tr[data-account-id="${account}"]`);
      await row.waitFor();
      const [id, region, heard, dlqCount, messages, inFlight, active] = (await row.locator('th, td').allTextContents()).map((text) => text.trim());
      expect([id, region, dlqCount, active]).toEqual([account, 'us-east-1', expected[account]!.dlqs, expected[account]!.active]);
      expect(heard).toMatch(/\(just now|\d+ min ago\)$/);
      expect(heard).not.toMatch(/stale/);
      expect([messages, inFlight]).toEqual([expect.stringMatching(/^\d[\d,]*$/), expect.stringMatching(/^\d[\d,]*$/)]);
    }
  });

  it('narrows the DLQs and the redrives to the account chosen in the filter', async () => {
    // Prepare
    await page.goto(`${t.org.org.url}/`);
    await activeRow(ACCOUNT_1).waitFor();
    await dlqRow(dlqs[ACCOUNT_1]!).waitFor();

    // Act
    await page.getByLabel('Show the DLQs and redrives of').selectOption(ACCOUNT_2);

    // Assess
    await activeRow(ACCOUNT_1).waitFor({ state: 'detached' });
    await dlqRow(dlqs[ACCOUNT_1]!).waitFor({ state: 'detached' });
    await historyRow(ACCOUNT_1).waitFor({ state: 'detached' });
    await expect(page.locator('#active tbody td.account').allTextContents()).resolves.toEqual([ACCOUNT_2]);
    await expect(page.locator('#dlqs tbody td.account').allTextContents()).resolves.toEqual([ACCOUNT_2]);
    await expect(page.locator('#history tbody td.account').allTextContents()).resolves.toEqual([ACCOUNT_2]);
  });

  it("filters the history by a DLQ's name in the chosen account, refusing a name several accounts hold until one is chosen", async () => {
    // Prepare
    await page.goto(`${t.org.org.url}/`);
    await historyRow(ACCOUNT_1).waitFor();

    // Act: a name both accounts hold, then the same name with account 1 chosen
    await page.getByLabel('Queue (name or ARN)').fill('org-page-dlq');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const refused = await page.getByRole('alert').filter({ hasText: 'Could not load the history' }).textContent();
    await page.getByLabel('Show the DLQs and redrives of').selectOption(ACCOUNT_1);
    await page.getByRole('button', { name: 'Apply filters' }).click();

    // Assess
    expect(refused).toMatch(/"org-page-dlq" is a DLQ in accounts \d{12}, \d{12}: choose the account above, or give the queue ARN/);
    await historyRow(ACCOUNT_2).waitFor({ state: 'detached' });
    await expect(page.locator('#history tbody tr[data-task-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-task-id')))).resolves.toEqual([tasks[ACCOUNT_1]]);
  });

  it('resolves the history filter\'s name once, when applied: choosing every account afterwards keeps the filter and the tables updating', async () => {
    // Prepare: the name both accounts hold, applied with account 1 chosen
    await page.goto(`${t.org.org.url}/`);
    await activeRow(ACCOUNT_2).waitFor();
    await page.getByLabel('Show the DLQs and redrives of').selectOption(ACCOUNT_1);
    await activeRow(ACCOUNT_2).waitFor({ state: 'detached' });
    await page.getByLabel('Queue (name or ARN)').fill('org-page-dlq');
    const filtered = page.waitForResponse((response) => new URL(response.url()).searchParams.get('sourceArn') === dlqs[ACCOUNT_1]);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await filtered;
    const lookups: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).searchParams.get('limit') === '1000') lookups.push(request.url());
    });

    // Act
    await page.getByLabel('Show the DLQs and redrives of').selectOption('');
    await activeRow(ACCOUNT_2).waitFor();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.waitForResponse((response) => new URL(response.url()).searchParams.get('sourceArn') === dlqs[ACCOUNT_1] && !response.url().includes('accountId'));

    // Assess: no refusal, the history still narrowed to account 1's DLQ, no name looked up again
    await expect(page.locator('#error').isHidden()).resolves.toBe(true);
    await expect(page.locator('#history tbody tr[data-task-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-task-id')))).resolves.toEqual([tasks[ACCOUNT_1]]);
    expect(lookups).toEqual([]);
  });

  it('draws a DLQ entry that carries no source queues, and says on the page when an entry cannot be drawn, the other tables updating', async () => {
    // Prepare: the org view's DLQs, the idle one's entry without SourceQueueArns
    const { body } = await t.org$('/org/dlqs');
    const withoutSources = body.dlqs.map(({ SourceQueueArns, ...dlq }: { QueueArn: string; SourceQueueArns: string[] }) => (dlq.QueueArn === idleDlq ? dlq : { ...dlq, SourceQueueArns }));
    let answer: unknown = { dlqs: withoutSources };
    await page.route('**/org/dlqs?*', (request) => request.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(answer) }));

    // Act
    await page.goto(`${t.org.org.url}/`);
    const row = dlqRow(idleDlq);
    await row.waitFor();
    const sources = await row.locator('td').nth(5).textContent();
    answer = { dlqs: [null, ...withoutSources] };
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const alert = await page.getByRole('alert').filter({ hasText: 'Could not show the dead-letter queues' }).textContent();
    answer = { dlqs: withoutSources };
    await page.getByRole('button', { name: 'Refresh now' }).click();

    // Assess: a source-less DLQ reads "–"; a broken entry is the page's alert (no uncaught error, which fails
    // the test), and the next refresh draws the DLQs again
    expect(sources).toBe('–');
    expect(alert).toMatch(/^Could not show the dead-letter queues: /);
    await activeRow(ACCOUNT_1).waitFor();
    await page.locator('#error').waitFor({ state: 'hidden' });
    await row.waitFor();
  });

  it('searches the DLQs of every account by name prefix, and keeps the search across refreshes', async () => {
    // Prepare
    await page.goto(`${t.org.org.url}/`);
    await dlqRow(dlqs[ACCOUNT_2]!).waitFor();

    // Act
    await page.getByLabel('Queue name starts with').fill('org-page-idle');
    await page.getByRole('button', { name: 'Search' }).click();
    await dlqRow(dlqs[ACCOUNT_2]!).waitFor({ state: 'detached' });
    const refreshed = page.waitForRequest((request) => request.url().includes('/org/dlqs?'));
    await page.getByRole('button', { name: 'Refresh now' }).click();
    const asked = new URL((await refreshed).url()).searchParams.get('prefix');

    // Assess
    expect(asked).toBe('org-page-idle');
    await expect(page.locator('#dlqs tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-queue-arn')))).resolves.toEqual([idleDlq]);
  });

  /** Answers the page's org API requests with `answer`'s, for cases the local organization cannot produce. */
  async function mockOrgApi(answer: (url: URL) => unknown) {
    await page.route((url) => url.pathname.startsWith('/org/'), async (request) => {
      const body = await answer(new URL(request.request().url()));
      await request.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    });
  }
  const mockAccounts = { accounts: LOCAL_ORG_ACCOUNTS.map((account) => ({ AccountId: account, Region: 'us-east-1', LastEventAt: new Date().toISOString() })) };
  const mockDlq = (account: string, name: string, fields: object = {}) => ({ QueueArn: `arn:aws:sqs:us-east-1:${account}:${name}`, QueueName: name, ApproximateNumberOfMessages: 5,
    ApproximateNumberOfMessagesNotVisible: 0, SourceQueueArns: [], AccountId: account, Region: 'us-east-1', asOf: new Date().toISOString(), ...fields });

  it('drops a DLQ page answered after the account filter changed: the chosen account\'s rows stay, and Next page stays off', async () => {
    // Prepare: a refresh's GET /org/dlqs (every account) answers only once the chosen account's DLQs are shown
    let answerLate!: () => void;
    const late = new Promise<void>((resolve) => { answerLate = resolve; });
    let everyAccountAsked = 0;
    const [everyAccount1, everyAccount2] = [mockDlq(ACCOUNT_1, 'race-dlq'), mockDlq(ACCOUNT_2, 'race-dlq')];
    await mockOrgApi(async (url) => {
      if (url.pathname === '/org/accounts') return mockAccounts;
      if (url.pathname !== '/org/dlqs') return { tasks: [] };
      if (url.searchParams.get('accountId') === ACCOUNT_2) return { dlqs: [everyAccount2] };
      everyAccountAsked += 1;
      if (everyAccountAsked > 1) await late;
      return { dlqs: [everyAccount1, everyAccount2], nextToken: 'EVERY-ACCOUNT-TOKEN' };
    });
    await page.goto(`${t.org.org.url}/`);
    await dlqRow(everyAccount1.QueueArn).waitFor();
    const lateAsked = page.waitForRequest((request) => request.url().includes('/org/dlqs?') && !request.url().includes('accountId'));
    const lateFinished = page.waitForEvent('requestfinished', (request) => request.url().includes('/org/dlqs?') && !request.url().includes('accountId'));
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await lateAsked;

    // Act: the account chosen while that refresh waits
    await page.getByLabel('Show the DLQs and redrives of').selectOption(ACCOUNT_2);
    await dlqRow(everyAccount1.QueueArn).waitFor({ state: 'detached' });
    answerLate();
    await lateFinished;
    // a round trip of the page's own after the late answer arrived: the page has handled it by then
    await page.evaluate(async () => { await (await fetch('org/accounts')).text(); });

    // Assess
    await expect(page.locator('#dlqs tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-queue-arn')))).resolves.toEqual([everyAccount2.QueueArn]);
    await expect(page.locator('#dlqs-next').isDisabled()).resolves.toBe(true);
    await expect(page.locator('#error').isHidden()).resolves.toBe(true);
  });

  it("re-loads the DLQ page on each refresh, the Active table deciding whether a DLQ's redrive still runs", async () => {
    // Prepare: a redrive runs, then ends; the DLQ's entry still carries it as active, as a late inventory would
    let ended = false;
    const dlq = mockDlq(ACCOUNT_2, 'ended-dlq');
    const task = { taskId: 'ended-task', TaskHandle: 'ended-handle', SourceArn: dlq.QueueArn, AccountId: ACCOUNT_2, ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 10 };
    await mockOrgApi((url) => {
      if (url.pathname === '/org/accounts') return mockAccounts;
      if (url.pathname === '/org/ListMessageMoveTasks') return { Results: [] };
      if (url.pathname === '/org/dlqs') return { dlqs: [{ ...dlq, ApproximateNumberOfMessages: ended ? 0 : 10, ActiveTask: { Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 3 } }] };
      const status = url.searchParams.get('status');
      if (status) return { tasks: !ended && status === 'RUNNING' ? [{ ...task, Status: 'RUNNING' }] : [] };
      return { tasks: [{ ...task, Status: ended ? 'COMPLETED' : 'RUNNING' }] };
    });
    await page.goto(`${t.org.org.url}/`);
    const row = dlqRow(dlq.QueueArn);
    await row.getByText('a redrive is running').waitFor();

    // Act
    ended = true;
    await page.getByRole('button', { name: 'Refresh now' }).click();

    // Assess: the fresh figures, and Redrive… offered again
    await row.getByRole('button', { name: `Redrive ended-dlq in account ${ACCOUNT_2}` }).waitFor();
    const [, , messages, , , , active] = (await row.locator('td').allTextContents()).map((text) => text.trim());
    expect([messages, active]).toEqual(['0', '–']);
  });

  it('shows each account with its region, its totals and when it was last heard from, a silent one marked stale in words', async () => {
    // Prepare: the org view's answer, with one account silent for an hour
    const { body } = await t.org$('/org/accounts');
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const totals = { DeadLetterQueues: 2, ApproximateNumberOfMessages: 1234, ApproximateNumberOfMessagesNotVisible: 5, ActiveRedrives: 1 };
    const accounts = body.accounts.map((account: { AccountId: string }) => (account.AccountId === ACCOUNT_1 ? { ...account, LastEventAt: hourAgo, Totals: totals } : { ...account, Totals: undefined }));
    await page.route('**/org/accounts', (request) => request.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ accounts }) }));

    // Act
    await page.goto(`${t.org.org.url}/`);
    const row = (account: string) => page.locator(`#accounts tbody tr[data-account-id="${account}"]`);
    await row(ACCOUNT_1).waitFor();

    // Assess
    const cells = async (account: string) => (await row(account).locator('th, td').allTextContents()).map((text) => text.trim());
    const [id1, region1, heard1, ...rest1] = await cells(ACCOUNT_1);
    expect([id1, region1]).toEqual([ACCOUNT_1, 'us-east-1']);
    expect(heard1).toMatch(/^stale .*\(60 min ago\)$/);
    expect(rest1.slice(0, 4)).toEqual(['2', (1234).toLocaleString('en-US'), '5', '1']);
    const [, , heard2, ...rest2] = await cells(ACCOUNT_2);
    expect(heard2).not.toMatch(/stale|never/);
    expect(rest2.slice(0, 4)).toEqual(['–', '–', '–', '–']);
    await expect(page.locator('#account-filter option').allTextContents()).resolves.toEqual(['every account', ACCOUNT_1, ACCOUNT_2]);
  });

  it("shows a DLQ's recovery and active redrive where the org view carries them, offering Redrive… only without one", async () => {
    // Prepare: the org view's DLQs, account 2's with a recovery and an active redrive
    const { body } = await t.org$('/org/dlqs');
    const recovery = { State: 'RAMPING', CurrentRate: 20, Since: new Date().toISOString(), Reason: 'alarm OK for 10 min' };
    const dlqsWithRecovery = body.dlqs.map((dlq: { QueueArn: string }) => (dlq.QueueArn === dlqs[ACCOUNT_2] ? { ...dlq, Recovery: recovery, ActiveTask: { Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 7 } } : dlq));
    await page.route('**/org/dlqs?*', (request) => request.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ dlqs: dlqsWithRecovery }) }));

    // Act
    await page.goto(`${t.org.org.url}/`);
    const row = dlqRow(dlqs[ACCOUNT_2]!);
    await row.waitFor();

    // Assess
    await expect(row.locator('td.recovery').textContent()).resolves.toBe('RAMPING at 20/s');
    await expect(row.locator('td.recovery').getAttribute('title')).resolves.toBe('alarm OK for 10 min');
    // the Active table's redrive of the same snapshot (its live figures), not the entry's
    await expect(row.textContent()).resolves.toMatch(/RUNNING · \d+ moved/);
    await expect(row.getByRole('button').count()).resolves.toBe(0);
    await expect(row.textContent()).resolves.toContain('a redrive is running');
    await expect(dlqRow(idleDlq).getByRole('button', { name: `Redrive org-page-idle-dlq in account ${ACCOUNT_1}` }).count()).resolves.toBe(1);
  });

  it("cancels account 2's redrive in account 2 only, naming the account when it asks why", async () => {
    // Prepare
    for (const proxy of Object.values(t.sqsProxies)) proxy.reset();
    await page.goto(`${t.org.org.url}/`);
    const row = activeRow(ACCOUNT_2);

    // Act
    await row.getByRole('button', { name: `Cancel the redrive of org-page-dlq in account ${ACCOUNT_2}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this redrive?' });
    const asked = await dialog.locator('#confirm-cancel-text').textContent();
    await dialog.getByLabel(/Why are you cancelling it/).fill('wrong account replay');
    await dialog.getByRole('button', { name: 'Cancel redrive' }).click();

    // Assess: account 2's own API recorded the cancel by the org's caller; account 1's task runs on
    expect(asked).toContain(`org-page-dlq in account ${ACCOUNT_2} has moved`);
    await page.locator('#notice', { hasText: `Cancelling the redrive of org-page-dlq in account ${ACCOUNT_2}` }).waitFor();
    const record = await eventually(() => t.account$(ACCOUNT_2, `/tasks/${tasks[ACCOUNT_2]}`), (answer) => answer.body?.Status !== 'RUNNING');
    expect(record.body).toMatchObject({ Status: expect.stringMatching(/^CANCELL(ING|ED)$/), cancelledBy: 'arn:aws:iam::999999999999:role/local via org', cancelReason: 'wrong account replay' });
    expect(t.sqsProxies[ACCOUNT_2]!.calls.filter((call) => call.target === CANCEL)).toHaveLength(1);
    expect(t.sqsProxies[ACCOUNT_1]!.calls.filter((call) => call.target === CANCEL)).toHaveLength(0);
    await expect(t.account$(ACCOUNT_1, `/tasks/${tasks[ACCOUNT_1]}`)).resolves.toMatchObject({ body: expect.objectContaining({ Status: 'RUNNING' }) });
  });

  it("starts a redrive from a DLQ row in that DLQ's account, and refuses a name that several accounts hold", async () => {
    // Prepare
    await page.goto(`${t.org.org.url}/`);
    await dlqRow(idleDlq).waitFor();

    // Act: a bare name both accounts hold
    await page.getByLabel(/^Source DLQ/).fill('org-page-dlq');
    await page.getByLabel('Reason (required)').fill('which one?');
    await page.getByRole('button', { name: 'Review and start…' }).click();
    const refused = await page.getByRole('alert').filter({ hasText: 'Could not start' }).textContent();
    // Act: Redrive… on the idle DLQ's row
    await dlqRow(idleDlq).getByRole('button', { name: `Redrive org-page-idle-dlq in account ${ACCOUNT_1}` }).click();
    await page.getByLabel('Reason (required)').fill('replay the idle one');
    await page.getByRole('button', { name: 'Review and start…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start this redrive?' });
    const asked = await dialog.locator('#confirm-start-text').textContent();
    await dialog.getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    expect(refused).toMatch(new RegExp(`"org-page-dlq" is a DLQ in accounts (${ACCOUNT_1}, ${ACCOUNT_2}|${ACCOUNT_2}, ${ACCOUNT_1}): choose the account`));
    expect(asked).toBe(`Move 5 messages out of org-page-idle-dlq in account ${ACCOUNT_1} back to their source queues, at SQS's default rate?`);
    await page.locator('#notice', { hasText: `Started a redrive of org-page-idle-dlq in account ${ACCOUNT_1}.` }).waitFor();
    const started = await t.account$(ACCOUNT_1, `/tasks?sourceArn=${encodeURIComponent(idleDlq)}`);
    expect(started.body.tasks).toEqual([expect.objectContaining({ startedBy: 'arn:aws:iam::999999999999:role/local via org', startReason: 'replay the idle one' })]);
  });

  it("shows the org API's sentence naming an account whose API is down", async () => {
    // Prepare
    await page.goto(`${t.org.org.url}/`);
    await activeRow(ACCOUNT_1).waitFor();
    await t.org.accounts[ACCOUNT_1]!.api.stop();

    // Act
    await activeRow(ACCOUNT_1).getByRole('button', { name: /Cancel the redrive of/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this redrive?' });
    await dialog.getByLabel(/Why are you cancelling it/).fill('account 1 is down');
    await dialog.getByRole('button', { name: 'Cancel redrive' }).click();

    // Assess
    const alert = page.getByRole('alert').filter({ hasText: 'Could not cancel the redrive' });
    await expect(alert.textContent()).resolves.toMatch(new RegExp(`^Could not cancel the redrive: Account ${ACCOUNT_1}'s API `));
  });
});
