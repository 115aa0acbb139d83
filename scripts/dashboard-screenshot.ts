// npm run screenshot: docs/dashboard.png, the README's picture, from the local stack and the demo's data
// (demo-orders-dlq's 60 messages, as `npm start -- --demo` seeds them, and two more DLQs), with a
// redrive running and demo-orders-dlq's view open on a dry run. The org page's picture comes from its
// browser test (test/browser/org-dashboard.test.ts with UPDATE_SCREENSHOT=1).
import { resolve } from 'node:path';

import { SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS, startLocalStack } from '../local/local-stack';
import { seedDlq } from '../local/seed-dlq';
import { launchChromium } from '../test/support/browser';

const OUTPUT = resolve(__dirname, '..', process.argv[2] ?? 'docs/dashboard.png');

async function main(): Promise<void> {
  const stack = await startLocalStack({ apiPort: 0, sqsPort: 0, dynamoDbPort: 0, eventsPort: 0, lambdaPort: 0, reconcileIntervalMs: 0, onLog: () => undefined });
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  const browser = await launchChromium();
  try {
    const demo = await seedDlq(sqs, 'demo-orders', 60, (index) => JSON.stringify({ orderId: 1000 + index, status: 'PAID' }));
    const payments = await seedDlq(sqs, 'payments', 24);
    await seedDlq(sqs, 'invoices', 3);
    // one inventory before and one after the start, so the list has figures and the running redrive
    await stack.refreshInventory();
    const started = await fetch(`${stack.apiUrl}/StartMessageMoveTask`, {
      method: 'POST',
      body: JSON.stringify({ SourceArn: payments.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'payments consumer fixed in deploy 42' }),
    });
    if (!started.ok) throw new Error(`the demo redrive did not start: ${await started.text()}`);
    await stack.refreshInventory();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${stack.apiUrl}/`);
    await page.locator(`#dlqs tbody tr[data-queue-arn="${demo.dlqArn}"]`).getByRole('button').click();
    await page.fill('#view-max', '10');
    await page.fill('#view-why', 'replay after the fix: a canary of 10 first');
    await page.click('#view-dry-run');
    await page.locator('#view-dry-run-result', { hasText: 'Dry run at' }).waitFor();
    await page.locator('#active tbody tr').first().waitFor();
    // the list and the open view: the rest of the page (active redrives, start form, history) is below it
    const bottom = (await page.evaluate("document.getElementById('dlq-view').getBoundingClientRect().bottom + window.scrollY")) as number;
    await page.screenshot({ path: OUTPUT, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 16 } });
    console.log(`wrote ${OUTPUT}`);
  } finally {
    await browser.close();
    sqs.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
