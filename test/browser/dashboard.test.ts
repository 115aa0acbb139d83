import { resolve } from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { launchChromium } from '../support/browser';
import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';

// `npm run screenshot` refreshes the README's picture; plain test runs leave docs/ untouched
const SCREENSHOT = resolve(__dirname, '../..', process.env.UPDATE_SCREENSHOT ? 'docs/dashboard.png' : 'test-output/dashboard.png');

describe('the dashboard in Chromium against the local stack', () => {
  let t: TestStack;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // one after the other, so a browser that fails to start cannot leave the stack running
    t = await startTestStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // a CSP violation shows up as a console error; the page must cause none
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/.test(message.text())) pageErrors.push(message.text());
    });
  });
  afterEach(async () => {
    await page?.close();
    expect(pageErrors).toEqual([]);
  });

  const activeRow = (taskId: string) => page.locator(`#active tbody tr[data-task-id="${taskId}"]`);

  it('lists a running redrive with its progress, rendering the reason as text', async () => {
    // Prepare: a reason is free text, markup included
    const dlq = await t.seedDlq(40, 'orders-dlq-list');
    const reason = 'replay after <img src=x onerror="document.title=1"> fix';
    const started = await t.post('/StartMessageMoveTask', { SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 2, Reason: reason });
    const taskId = JSON.parse(Buffer.from(started.body.TaskHandle, 'base64').toString()).taskId as string;

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
    const queueRow = page.locator('#queues tbody tr', { hasText: dlq.dlqArn });
    await expect(queueRow.locator('.status').textContent()).resolves.toBe('RUNNING');
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
    expect(record.body).toMatchObject({ cancelledBy: 'local', cancelReason: 'orders consumer is failing again' });
    expect(['CANCELLING', 'CANCELLED']).toContain(record.body.Status);
    const historyRow = page.locator(`#history tbody tr[data-task-id="${taskId}"]`);
    await expect(historyRow.textContent()).resolves.toContain('orders consumer is failing again');
  });

  it('starts a redrive through the page after a confirmation naming the queue and the message count; saves a screenshot', async () => {
    // Prepare
    const dlq = await t.seedDlq(12, 'payments');
    const name = dlq.dlqArn.split(':').pop()!;
    await page.goto(`${t.stack.apiUrl}/`);
    await page.locator('#queues tbody tr', { hasText: dlq.dlqArn }).getByRole('button', { name: `Redrive ${name}` }).click();

    // Act
    await page.getByLabel('Messages per second').fill('5');
    await page.getByLabel('Reason').fill('fixed the parser');
    await page.getByRole('button', { name: 'Review and start…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start this redrive?' });
    const question = await dialog.locator('#confirm-start-text').textContent();
    await dialog.getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    expect(question).toBe(`Move 12 messages out of ${name} back to their source queues, at 5 messages a second?`);
    await page.locator('#notice', { hasText: `Started a redrive of ${name}.` }).waitFor();
    const recorded = await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`);
    expect(recorded.body.tasks).toHaveLength(1);
    expect(recorded.body.tasks[0]).toMatchObject({ startedBy: 'local', startReason: 'fixed the parser', MaxNumberOfMessagesPerSecond: 5 });
    await page.locator(`#active tbody tr`, { hasText: dlq.dlqArn }).waitFor();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('shows an API error in words', async () => {
    // Prepare: a queue no redrive policy points at is no DLQ, and SQS refuses to redrive it
    const dlq = await t.seedDlq(1, 'page-error');
    await page.goto(`${t.stack.apiUrl}/`);

    // Act
    await page.getByLabel('Source DLQ (queue ARN)').fill(dlq.sourceQueueArn);
    await page.getByRole('button', { name: 'Review and start…' }).click();
    await page.getByRole('dialog', { name: 'Start this redrive?' }).getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toBe('Could not start the redrive: Source queue must be configured as a Dead Letter Queue.');
  });
});
