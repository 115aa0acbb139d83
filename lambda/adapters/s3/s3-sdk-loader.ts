// `@aws-sdk/client-s3` inside a Lambda bundle: lib/lambda-bundling.ts aliases the package to this module,
// which loads s3-sdk.mjs, the S3 client bundled on its own beside index.mjs (s3-sdk.ts says why). This
// module sits in index.mjs or, behind a dynamic import, in chunks/ one folder below. Never loaded from
// the sources: there the package is imported itself.
import type * as S3Sdk from './s3-sdk';

const sdk = (await import(new URL(/\/chunks\/[^/]+$/.test(import.meta.url) ? '../s3-sdk.mjs' : './s3-sdk.mjs', import.meta.url).href)) as typeof S3Sdk;

export const { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } = sdk;
