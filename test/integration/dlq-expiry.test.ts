import { randomUUID } from 'node:crypto';

import { SetQueueAttributesCommand } from '@aws-sdk/client-sqs';

import { readConfigFile } from '../../local/template/local-config';
import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';
import { receiveAllVisible } from '../support/selective-dlq';

/** GET /dlqs and `redrive dlqs` say when SQS deletes a DLQ's oldest message (API.md section 12, docs/decisions.md). */
describe('the oldest message\'s expiry', () => {
  let t: TestStack;
  beforeAll(async () => {
    // archiveBeforeExpiry: an hour, so a DLQ of SQS's shortest retention (a minute) is always within it, one of the default 4 days never
    t = await startTestStack({ config: { ...readConfigFile(), archiveBeforeExpiry: 3600 } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('is the oldest SentTimestamp plus the DLQ\'s retention, on GET /dlqs and flagged by the CLI within a day', async () => {
    // Prepare: a standard DLQ keeps each message's original enqueue time; SQS's shortest retention, a minute
    const prefix = `expiry-${randomUUID().slice(0, 6)}`;
    const sentFrom = Date.now();
    const dlq = await t.seedDlq(3, prefix);
    const sentUntil = Date.now();
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq.dlqUrl, Attributes: { MessageRetentionPeriod: '60' } }));

    // Act
    const summary = await t.stack.refreshInventory();
    const answer = await t.get(`/dlqs?prefix=${prefix}`);
    const table = await runCli(['dlqs', '--prefix', prefix], { REDRIVE_API_URL: t.stack.apiUrl });

    // Assess
    expect(summary.sampled).toBeGreaterThanOrEqual(1);
    const [entry] = answer.body.dlqs as Array<{ RetentionSeconds: number; OldestMessageExpiresAt: string; ApproximateNumberOfMessages: number }>;
    expect(entry!.RetentionSeconds).toBe(60);
    const expiresAt = Date.parse(entry!.OldestMessageExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(sentFrom + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(sentUntil + 60_000);
    // the sample hid nothing: every message is still there to receive
    expect(entry!.ApproximateNumberOfMessages).toBe(3);
    expect(table.stdout).toMatch(new RegExp(`^${prefix}-\\S+-dlq\\s+3\\s+0\\s+-\\s+in \\d+s!`, 'm'));
    expect(table.stdout).toMatch(/EXPIRES with "!": SQS deletes the oldest message within a day/);
  });

  it('samples no DLQ again while nothing new arrived, and forgets the oldest once the DLQ is empty', async () => {
    // Prepare
    const prefix = `expiry-${randomUUID().slice(0, 6)}`;
    await t.seedDlq(2, prefix);
    const empty = await t.seedDlq(0, `${prefix}-empty`);
    await t.stack.refreshInventory();
    // the first run sampled (through the proxy this test counts with)
    expect(t.sqsProxy.count('AmazonSQS.ReceiveMessage')).toBeGreaterThan(0);
    t.sqsProxy.reset();

    // Act
    await t.stack.refreshInventory();
    const receives = t.sqsProxy.count('AmazonSQS.ReceiveMessage');
    const answer = await t.get(`/dlqs?prefix=${prefix}`);

    // Assess: the known oldest is kept without a receive; an empty DLQ has no expiry
    expect(receives).toBe(0);
    const byName = new Map((answer.body.dlqs as Array<{ QueueArn: string; OldestMessageExpiresAt?: string }>).map((entry) => [entry.QueueArn, entry]));
    expect(byName.get(empty.dlqArn)).not.toHaveProperty('OldestMessageExpiresAt');
    expect([...byName.values()].filter((entry) => entry.OldestMessageExpiresAt !== undefined)).toHaveLength(1);
  });

  it('archives and deletes, on the reconciler\'s tick, what SQS would delete within archiveBeforeExpiry, as a task like any other', async () => {
    // Prepare: a DLQ whose messages SQS deletes a minute after they were first sent, and one that keeps them 4 days
    const prefix = `expiring-${randomUUID().slice(0, 6)}`;
    const expiring = await t.seedDlq(2, prefix);
    const kept = await t.seedDlq(2, `${prefix}-kept`);
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: expiring.dlqUrl, Attributes: { MessageRetentionPeriod: '60' } }));
    await t.stack.refreshInventory();

    // Act: the tick starts the archive; later ticks re-drive the mover and settle it
    const archives = await eventually(async () => {
      await t.reconcile();
      return (await t.get(`/archives?queue=${expiring.dlqArn.split(':').pop()}`)).body.archives as Array<Record<string, unknown>>;
    }, (found) => found.length === 1 && found[0]!.Status === 'COMPLETED', 30_000);

    // Assess: well within the minute, every message is archived and gone from the DLQ; the other DLQ is untouched
    const [archive] = archives;
    expect(archive).toMatchObject({ QueueArn: expiring.dlqArn, Messages: 2, Deleted: true, StartedBy: 'redrive-controller archiveBeforeExpiry', Reason: expect.stringContaining('archiveBeforeExpiry') });
    expect((await t.get(`/tasks/${archive!.TaskId as string}`)).body).toMatchObject({ Kind: 'archive', origin: 'expiry', Delete: true });
    expect(await receiveAllVisible(t.sqs, expiring.dlqUrl)).toEqual([]);
    expect((await t.get(`/archives/${archive!.TaskId as string}/messages`)).body.Messages).toHaveLength(2);
    expect((await t.get(`/archives?queue=${kept.dlqArn.split(':').pop()}`)).body.archives).toEqual([]);
    // the stored inventory still dates the archived messages: a later tick starts no second archive
    await t.reconcile();
    expect((await t.get(`/archives?queue=${expiring.dlqArn.split(':').pop()}`)).body.archives).toHaveLength(1);
    expect(await receiveAllVisible(t.sqs, kept.dlqUrl)).toHaveLength(2);
  });
});
