import { gzipSync } from 'node:zlib';

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { archivePrefix } from '../../lambda/domain/archive/archive-line';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { eventually, startTestStack, type TestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';
import { receiveAllVisible, seedDlqWith } from '../support/selective-dlq';

const DELETE = 'AmazonSQS.DeleteMessageBatch';
const FINAL = ['COMPLETED', 'CANCELLED', 'FAILED'];
const tenants = (count: number) => Array.from({ length: count }, (_, index) => ({ body: `{"n":${index}}`, attributes: { tenant: { DataType: 'String', StringValue: index % 2 === 0 ? 'a' : 'b' } } }));

interface ArchivedLine {
  MessageId: string;
  Body: string;
  MessageAttributes: Record<string, { DataType: string; StringValue?: string }>;
  Attributes: { SentTimestamp: number; ApproximateReceiveCount: number; DeadLetterQueueSourceArn?: string };
  QueueArn: string;
  TaskId: string;
}

/** POST /dlqs/{queueName}/archive on the local stack: the bundled functions, the S3 emulator behind the roles' policies. */
describe('archive and discard (API.md section 12)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  async function archive(dlqArn: string, body: Record<string, unknown>): Promise<string> {
    const answer = await t.post(`/dlqs/${dlqArn.split(':').pop()}/archive`, { Reason: 'a test', ...body });
    expect(answer.status).toBe(200);
    return JSON.parse(Buffer.from(answer.body.TaskHandle as string, 'base64').toString()).taskId as string;
  }

  const settled = (taskId: string) =>
    eventually(async () => {
      await t.reconcile();
      return (await t.get(`/tasks/${taskId}`)).body as Record<string, unknown>;
    }, (record) => FINAL.includes(record.Status as string), 30_000);

  const archived = async (taskId: string) => (await t.get(`/archives/${taskId}/messages?limit=1000`)).body.Messages as ArchivedLine[];

  it('copies every message to the archive with body, attributes and system attributes, and leaves the DLQ as it was', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'archive-copy', tenants(15));

    // Act
    const taskId = await archive(dlq.dlqArn, {});
    const record = await settled(taskId);

    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', Kind: 'archive', NumberOfMessagesArchived: 15, Delete: false });
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toHaveLength(15);
    const lines = await archived(taskId);
    expect(lines.map((line) => line.Body).sort()).toEqual(tenants(15).map((message) => message.body).sort());
    for (const line of lines) {
      expect(line).toMatchObject({ QueueArn: dlq.dlqArn, TaskId: taskId, MessageAttributes: { tenant: { DataType: 'String', StringValue: expect.stringMatching(/^[ab]$/) } } });
      expect(line.Attributes).toMatchObject({ DeadLetterQueueSourceArn: dlq.sourceArn, SentTimestamp: expect.any(Number), ApproximateReceiveCount: expect.any(Number) });
      expect(line.Attributes.ApproximateReceiveCount).toBeGreaterThanOrEqual(1);
    }
    const listed = (await t.get(`/archives?queue=${dlq.dlqArn.split(':').pop()}`)).body;
    expect(listed.archives).toEqual([expect.objectContaining({ TaskId: taskId, QueueArn: dlq.dlqArn, Messages: 15, Deleted: false, Reason: 'a test' })]);
  });

  it('discards with a filter: only the matching messages leave the DLQ, every one of them archived first', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'archive-discard', tenants(12));

    // Act
    const taskId = await archive(dlq.dlqArn, { Delete: true, FilterPolicy: { tenant: ['a'] } });
    const record = await settled(taskId);

    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', NumberOfMessagesArchived: 6, NumberOfMessagesSkipped: 6, Delete: true });
    const left = await receiveAllVisible(t.sqs, dlq.dlqUrl);
    expect(left.map((message) => message.MessageAttributes?.tenant?.StringValue)).toEqual(Array(6).fill('b'));
    const lines = await archived(taskId);
    expect(lines.map((line) => line.MessageAttributes.tenant!.StringValue)).toEqual(Array(6).fill('a'));
  });

  it('loses nothing when the mover dies between the object write and the delete: the messages are archived again, each line with its MessageId', async () => {
    // Prepare: no delete answers; the mover's process dies while it waits
    const dlq = await seedDlqWith(t.sqs, 'archive-crash', tenants(20));
    t.sqsProxy.reset();
    t.sqsProxy.inject({ match: DELETE, times: 1000, holdWhile: new Promise<void>(() => undefined) });
    const taskId = await archive(dlq.dlqArn, { Delete: true });
    await eventually(async () => t.sqsProxy.count(DELETE), (calls) => calls >= 1);

    // Act
    t.stack.mover.kill();
    t.sqsProxy.reset();
    const record = await settled(taskId);

    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', NumberOfMessagesArchived: 20 });
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toEqual([]);
    const lines = await archived(taskId);
    expect(new Set(lines.map((line) => line.Body))).toEqual(new Set(tenants(20).map((message) => message.body)));
    // a batch written before the crash is written again: duplicates carry one MessageId each
    const byId = new Map(lines.map((line) => [line.MessageId, line.Body]));
    expect(byId.size).toBe(20);
  });

  it('archives and discards from the CLI, and lists the archive', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'archive-cli', tenants(4));
    const env = { REDRIVE_API_URL: t.stack.apiUrl };
    const name = dlq.dlqArn.split(':').pop()!;

    // Act
    const started = await runCli(['archive', name, '--reason', 'keep a copy', '--delete'], env);
    expect(started).toMatchObject({ code: 0 });
    const handle = /Task handle (\S+)\.$/m.exec(started.stdout)?.[1];
    const taskId = (await t.get(`/archives?queue=${name}`)).body.archives[0].TaskId as string;
    await settled(taskId);
    const listed = await runCli(['archives', '--queue', name], env);

    // Assess
    expect([started.code, handle]).toEqual([0, expect.any(String)]);
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toEqual([]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${taskId}\\s+${name}\\s+4\\s+yes`));
    expect((await runCli(['archive', name], env)).code).toBe(2);
    // and sends them back from the archive to the queue they failed in
    const replayed = await runCli(['archives', 'replay', taskId, '--reason', 'consumer fixed', '--filter', '{"tenant":["a"]}'], env);
    expect(replayed).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Replaying archive \S+ to the queues its messages failed in; the archive is not changed\. Task handle \S+\.$/m) });
    const replayId = JSON.parse(Buffer.from(/Task handle (\S+)\.$/m.exec(replayed.stdout)![1]!, 'base64').toString()).taskId as string;
    expect(await settled(replayId)).toMatchObject({ Status: 'COMPLETED', Kind: 'archive-replay', ApproximateNumberOfMessagesMoved: 2 });
    expect((await receiveAllVisible(t.sqs, dlq.sourceUrl)).map((message) => message.MessageAttributes?.tenant?.StringValue)).toEqual(['a', 'a']);
    expect((await runCli(['archives', 'replay', taskId], env)).code).toBe(2);
  });

  it('replays an archive to the queues its messages failed in, selectively, keeping attributes and the FIFO group and its order', async () => {
    // Prepare: a FIFO DLQ, two groups interleaved, discarded into the archive (the DLQ and its source queue left empty)
    const messages = Array.from({ length: 12 }, (_, index) => ({ body: `${index % 2 ? 'x' : 'y'}-${index}`, group: index % 2 ? 'x' : 'y', attributes: { tenant: { DataType: 'String', StringValue: index % 3 === 0 ? 'b' : 'a' } } }));
    const dlq = await seedDlqWith(t.sqs, 'archive-replay', messages, true);
    const archiveId = await archive(dlq.dlqArn, { Delete: true });
    expect(await settled(archiveId)).toMatchObject({ Status: 'COMPLETED', NumberOfMessagesArchived: 12 });

    // Act
    const answer = await t.post(`/archives/${archiveId}/replay`, { Reason: 'the consumer is fixed', FilterPolicy: { tenant: ['a'] } });
    expect(answer.status).toBe(200);
    const replayId = JSON.parse(Buffer.from(answer.body.TaskHandle as string, 'base64').toString()).taskId as string;
    const record = await settled(replayId);

    // Assess
    expect(record).toMatchObject({ Status: 'COMPLETED', Kind: 'archive-replay', ArchiveTaskId: archiveId, SourceArn: dlq.dlqArn, ApproximateNumberOfMessagesMoved: 8, NumberOfMessagesSkipped: 4 });
    const replayed = await receiveAllVisible(t.sqs, dlq.sourceUrl);
    const chosen = messages.filter((message) => message.attributes.tenant.StringValue === 'a');
    expect(replayed).toHaveLength(8);
    for (const group of ['x', 'y']) {
      const inGroup = replayed.filter((message) => message.Attributes?.MessageGroupId === group);
      expect(inGroup.map((message) => message.Body)).toEqual(chosen.filter((message) => message.group === group).map((message) => message.body));
      for (const message of inGroup) expect(message.MessageAttributes?.tenant).toMatchObject({ DataType: 'String', StringValue: 'a' });
    }
    // the archive is not changed, and the DLQ is not touched
    expect(await archived(archiveId)).toHaveLength(12);
    expect(await receiveAllVisible(t.sqs, dlq.dlqUrl)).toEqual([]);
    // a replay is no archive; a replay takes no DryRun and sends only to queues
    for (const [taskId, body] of [[replayId, {}], [archiveId, { DryRun: true }], [archiveId, { DestinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }]] as const) {
      const refused = await t.post(`/archives/${taskId}/replay`, { Reason: 'again', ...body });
      expect([refused.status, refused.body.__type]).toEqual([400, 'com.amazonaws.sqs#InvalidParameterValue']);
    }
  });

  it('answers a corrupt archive object with a clear CorruptObject error naming it, after the messages before it', async () => {
    // Prepare: an archive of 3 messages, then an object under its prefix that the archive did not write
    const dlq = await seedDlqWith(t.sqs, 'archive-corrupt', tenants(3));
    const taskId = await archive(dlq.dlqArn, {});
    const record = await settled(taskId);
    const key = `${archivePrefix(dlq.dlqArn, taskId, new Date(record.createdAt as string))}zz-foreign.jsonl.gz`;
    const s3 = new S3Client({ region: 'us-east-1', endpoint: t.stack.s3Url, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
    const read = async (body: Buffer | string) => {
      await s3.send(new PutObjectCommand({ Bucket: t.stack.archiveBucket, Key: key, Body: body }));
      const first = await t.get(`/archives/${taskId}/messages?limit=3`);
      return [first, await t.get(`/archives/${taskId}/messages?limit=3&nextToken=${first.body.nextToken}`)] as const;
    };

    // Act: not gzip at all; then gzip, but not the archive's JSON lines
    const [good, notGzip] = await read('{"MessageId":"m"}\n');
    const [, notLines] = await read(gzipSync('a line that is no JSON\n'));
    s3.destroy();

    // Assess
    expect([good.status, good.body.Messages.length]).toEqual([200, 3]);
    for (const answer of [notGzip, notLines]) {
      expect([answer.status, answer.body.__type]).toEqual([400, 'com.amazonaws.sqs#CorruptObject']);
      expect(answer.body.message).toContain(key);
    }
  });

  it('answers an unknown task and a bad limit with the API\'s errors', async () => {
    // Act
    const unknown = await t.get('/archives/0b3a4c1e-1111-4222-8333-944445555666/messages');
    const badLimit = await t.get('/archives/0b3a4c1e-1111-4222-8333-944445555666/messages?limit=0');

    // Assess
    expect(unknown.status).toBe(400);
    expect(unknown.body.__type).toBe('com.amazonaws.sqs#ResourceNotFoundException');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.__type).toBe('com.amazonaws.sqs#InvalidParameterValue');
  });
});
