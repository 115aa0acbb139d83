// ArchiveDestination, archive readers --> S3ArchiveStore (ArchiveStore) --> S3 PutObject / ListObjectsV2 / GetObject, gzip'd
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';

import { type ArchiveKeys, type ArchiveStore, ArchiveStoreError } from '../../domain/archive/archive-store';
import { CORRUPT_OBJECT } from '../../domain/archive/read-archive-object';
import type { SdkClientSettings } from '../sdk-client-settings';

type S3Module = typeof import('@aws-sdk/client-s3');

const gzipped = promisify(gzip);
const gunzipped = promisify(gunzip);

export interface S3ArchiveStoreOptions extends SdkClientSettings {
  readonly bucketName: string;
}

/**
 * The archive bucket on S3. Objects are gzip'd JSON lines (`.jsonl.gz`, no Content-Encoding: the object
 * is a gzip file, as Athena and `aws s3 cp` read it). The client is loaded on first use, so functions
 * that never touch the archive pay nothing at cold start. The endpoint comes from the SDK's own
 * configuration (AWS_ENDPOINT_URL_S3 locally); an IP endpoint is addressed path-style by the SDK itself.
 */
export class S3ArchiveStore implements ArchiveStore {
  private loaded?: Promise<{ module: S3Module; client: InstanceType<S3Module['S3Client']> }>;

  constructor(private readonly options: S3ArchiveStoreOptions) {}

  async put(key: string, text: string): Promise<void> {
    const { module, client } = await this.load();
    const body = await gzipped(Buffer.from(text, 'utf8'));
    await call(() => client.send(new module.PutObjectCommand({ Bucket: this.options.bucketName, Key: key, Body: body, ContentType: 'application/x-ndjson' })));
  }

  async list(prefix: string, options: { readonly max: number; readonly after?: string }): Promise<ArchiveKeys> {
    const { module, client } = await this.load();
    const output = await call(() =>
      client.send(new module.ListObjectsV2Command({ Bucket: this.options.bucketName, Prefix: prefix, MaxKeys: options.max, ...(options.after ? { StartAfter: options.after } : {}) })),
    );
    return { keys: (output.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])), more: output.IsTruncated === true };
  }

  async read(key: string): Promise<string | undefined> {
    const { module, client } = await this.load();
    let bytes: Uint8Array;
    try {
      const output = await client.send(new module.GetObjectCommand({ Bucket: this.options.bucketName, Key: key }));
      bytes = (await output.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw archiveErrorOf(error);
    }
    try {
      return (await gunzipped(bytes)).toString('utf8');
    } catch (error) {
      // not a gzip file (written by something else, or damaged): reading it again will not change it
      throw new ArchiveStoreError(CORRUPT_OBJECT, `S3 object ${key} is not a gzip file: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }

  private load() {
    this.loaded ??= import('@aws-sdk/client-s3').then((module) => ({ module, client: this.options.traced(new module.S3Client({ region: this.options.region, ...this.options.clientOptions })) }));
    return this.loaded;
  }
}

async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw archiveErrorOf(error);
  }
}

/** Codes S3 answers with a 4xx that pass if asked again (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). */
const RETRYABLE_CODES = new Set(['SlowDown', 'RequestTimeout', 'RequestTimeTooSkewed', 'ThrottlingException', 'TooManyRequestsException']);

/** S3's answer as the domain reads it: a 4xx is the caller's (access denied, no such bucket, a KMS key) and permanent, unless S3 says to slow down; a 5xx or a lost connection passes. */
export function archiveErrorOf(error: unknown): ArchiveStoreError {
  const name = (error as { name?: string }).name ?? 'InternalError';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const permanent = status !== undefined && status >= 400 && status < 500 && status !== 429 && !RETRYABLE_CODES.has(name);
  return new ArchiveStoreError(name, `S3: ${name}${error instanceof Error && error.message && error.message !== name ? `: ${error.message}` : ''}`, permanent);
}
