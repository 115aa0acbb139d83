// the archive bucket as the domain sees it: objects of text under keys; the adapter knows S3 and gzip

/** Why the archive refused a write or a read; `permanent`: repeating will not change it (access denied, no such bucket, a KMS key). */
export class ArchiveStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ArchiveStoreError';
  }
}

/** One page of keys under a prefix, in key order. */
export interface ArchiveKeys {
  readonly keys: readonly string[];
  /** more keys follow the last one */
  readonly more: boolean;
}

/** The archive bucket (deployed: S3; locally the S3 emulator). Throws ArchiveStoreError when it refuses. */
export interface ArchiveStore {
  /** stores one object whole (JSON lines); once this answers, the object is stored */
  put(key: string, text: string): Promise<void>;
  /** keys under `prefix` after `after` (exclusive), at most `max` */
  list(prefix: string, options: { readonly max: number; readonly after?: string }): Promise<ArchiveKeys>;
  /** one object's text; undefined when there is no such object */
  read(key: string): Promise<string | undefined>;
}
