// The S3 client as a bundle of its own, `s3-sdk.mjs` beside a Lambda's index.mjs (lib/lambda-bundling.ts):
// what s3-archive-store.ts uses of it. Inside the split bundle the S3 client would share @smithy/core's
// files with index.mjs, and one of them, loaded at init, reads the global ReadableStream, which makes
// Node.js load its web streams: about 12 % of the API's floor (docs/performance.md, "Cold start: one lazy chunk").
export { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
