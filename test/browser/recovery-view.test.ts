import { randomUUID } from 'node:crypto';

import type { Page } from 'playwright-core';

import { seedDlq } from '../../local/seed-dlq';
import { useDashboardInChromium } from '../support/dashboard-in-chromium';
import type { TestStack } from '../support/local-stack-fixture';

const NAME = `browser-rec-${randomUUID().slice(0, 8)}`;
const DLQ_ARN = `arn:aws:sqs:us-east-1:123456789012:${NAME}-dlq`;

describe('the dashboard: a DLQ\'s recovery, held and released with a reason, in Chromium', () => {
  const chromium = useDashboardInChromium({ recoveryPolicies: [{ dlq: DLQ_ARN, alarms: [`${NAME}-errors`], rampEverySeconds: 3600 }] });
  let t: TestStack;
  let page: Page;
  beforeEach(() => {
    t = chromium.stack;
    page = chromium.page;
  });
  beforeAll(async () => {
    await seedDlq(chromium.stack.sqs, NAME, 3);
    await chromium.stack.stack.refreshInventory();
  });

  it('shows the state, why and what is next, and holds and releases only after asking why', async () => {
    // Prepare
    await page.goto(`${t.stack.apiUrl}/`);
    const row = page.locator('#dlqs tbody tr', { hasText: DLQ_ARN });
    await row.waitFor();

    // Act: hold, first without a reason
    await row.getByRole('button').click();
    await page.locator('#recovery-text', { hasText: 'Recovery: IDLE' }).waitFor();
    await page.click('#recovery-hold');
    await page.click('#confirm-recovery-go');
    const stillAsking = await page.locator('#confirm-recovery').evaluate((dialog) => (dialog as unknown as { open: boolean }).open);
    await page.fill('#recovery-reason', 'consumer deploy <b>now</b>');
    await page.click('#confirm-recovery-go');
    await page.locator('#recovery-text', { hasText: 'Recovery: HELD' }).waitFor();

    // Assess
    expect(stillAsking).toBe(true);
    await expect(page.locator('#recovery-text').textContent()).resolves.toContain('consumer deploy <b>now</b>');
    await row.locator('td.recovery', { hasText: /^HELD$/ }).waitFor();
    expect(await page.locator('#recovery-text b').count()).toBe(0);
    expect(await page.isHidden('#recovery-hold')).toBe(true);

    // Act: release
    await page.click('#recovery-release');
    await page.fill('#recovery-reason', 'deploy done');
    await page.click('#confirm-recovery-go');

    // Assess
    await page.locator('#recovery-text', { hasText: 'Recovery: PAUSED' }).waitFor();
    await expect(page.locator('#notice').textContent()).resolves.toContain(`The recovery of ${NAME}-dlq is PAUSED.`);
  });

  it('groups a recovery run\'s tasks in the history under one line with the rate of each', async () => {
    // Prepare: held and released, the DLQ is PAUSED with every alarm OK: the tick resumes it (startRate 10)
    await t.post(`/dlqs/${NAME}-dlq/recovery`, { Action: 'hold', Reason: 'test' });
    expect((await t.post(`/dlqs/${NAME}-dlq/recovery`, { Action: 'release', Reason: 'test' })).status).toBe(200);
    await t.reconcile();
    const listed = await t.get(`/tasks?sourceArn=${encodeURIComponent(DLQ_ARN)}`);
    const run = listed.body.tasks.find((task: { RunId?: string }) => task.RunId);

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    const header = page.locator('#history tr.run-header', { hasText: `Recovery run ${run.RunId}` });
    await header.waitFor();

    // Assess
    await expect(header.textContent()).resolves.toBe(`Recovery run ${run.RunId}: 10/s`);
    await expect(page.locator(`#history tr[data-task-id="${run.taskId}"]`).textContent()).resolves.toContain('redrive-controller recovery · 10/s');
  });

  it('shows a recovery Reason with ESC, C1 and bidi characters as escaped text, in the panel and the row\'s title', async () => {
    // Prepare: an OSC title, a one-byte CSI, a right-to-left override and mark
    const reason = 'oncall\u001b]0;owned\u0007 \u009b2J\u202Eevil\u200F';
    expect((await t.post(`/dlqs/${NAME}-dlq/recovery`, { Action: 'hold', Reason: reason })).status).toBe(200);

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    const row = page.locator('#dlqs tbody tr', { hasText: DLQ_ARN });
    await row.locator('td.recovery', { hasText: /^HELD$/ }).waitFor();
    await row.getByRole('button').click();
    await page.locator('#recovery-text', { hasText: 'Recovery: HELD' }).waitFor();

    // Assess: the record keeps the characters; the page shows them as escapes, as the CLI does
    const escaped = 'oncall\\x1B]0;owned\\x07 \\x9B2J\\u202Eevil\\u200F';
    await expect(page.locator('#recovery-text').textContent()).resolves.toContain(escaped);
    await expect(row.locator('td.recovery').getAttribute('title')).resolves.toContain(escaped);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const raw = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e]/;
    expect(await page.locator('#recovery-text').textContent()).not.toMatch(raw);
    expect(await row.locator('td.recovery').getAttribute('title')).not.toMatch(raw);
  });
});
