import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { S3ArchiveStore } from '../../lambda/adapters/s3/s3-archive-store';
import { untraced } from '../../lambda/adapters/sdk-client-settings';
import { ArchiveDestination } from '../../lambda/domain/archive/archive-destination';
import { parseArchiveLines } from '../../lambda/domain/archive/archive-line';
import type { DlqMessage } from '../../lambda/domain/dlq-message';
import { LOCAL_CREDENTIALS } from '../../local/local-stack';
import { startS3Emulator } from '../../local/s3-emulator';
import { useStarted } from '../support/use-started';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const TASK_ID = '0b3a4c1e-1111-4222-8333-944445555666';
const clock = { now: () => new Date('2026-12-07T12:00:00.000Z') };

function message(index: number, extra: Partial<DlqMessage> = {}): DlqMessage {
  return {
    messageId: `m-${index}`,
    receiptHandle: `h-${index}`,
    body: JSON.stringify({ order: index, note: 'ü ✓' }),
    messageAttributes: { kind: { DataType: 'String', StringValue: 'order' }, raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) } },
    sentTimestamp: 1_765_000_000_000 + index,
    approximateReceiveCount: 3,
    sourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders',
    ...extra,
  };
}

describe('the archive writer on the S3 emulator', () => {
  const s3 = useStarted(() => startS3Emulator({ port: 0, buckets: ['archive-test'] }).then((server) => ({ ...server, stop: () => server.close() })));
  const storeIn = (bucketName: string) =>
    new S3ArchiveStore({ bucketName, region: 'us-east-1', clientOptions: { endpoint: s3.url, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }, traced: untraced });

  it('writes one gzip\'d JSON-lines object per batch under <QueueName>/<yyyy>/<mm>/<dd>/<TaskId>/, one line per message', async () => {
    // Prepare
    const store = storeIn('archive-test');
    const destination = new ArchiveDestination(store, { taskId: TASK_ID, queueArn: QUEUE_ARN, startedAt: new Date('2026-12-06T23:59:00Z') }, clock);
    const fifo = message(2, { messageGroupId: 'g1', messageDeduplicationId: 'd1' });

    // Act
    const report = await destination.deliver(TASK_ID, [{ id: 'a', target: QUEUE_ARN, message: message(1) }, { id: 'b', target: QUEUE_ARN, message: fifo }]);
    const { keys } = await store.list(`orders-dlq/2026/12/06/${TASK_ID}/`, { max: 10 });

    // Assess
    expect(report).toEqual({ accepted: ['a', 'b'], refused: [] });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^orders-dlq/2026/12/06/${TASK_ID}/\\d{13}-[0-9a-f]{8}\\.jsonl\\.gz$`));
    const lines = parseArchiveLines((await store.read(keys[0]!))!);
    expect(lines).toEqual([
      {
        MessageId: 'm-1',
        Body: '{"order":1,"note":"ü ✓"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' }, raw: { DataType: 'Binary', BinaryValue: 'AQL/' } },
        Attributes: { SentTimestamp: 1_765_000_000_001, ApproximateReceiveCount: 3, DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:123456789012:orders' },
        QueueArn: QUEUE_ARN,
        TaskId: TASK_ID,
        ArchivedAt: '2026-12-07T12:00:00.000Z',
      },
      expect.objectContaining({ MessageId: 'm-2', Attributes: expect.objectContaining({ MessageGroupId: 'g1', MessageDeduplicationId: 'd1' }) }),
    ]);
  });

  it('refuses every entry of a batch whose object was not stored, for good when S3 says so (no such bucket)', async () => {
    // Prepare
    const destination = new ArchiveDestination(storeIn('no-such-bucket'), { taskId: TASK_ID, queueArn: QUEUE_ARN, startedAt: clock.now() }, clock);

    // Act
    const report = await destination.deliver(TASK_ID, [{ id: 'a', target: QUEUE_ARN, message: message(1) }, { id: 'b', target: QUEUE_ARN, message: message(2) }]);

    // Assess
    expect(report.accepted).toEqual([]);
    expect(report.refused).toEqual([{ id: 'a', code: 'NoSuchBucket', permanent: true }, { id: 'b', code: 'NoSuchBucket', permanent: true }]);
  });

  it('lists past one page (S3rver\'s continuation tokens need the legacy OpenSSL provider) and reads a missing key as undefined', async () => {
    // Prepare
    const store = storeIn('archive-test');
    for (const name of ['a', 'b', 'c']) await store.put(`paging/${name}.jsonl.gz`, `{"n":"${name}"}\n`);

    // Act
    const first = await store.list('paging/', { max: 2 });
    const second = await store.list('paging/', { max: 2, after: first.keys.at(-1)! });

    // Assess
    expect(first).toEqual({ keys: ['paging/a.jsonl.gz', 'paging/b.jsonl.gz'], more: true });
    expect(second).toEqual({ keys: ['paging/c.jsonl.gz'], more: false });
    expect(await store.read('paging/none.jsonl.gz')).toBeUndefined();
  });

  it('refuses for good an object that is not gzip (CorruptObject), so a replay over it fails instead of being re-driven', async () => {
    // Prepare: an object written by something else, plain text
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, credentials: LOCAL_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
    await client.send(new PutObjectCommand({ Bucket: 'archive-test', Key: 'corrupt/0-x.jsonl.gz', Body: '{"MessageId":"m"}\n' }));

    // Act
    const read = storeIn('archive-test').read('corrupt/0-x.jsonl.gz');

    // Assess
    await expect(read).rejects.toMatchObject({ name: 'ArchiveStoreError', code: 'CorruptObject', permanent: true });
  });
});
