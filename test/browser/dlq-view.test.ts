import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';

import { useDashboardInChromium } from '../support/dashboard-in-chromium';
import type { TestStack } from '../support/local-stack-fixture';

describe('the dashboard: DLQ list and peek, in Chromium', () => {
  const chromium = useDashboardInChromium();
  let t: TestStack;
  let page: Page;
  beforeEach(() => {
    t = chromium.stack;
    page = chromium.page;
  });

  it('lists DLQs most messages first, searches by name, and peeks with hostile bodies shown as text', async () => {
    // Prepare: two DLQs under one prefix; the fuller one holds markup and JSON bodies
    const small = await t.seedDlq(1, 'browser-dlq-a');
    const full = await t.seedDlq(0, 'browser-dlq-b');
    const markup = '<img src=x onerror="document.title=1"><script>document.title=2</script>';
    for (const body of [markup, '{"orderId":42}', 'three']) {
      await t.sqs.send(new SendMessageCommand({ QueueUrl: full.sourceQueueUrl, MessageBody: body, MessageAttributes: { tenant: { DataType: 'String', StringValue: '<b>acme</b>' } } }));
    }
    for (let round = 0; round < 20; round += 1) await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: full.sourceQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
    await t.stack.refreshInventory();

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    await page.fill('#dlqs-prefix', 'browser-dlq-');
    await page.click('#dlqs-form button[type=submit]');
    await page.locator('#dlqs tbody tr', { hasText: small.dlqArn }).waitFor();
    const order = await page.locator('#dlqs tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-queue-arn')));
    const origin = await page.locator('#dlqs tbody tr', { hasText: small.dlqArn }).locator('td.origin').textContent();
    await page.locator('#dlqs tbody tr', { hasText: full.dlqArn }).getByRole('button').click();
    await page.click('#peek');
    await page.locator('details.message').first().waitFor();

    // Assess
    expect(order).toEqual([full.dlqArn, small.dlqArn]);
    // API.md section 11: an SQS DLQ's Origin
    expect(origin).toBe('SQS');
    await expect(page.locator('#peek-result h4').textContent()).resolves.toContain(`From ${full.sourceQueueArn.split(':').pop()} (3)`);
    const bodies = await page.locator('pre.body').allTextContents();
    expect(bodies).toContain(markup);
    expect(bodies).toContain('{\n  "orderId": 42\n}');
    expect(await page.locator('#peek-result img, #peek-result script, #peek-result b').count()).toBe(0);
    expect(await page.title()).not.toMatch(/^[12]$/);
  });

  it("re-loads the DLQ list on each refresh: a later inventory's figures show without reloading the page", async () => {
    // Prepare
    const dlq = await t.seedDlq(2, 'browser-reload');
    await t.stack.refreshInventory();
    await page.goto(`${t.stack.apiUrl}/`);
    await page.fill('#dlqs-prefix', 'browser-reload-');
    await page.click('#dlqs-form button[type=submit]');
    const messages = page.locator(`#dlqs tbody tr[data-queue-arn="${dlq.dlqArn}"] td.num`).first();
    await messages.getByText('2', { exact: true }).waitFor();

    // Act: a third message, a new inventory, then the page's refresh
    await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.dlqUrl, MessageBody: 'third' }));
    await t.stack.refreshInventory();
    await page.getByRole('button', { name: 'Refresh now' }).click();

    // Assess
    await messages.getByText('3', { exact: true }).waitFor();
    await expect(page.locator('#dlqs-as-of').textContent()).resolves.toMatch(/refreshed every minute/);
  });
});
