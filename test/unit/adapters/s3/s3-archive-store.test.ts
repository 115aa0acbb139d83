import { gzipSync } from 'node:zlib';

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import { S3ArchiveStore } from '../../../../lambda/adapters/s3/s3-archive-store';
import { untraced } from '../../../../lambda/adapters/sdk-client-settings';
import { ArchiveStoreError } from '../../../../lambda/domain/archive/archive-store';

/** What GetObject answers: a body the SDK reads as bytes. */
const objectOf = (bytes: Uint8Array) => ({ Body: { transformToByteArray: async () => bytes } }) as never;

describe('Class: S3ArchiveStore, read', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  const store = () => new S3ArchiveStore({ bucketName: 'archive', region: 'us-east-1', traced: untraced });

  it('answers a gzip object\'s text', async () => {
    s3.on(GetObjectCommand).resolves(objectOf(gzipSync('{"MessageId":"m"}\n')));
    await expect(store().read('q/2026/12/07/t/1-x.jsonl.gz')).resolves.toBe('{"MessageId":"m"}\n');
  });

  it('refuses an object that is not gzip for good (CorruptObject), so a replay over it fails instead of being re-driven', async () => {
    s3.on(GetObjectCommand).resolves(objectOf(Buffer.from('{"MessageId":"m"}\n')));
    const read = store().read('q/2026/12/07/t/1-x.jsonl.gz');
    await expect(read).rejects.toBeInstanceOf(ArchiveStoreError);
    await expect(read).rejects.toMatchObject({ code: 'CorruptObject', permanent: true, message: expect.stringContaining('q/2026/12/07/t/1-x.jsonl.gz') });
  });
});
