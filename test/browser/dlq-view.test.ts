import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';

import { useDashboardInChromium } from '../support/dashboard-in-chromium';
import { eventually, type TestStack } from '../support/local-stack-fixture';
import { type Dlq, seedDlqWith } from '../support/selective-dlq';

/** Every body a queue hands out to one long receive (each stays hidden for a minute, so none is counted twice). */
async function bodiesIn(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const answer = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 1 }));
  return (answer.Messages ?? []).map((message) => message.Body!).sort();
}
async function heldBy(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
}

describe('the dashboard: DLQ list, peek and the decisions of a DLQ view, in Chromium', () => {
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
    const origin = await page.locator('#dlqs tbody tr', { hasText: small.dlqArn }).locator('.origin').textContent();
    await page.locator('#dlqs tbody tr', { hasText: full.dlqArn }).getByRole('button').click();
    await page.click('#peek');
    await page.locator('details.message').first().waitFor();

    // Assess
    expect(order).toEqual([full.dlqArn, small.dlqArn]);
    // API.md section 11: an SQS DLQ's Origin
    expect(origin).toBe('SQS dead letters');
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
    await expect(page.locator('#dlqs-as-of').textContent()).resolves.toMatch(/^Figures as of .+, the inventory's last run \(it refreshes them on its schedule\)\.$/);
  });

  it('draws each row from its entry and its history: origin, an expiry within a day in words, and a sparkline of the points', async () => {
    // Prepare: the list and the histories as the API answers them (API.md sections 6, 11, 12, 13), so the drawing is pinned
    const now = Date.now();
    const hour = 3600 * 1000;
    const entry = (name: string, fields: Record<string, unknown>) => ({
      QueueArn: `arn:aws:sqs:us-east-1:123456789012:${name}`, QueueName: name, ApproximateNumberOfMessages: 12, ApproximateNumberOfMessagesNotVisible: 0, SourceQueueArns: [], ...fields,
    });
    const soon = entry('drawn-lambda-dlq', {
      Origin: 'lambda', Targets: [{ Arn: 'arn:aws:lambda:us-east-1:123456789012:function:billing', Kind: 'function' }],
      RetentionSeconds: 345600, OldestMessageExpiresAt: new Date(now + 3 * hour).toISOString(),
    });
    const later = entry('drawn-sqs-dlq', { SourceQueueArns: ['arn:aws:sqs:us-east-1:123456789012:drawn-sqs'], OldestMessageExpiresAt: new Date(now + 72 * hour).toISOString() });
    const points = [
      { at: new Date(now - 20 * hour).toISOString(), ApproximateNumberOfMessages: 0, NewMessages: 0 },
      { at: new Date(now - 10 * hour).toISOString(), ApproximateNumberOfMessages: 30, NewMessages: 30 },
      { at: new Date(now - 1 * hour).toISOString(), ApproximateNumberOfMessages: 12, NewMessages: 0 },
      { at: new Date(now - 30 * hour).toISOString(), ApproximateNumberOfMessages: 99, NewMessages: 99 }, // outside the 24 hours
    ];
    const asked: string[] = [];
    await page.route('**/dlqs?*', (request) => request.fulfill({ contentType: 'application/json', body: JSON.stringify({ dlqs: [soon, later], asOf: new Date(now).toISOString() }) }));
    await page.route('**/dlqs/*/history?*', (request) => {
      asked.push(new URL(request.request().url()).pathname.split('/')[2]! + ' ' + new URL(request.request().url()).searchParams.get('hours'));
      return request.fulfill({ contentType: 'application/json', body: JSON.stringify({ points }) });
    });

    // Act
    await page.goto(`${t.stack.apiUrl}/`);
    const row = (name: string) => page.locator(`#dlqs tbody tr[data-queue-arn$=":${name}"]`);
    const line = row('drawn-lambda-dlq').locator('svg.sparkline polyline');
    await line.waitFor();
    const drawn = (await line.getAttribute('points'))!.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);
    const label = await row('drawn-lambda-dlq').locator('svg.sparkline').getAttribute('aria-label');
    await row('drawn-lambda-dlq').getByRole('button').click();
    await page.locator('#chart svg.history-chart polyline').waitFor();

    // Assess: three points in the window, oldest first, left to right; the peak at the top, the empty start on the floor
    expect(drawn).toHaveLength(3);
    expect(drawn.map(([x]) => x)).toEqual([...drawn.map(([x]) => x)].sort((a, b) => a - b));
    const ys = drawn.map(([, y]) => y);
    expect(Math.min(...ys)).toBe(ys[1]);
    expect(Math.max(...ys)).toBe(ys[0]);
    expect(ys[2]).toBeGreaterThan(ys[1]!);
    expect(ys[2]).toBeLessThan(ys[0]!);
    expect(label).toBe('Last 24 hours: 0 → 12 messages, peak 30, 30 new');
    expect(await row('drawn-lambda-dlq').locator('svg.sparkline rect.spark-new').count()).toBe(1);
    await expect(row('drawn-lambda-dlq').locator('.origin').textContent()).resolves.toBe('Lambda dead letters');
    await expect(row('drawn-lambda-dlq').locator('td').nth(4).textContent()).resolves.toBe('billing');
    await expect(row('drawn-lambda-dlq').locator('td.expiry').textContent()).resolves.toMatch(/^in 2h 59m|^in 3h 0m/);
    await expect(row('drawn-lambda-dlq').locator('td.expiry .expiring-label').textContent()).resolves.toBe('within a day');
    expect(await row('drawn-sqs-dlq').locator('td.expiry .expiring-label').count()).toBe(0);
    await expect(row('drawn-sqs-dlq').locator('td.expiry').textContent()).resolves.toMatch(/^in (2d 23h|3d 0h)$/);
    expect(await page.locator('#chart polyline').getAttribute('points')).toMatch(/^(\S+ ){2}\S+$/);
    expect(asked).toEqual(expect.arrayContaining(['drawn-lambda-dlq 24', 'drawn-sqs-dlq 24']));
  });

  it('offers a selective start only after a dry run of exactly the choices on screen, then moves only what matches', async () => {
    // Prepare: 2 messages of tenant acme, 3 of another
    const tenant = (value: string) => ({ tenant: { DataType: 'String', StringValue: value } });
    const dlq = await seedDlqWith(t.sqs, 'browser-selective', [
      ...[1, 2].map((n) => ({ body: `acme ${n}`, attributes: tenant('acme') })),
      ...[1, 2, 3].map((n) => ({ body: `other ${n}`, attributes: tenant('other') })),
    ]);
    await t.stack.refreshInventory();
    await page.goto(`${t.stack.apiUrl}/`);
    await page.locator(`#dlqs tbody tr[data-queue-arn="${dlq.dlqArn}"]`).getByRole('button').click();
    const name = dlq.dlqArn.split(':').pop()!;

    // Act: a filter makes it selective: no start before its dry run
    await page.fill('#view-filter', '{"tenant": ["acme"]}');
    await page.fill('#view-why', 'acme only');
    const beforeDryRun = await page.locator('#view-start').isEnabled();
    await page.click('#view-dry-run');
    await page.locator('#view-dry-run-result', { hasText: 'Dry run at' }).waitFor();
    const dryRun = await page.locator('#view-dry-run-result').textContent();
    const afterDryRun = await page.locator('#view-start').isEnabled();
    // a changed choice asks for another dry run; the same choices again are what the dry run answered for
    await page.fill('#view-max', '1');
    const afterChange = await page.locator('#view-start').isEnabled();
    await page.fill('#view-max', '');
    await page.locator('#view-start:enabled').waitFor();
    await page.click('#view-start');
    const question = await page.locator('#confirm-start-text').textContent();
    await page.getByRole('dialog', { name: 'Start this redrive?' }).getByRole('button', { name: 'Start redrive' }).click();

    // Assess
    expect(beforeDryRun).toBe(false);
    expect(dryRun).toMatch(/^Dry run at .*: of 5 messages sampled, 2 match\. Nothing was moved; every message is visible again\.$/);
    expect(afterDryRun).toBe(true);
    expect(afterChange).toBe(false);
    expect(question).toBe(`Move the messages of ${name} that match the filter policy {"tenant":["acme"]} on the message attributes back to their source queues, at SQS's default rate? The dry run matched 2 of the 5 messages it sampled.`);
    await page.locator('#notice', { hasText: `Started a redrive of ${name}.` }).waitFor();
    const tasks = await eventually(async () => (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks, (found) => found.length === 1 && found[0].Status === 'COMPLETED', 30_000);
    expect(tasks[0]).toMatchObject({ Kind: 'selective', startReason: 'acme only', ApproximateNumberOfMessagesMoved: 2, NumberOfMessagesSkipped: 3 });
    await page.locator(`#view-tasks tbody tr[data-task-id="${tasks[0].taskId}"]`, { hasText: 'selective' }).waitFor();
  });

  /** A DLQ of three messages, its view open and peeked at. */
  async function openPeeked(prefix: string): Promise<Dlq> {
    const dlq = await seedDlqWith(t.sqs, prefix, ['one', 'two', 'three'].map((body) => ({ body })));
    await t.stack.refreshInventory();
    await page.goto(`${t.stack.apiUrl}/`);
    await page.locator(`#dlqs tbody tr[data-queue-arn="${dlq.dlqArn}"]`).getByRole('button').click();
    await page.click('#peek');
    await page.locator('details.message').nth(2).waitFor();
    return dlq;
  }
  const peeked = (body: string) => page.locator('details.message', { has: page.locator('pre.body', { hasText: new RegExp(`^${body}$`) }) });

  it('retries exactly the chosen message from the peek: it reaches its source queue, the others stay in the DLQ', async () => {
    // Prepare
    const dlq = await openPeeked('browser-retry');
    const name = dlq.dlqArn.split(':').pop()!;
    const message = peeked('two');
    await message.locator('summary').click();
    const messageId = (await message.locator('summary').textContent())!.split(' · ')[0]!;

    // Act
    await message.getByRole('button', { name: `Retry message ${messageId}` }).click();
    const question = await page.locator('#confirm-action-text').textContent();
    await page.fill('#action-reason', 'the bug is fixed');
    await page.click('#confirm-action-go');
    await page.locator('#message-action-result', { hasText: /^Done: / }).waitFor();

    // Assess
    expect(question).toBe(`Retry message ${messageId} of ${name}? It is sent unchanged to the queue it failed in, then deleted from the DLQ.`);
    await expect(page.locator('#message-action-result').textContent()).resolves.toMatch(new RegExp(`^Done: retry message ${messageId} of ${name} \\(task \\S+\\)\\.$`));
    expect(await bodiesIn(t.sqs, dlq.sourceUrl)).toEqual(['two']);
    await eventually(() => heldBy(t.sqs, dlq.dlqUrl), (held) => held === 2, 10_000);
    // the peek is taken again: the retried message is gone from it
    await page.locator('details.message').nth(1).waitFor();
    expect(await page.locator('pre.body').allTextContents()).toEqual(expect.arrayContaining(['one', 'three']));
    expect(await page.locator('details.message').count()).toBe(2);
  });

  it('an edit sends the body edited in its textarea, never the original, and the others stay in the DLQ', async () => {
    // Prepare
    const dlq = await openPeeked('browser-edit');
    const message = peeked('one');
    await message.locator('summary').click();

    // Act
    await message.getByRole('button', { name: /^Edit message / }).click();
    const prefilled = await page.inputValue('#action-body');
    const sent = page.waitForRequest((request) => request.method() === 'POST' && /\/messages\//.test(request.url()));
    await page.fill('#action-body', '<b>one, fixed</b>');
    await page.fill('#action-reason', 'typo in the order id');
    await page.click('#confirm-action-go');
    await page.locator('#message-action-result', { hasText: /^Done: / }).waitFor();

    // Assess: the edited copy reached the source queue, the original went to the archive only (docs/decisions.md)
    expect(prefilled).toBe('one');
    expect((await sent).postDataJSON()).toEqual({ Action: 'edit', Reason: 'typo in the order id', Body: '<b>one, fixed</b>' });
    expect(await bodiesIn(t.sqs, dlq.sourceUrl)).toEqual(['<b>one, fixed</b>']);
    await eventually(() => heldBy(t.sqs, dlq.dlqUrl), (held) => held === 2, 10_000);
  });

  it('archive/discard posts the reason, Delete and the selection fields to POST /dlqs/{queueName}/archive', async () => {
    // Prepare: the archive route answered by the test (API.md section 12), so the page's request is what is checked
    const dlq = await openPeeked('browser-archive');
    const name = dlq.dlqArn.split(':').pop()!;
    const posted: { path: string; body: unknown }[] = [];
    await page.route('**/dlqs/*/archive', (request) => {
      posted.push({ path: new URL(request.request().url()).pathname, body: request.request().postDataJSON() });
      return request.fulfill({ contentType: 'application/json', body: JSON.stringify({ TaskHandle: 'archive-task-1' }) });
    });

    // Act
    await page.fill('#archive-filter', '{"tenant": ["acme"]}');
    await page.selectOption('#archive-scope', 'MessageBody');
    await page.fill('#archive-max', '2');
    await page.check('#archive-delete');
    await page.getByRole('button', { name: 'Discard…' }).click();
    const question = await page.locator('#confirm-action-text').textContent();
    await page.fill('#action-reason', 'poison messages');
    await page.click('#confirm-action-go');
    await page.locator('#notice', { hasText: 'archive-task-1' }).waitFor();

    // Assess
    expect(question).toBe(`Archive, then delete, at most 2 of the messages that match the filter policy {"tenant":["acme"]} on the message body of ${name}? ` +
      'Each is deleted from the DLQ only once the archive holds it.');
    expect(posted).toEqual([{ path: `/dlqs/${name}/archive`,
      body: { FilterPolicy: { tenant: ['acme'] }, FilterPolicyScope: 'MessageBody', MaxMessages: 2, Delete: true, Reason: 'poison messages' } }]);
    await expect(page.locator('#notice').textContent()).resolves.toBe(`Started to discard messages of ${name} (task archive-task-1).`);
  });

  it('replays one of the DLQ\'s archives from its Replay… button: the archived messages reach their source queue, the DLQ keeps its own', async () => {
    // Prepare: a copy-mode archive of two messages, ended
    const dlq = await seedDlqWith(t.sqs, 'browser-replay', ['<b>first</b>', 'second'].map((body) => ({ body })));
    const name = dlq.dlqArn.split(':').pop()!;
    const started = await t.post(`/dlqs/${name}/archive`, { Reason: 'keep a copy' });
    const archiveId = JSON.parse(Buffer.from(started.body.TaskHandle as string, 'base64').toString()).taskId as string;
    await eventually(async () => {
      await t.reconcile();
      return (await t.get(`/tasks/${archiveId}`)).body.Status as string;
    }, (status) => status === 'COMPLETED', 30_000);
    await t.stack.refreshInventory();
    await page.goto(`${t.stack.apiUrl}/`);
    await page.locator(`#dlqs tbody tr[data-queue-arn="${dlq.dlqArn}"]`).getByRole('button').click();
    const row = page.locator(`#view-archives tbody tr[data-task-id="${archiveId}"]`);

    // Act
    await row.getByRole('button', { name: `Replay archive ${archiveId}` }).click();
    const question = await page.locator('#confirm-action-text').textContent();
    await page.fill('#action-reason', 'the consumer is fixed');
    await page.click('#confirm-action-go');
    await page.locator('#notice', { hasText: `Started to replay archive ${archiveId} of ${name}` }).waitFor();

    // Assess: the row's text is the API's, as text; the replay sent both to the source queue, the DLQ kept its two
    await expect(row.textContent()).resolves.toContain('keep a copy');
    expect(question).toBe(`Replay the 2 archived messages of archive ${archiveId} (${name}) to the queues they failed in? Each is sent at least once; the archive and the DLQ are not changed.`);
    const replays = await eventually(async () => (await t.get(`/tasks?sourceArn=${encodeURIComponent(dlq.dlqArn)}`)).body.tasks as Record<string, unknown>[], (tasks) => tasks.some((task) => task.Kind === 'archive-replay' && task.Status === 'COMPLETED'), 30_000);
    expect(replays.find((task) => task.Kind === 'archive-replay')).toMatchObject({ ArchiveTaskId: archiveId, startReason: 'the consumer is fixed', ApproximateNumberOfMessagesMoved: 2 });
    expect(await bodiesIn(t.sqs, dlq.sourceUrl)).toEqual(['<b>first</b>', 'second']);
    expect(await heldBy(t.sqs, dlq.dlqUrl)).toBe(2);
  });
});
