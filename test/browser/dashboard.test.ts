import { resolve } from 'node:path';

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';

import { useDashboardInChromium } from '../support/dashboard-in-chromium';
import { eventually, type TestStack } from '../support/local-stack-fixture';

// the whole page after a start, for a person to look at; the README's picture is scripts/dashboard-screenshot.ts's (`npm run screenshot`)
const SCREENSHOT = resolve(__dirname, '../..', 'test-output/dashboard.png');

describe('the dashboard in Chromium against the local stack', () => {
  const chromium = useDashboardInChromium();
  let t: TestStack;
  let page: Page;
  beforeEach(() => {
    t = chromium.stack;
    page = chromium.page;
  });

  const activeRow = (taskId: string) => page.locator(`#active tbody tr[data-task-id="${taskId}"]`);
  const dlqRow = (arn: string) => page.locator(`#dlqs tbody tr[data-queue-arn="${arn}"]`);
  /** the start forms take a managed queue's name once GET /queues has answered */
  const knownQueue = (name: string) => page.locator(`#queue-options option[value="${name}"]`).waitFor({ state: 'attached' });

  it('lists a running redrive with its progress, rendering the reason as text', async () => {
    // Prepare: a reason is free text, markup included
    const dlq = await t.seedDlq(40, 'orders-dlq-list');
    const reason = 'replay after <img src=x onerror="document.title=1"> fix';
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 2, Reason: reason });
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId as string;
    await t.stack.refreshInventory();

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    const row = activeRow(taskId);
    await row.waitFor();
    // the page refreshes itself while the task runs: progress grows without a reload
    await eventually(async () => Number(await row.locator('progress').getAttribute('value')), (moved) => moved >= 4);

    // Assess
    await expect(row.locator('.status').textContent()).resolves.toBe('RUNNING');
    await expect(row.textContent()).resolves.toMatch(/\d+ of 40 moved/);
    await expect(row.textContent()).resolves.toContain('2/s');
    await expect(row.locator('.reason').textContent()).resolves.toBe(reason);
    expect(await page.locator('#active img, #history img').count()).toBe(0);
    expect(await page.title()).not.toBe('1');
    // the DLQ's one row in the list names its active redrive
    await expect(dlqRow(dlq.dlqArn).locator('td.active-task').textContent()).resolves.toMatch(/^RUNNING · \d+ moved$/);
  });

  it('renders a reason with ESC, BEL and C1 characters as escaped text', async () => {
    // Prepare
    const dlq = await t.seedDlq(30, 'orders-dlq-controls');
    const reason = 'hotfix\u001b]0;owned\u0007 \u009b2J\u202Edone';
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: reason });
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId as string;

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    const row = activeRow(taskId);
    await row.waitFor();

    // Assess: the record keeps the bytes; the page shows them as visible escapes, not as controls
    await expect(row.locator('.reason').textContent()).resolves.toBe('hotfix\\x1B]0;owned\\x07 \\x9B2J\\u202Edone');
    expect(await page.title()).not.toBe('owned');
    expect((await t.get(`/tasks/${taskId}`)).body.startReason).toBe(reason);
  });

  it('cancels a redrive through the page, asking for a reason', async () => {
    // Prepare
    const dlq = await t.seedDlq(30, 'invoices');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 });
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId as string;
    await page.goto(`${t.stack.apiUrl}/`);
    const row = activeRow(taskId);

    // Act
    await row.getByRole('button', { name: /Cancel the redrive of/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this redrive?' });
    await dialog.getByRole('button', { name: 'Cancel redrive' }).click(); // no reason yet: refused
    const stillOpen = await dialog.isVisible();
    await dialog.getByLabel(/Why are you cancelling it/).fill('orders consumer is failing again');
    await dialog.getByRole('button', { name: 'Cancel redrive' }).click();

    // Assess
    expect(stillOpen).toBe(true);
    await page.locator('#notice', { hasText: 'Cancelling the redrive of' }).waitFor();
    await eventually(() => row.locator('.status').textContent(), (status) => status === 'CANCELLING' || status === 'CANCELLED');
    const record = await t.get(`/tasks/${taskId}`);
    expect(record.body).toMatchObject({ cancelledBy: 'arn:aws:iam::123456789012:role/local', cancelReason: 'orders consumer is failing again' });
    expect(['CANCELLING', 'CANCELLED']).toContain(record.body.Status);
    const historyRow = page.locator(`#history tbody tr[data-task-id="${taskId}"]`);
    await expect(historyRow.textContent()).resolves.toContain('orders consumer is failing again');
  });

  it('starts a redrive through the page after a confirmation naming the queue and the message count; saves a screenshot', async () => {
    // Prepare
    const dlq = await t.seedDlq(12, 'payments');
    const name = dlq.dlqArn.split(':').pop()!;
    await t.stack.refreshInventory();
    await page.goto(`${t.stack.apiUrl}/`);
    await dlqRow(dlq.dlqArn).getByRole('button', { name: `View and peek at ${name}` }).click();

    // Act: the DLQ's view holds its redrive form
    const view = page.locator('#dlq-view');
    await view.getByLabel('Rate').fill('5');
    await view.getByLabel('Why (required').fill('fixed the parser');
    await view.getByRole('button', { name: 'Start this redrive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start this redrive?' });
    const question = await dialog.locator('#confirm-start-text').textContent();
    await dialog.getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    expect(question).toBe(`Move 12 messages out of ${name} back to their source queues, at 5 messages a second?`);
    await page.locator('#notice', { hasText: `Started a redrive of ${name}.` }).waitFor();
    const recorded = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);
    expect(recorded.body.tasks).toHaveLength(1);
    expect(recorded.body.tasks[0]).toMatchObject({ startedBy: 'arn:aws:iam::123456789012:role/local', startReason: 'fixed the parser', MaxNumberOfMessagesPerSecond: 5 });
    await page.locator(`#active tbody tr`, { hasText: dlq.dlqArn }).waitFor();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('shows an API error in words', async () => {
    // Prepare: a queue of another account is refused by the controller before SQS is asked
    await page.goto(`${t.stack.apiUrl}/`);

    // Act
    await page.getByLabel('Source DLQ (queue name or ARN)').fill('arn:aws:sqs:us-east-1:111122223333:elsewhere-dlq');
    await page.getByLabel('Reason').fill('try another account');
    await page.getByRole('button', { name: 'Review and start…' }).click();
    await page.getByRole('dialog', { name: 'Start this redrive?' }).getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/^Could not start the redrive: .*111122223333/);
  });

  it('lists each DLQ once, naming its source queues, and offers a start in its view only while no redrive of it is active', async () => {
    // Prepare
    const idle = await t.seedDlq(3, 'offer-idle');
    const busy = await t.seedDlq(30, 'offer-busy');
    await t.post('/StartMessageMoveTask', { SourceArn: busy.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'busy' });
    await t.stack.refreshInventory();

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    await dlqRow(idle.dlqArn).waitFor();
    const listed = await page.locator('tr[data-queue-arn]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-queue-arn')));
    await dlqRow(idle.dlqArn).locator('td').nth(1).click(); // a click anywhere on the row opens the view
    await page.locator('#dlq-view-title', { hasText: `Dead-letter queue ${idle.dlqArn.split(':').pop()}` }).waitFor();
    const idleStart = await page.locator('#view-start').isEnabled();
    await dlqRow(busy.dlqArn).getByRole('button', { name: /^View and peek at / }).click();
    await page.locator('#view-redrive-busy', { hasText: 'A redrive of this DLQ is running' }).waitFor();

    // Assess: one row per DLQ in the whole page, none for a source queue (it is named in its DLQ's row)
    expect(listed.filter((arn) => arn === idle.dlqArn)).toHaveLength(1);
    expect(listed.filter((arn) => arn === busy.dlqArn)).toHaveLength(1);
    expect(listed).not.toContain(idle.sourceQueueArn);
    expect(await page.locator('#queues').count()).toBe(0);
    await expect(dlqRow(idle.dlqArn).locator('td').nth(4).textContent()).resolves.toBe(idle.sourceQueueArn.split(':').pop());
    await expect(dlqRow(idle.dlqArn).locator('.origin').textContent()).resolves.toBe('SQS dead letters');
    await expect(dlqRow(busy.dlqArn).locator('td.active-task').textContent()).resolves.toMatch(/^RUNNING/);
    expect(idleStart).toBe(true);
    expect(await page.locator('#view-start').isEnabled()).toBe(false);
    expect(await page.locator('#view-dry-run').isEnabled()).toBe(false);
  });

  it('refuses a source queue typed into the form, naming its DLQ, without calling the API', async () => {
    // Prepare
    const dlq = await t.seedDlq(1, 'typed-source');
    const source = dlq.sourceQueueArn.split(':').pop()!;
    await page.goto(`${t.stack.apiUrl}/`);
    await knownQueue(source);

    // Act
    await page.getByLabel('Source DLQ (queue name or ARN)').fill(source);
    await page.getByLabel('Reason').fill('wrong queue');
    await page.getByRole('button', { name: 'Review and start…' }).click();

    // Assess
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      `Could not start the redrive: ${source} is a source queue; SQS redrives only out of a DLQ: redrive ${source}-dlq instead`,
    );
    expect(await page.getByRole('dialog', { name: 'Start this redrive?' }).isVisible()).toBe(false);
  });

  it('takes a queue name in the start form, asks for a reason first, and counts "1 message"', async () => {
    // Prepare
    const dlq = await t.seedDlq(1, 'by-name');
    const name = dlq.dlqArn.split(':').pop()!;
    await page.goto(`${t.stack.apiUrl}/`);
    await knownQueue(name);

    // Act
    await page.getByLabel('Source DLQ (queue name or ARN)').fill(name);
    await page.getByRole('button', { name: 'Review and start…' }).click(); // no reason yet: refused
    const invalid = await page.getByLabel('Reason').getAttribute('aria-invalid');
    const openedWithoutReason = await page.getByRole('dialog', { name: 'Start this redrive?' }).isVisible();
    await page.getByLabel('Reason').fill('one left');
    await page.getByRole('button', { name: 'Review and start…' }).click();
    const question = await page.locator('#confirm-start-text').textContent();
    await page.getByRole('dialog', { name: 'Start this redrive?' }).getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    expect(invalid).toBe('true');
    expect(openedWithoutReason).toBe(false);
    expect(question).toBe(`Move 1 message out of ${name} back to their source queues, at SQS's default rate?`);
    await eventually(async () => (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks, (tasks) => tasks.length === 1);
  });

  it('shows a start SQS fails at once as failed, with its reason, not as "Started"', async () => {
    // Prepare: a message sent straight into the DLQ has no source queue to go back to
    const dlq = await t.seedDlq(0, 'no-source');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.dlqUrl, MessageBody: 'orphan' }));
    const name = dlq.dlqArn.split(':').pop()!;
    await page.goto(`${t.stack.apiUrl}/`);
    await knownQueue(name);

    // Act
    await page.getByLabel('Source DLQ (queue name or ARN)').fill(name);
    await page.getByLabel('Reason').fill('replay');
    await page.getByRole('button', { name: 'Review and start…' }).click();
    await page.getByRole('dialog', { name: 'Start this redrive?' }).getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    await page.getByRole('alert').filter({ hasText: `The redrive of ${name} failed` }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(new RegExp(`^The redrive of ${name} failed: \\S`));
    expect(await page.locator('#notice').isVisible()).toBe(false);
  });

  it('shows one view of a running task in Active, History and the cancel dialog', async () => {
    // Prepare
    const dlq = await t.seedDlq(30, 'one-truth');
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 2, Reason: 'one view' });
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId as string;
    await page.goto(`${t.stack.apiUrl}/`);
    const active = activeRow(taskId);
    // moved > 0 in SQS's view while the record (updated by the reconciler) may still say 0
    await eventually(async () => Number(await active.locator('progress').getAttribute('value')), (moved) => moved >= 2);

    // Act: read both tables and open the dialog in one tick, so all three come from one render
    const seen = (await page.evaluate(`(() => {
      const row = (table) => document.querySelector('#' + table + ' tbody tr[data-task-id="${taskId}"]');
      const seen = {
        activeStatus: row('active').querySelector('.status').textContent,
        activeMoved: Number(row('active').querySelector('progress').getAttribute('value')),
        historyStatus: row('history').querySelector('.status').textContent,
        historyMoved: Number(row('history').querySelector('td.num').textContent.replace(/\\D/g, '')),
      };
      row('active').querySelector('button').click();
      seen.dialogText = document.querySelector('#confirm-cancel-text').textContent;
      return seen;
    })()`)) as { activeStatus: string; activeMoved: number; historyStatus: string; historyMoved: number; dialogText: string };

    // Assess
    expect(seen.historyStatus).toBe(seen.activeStatus);
    expect(seen.historyMoved).toBe(seen.activeMoved);
    expect(seen.dialogText).toMatch(new RegExp(`has moved ${seen.activeMoved} messages? so far`));
  });
});
