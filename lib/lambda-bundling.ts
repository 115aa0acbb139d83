/**
 * How every Lambda entry is bundled: one definition for the CDK stack (NodejsFunction) and for
 * `npm run build` (the local stack and the tests run that artifact).
 */
import { resolve } from 'node:path';

import { type BuildOptions, buildSync } from 'esbuild';

export const LAMBDA_ENTRIES = {
  api: 'lambda/entry/api.ts',
  reconciler: 'lambda/entry/reconciler.ts',
  events: 'lambda/entry/events.ts',
  inventory: 'lambda/entry/inventory.ts',
  mover: 'lambda/entry/mover.ts',
} as const;

export type LambdaEntryName = keyof typeof LAMBDA_ENTRIES;

/** The org stack's entries (lib/org): not part of an account's stack. */
export const ORG_LAMBDA_ENTRIES = {
  'org-api': 'lambda/entry/org-api.ts',
  'org-ingest': 'lambda/entry/org-ingest.ts',
} as const;

export type OrgLambdaEntryName = keyof typeof ORG_LAMBDA_ENTRIES;

export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  minify: true,
  sourcemap: true,
  // ESM bundles of the AWS SDK call require() for Node built-ins
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  mainFields: ['module', 'main'],
  // each `await import()` becomes a chunk of its own, loaded when its route first runs: the api's
  // cold start parses neither the dashboard's assets nor the EventBridge client (docs/performance.md)
  splitting: true,
} as const;

/** The file Lambda loads (`index.handler`); the chunks sit beside it in `chunks/`. */
export const HANDLER_FILE = 'index.mjs';

/**
 * Bundles one entry into `outdir` (index.mjs, its chunks and source maps): the CDK asset and
 * `npm run build` both call this, so the deployed code is the tested code. Synchronous, as CDK's
 * local bundling is.
 */
export function bundleLambda(entryPoint: string, outdir: string): void {
  const { metafile } = buildSync({ ...lambdaBuildOptions(entryPoint, outdir), metafile: true });
  const inputs = Object.keys(metafile?.inputs ?? {});
  for (const own of OWN_BUNDLES) {
    if (inputs.some((input) => input.endsWith(own.loader))) buildSync({ ...COMMON_OPTIONS, entryPoints: [resolve(ROOT, own.source)], outfile: resolve(outdir, own.file) });
  }
}

const COMMON_OPTIONS: BuildOptions = {
  bundle: true,
  format: LAMBDA_BUNDLING.format,
  target: LAMBDA_BUNDLING.target,
  platform: LAMBDA_BUNDLING.platform,
  minify: LAMBDA_BUNDLING.minify,
  sourcemap: LAMBDA_BUNDLING.sourcemap,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  banner: { js: LAMBDA_BUNDLING.banner },
  logLevel: 'warning',
};

/** esbuild's options for one entry's split bundle (bundleLambda; a test reads its init graph with them). */
export function lambdaBuildOptions(entryPoint: string, outdir: string): BuildOptions {
  return {
    ...COMMON_OPTIONS,
    entryPoints: { index: entryPoint },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: LAMBDA_BUNDLING.splitting,
    // the S3 client and the Tracer are bundles of their own (OWN_BUNDLES)
    alias: Object.fromEntries(OWN_BUNDLES.map((own) => [own.package, resolve(ROOT, own.loader)])),
  };
}

const ROOT = resolve(__dirname, '..');

/**
 * Packages bundled on their own beside index.mjs, each reached through its loader, to which the split
 * bundle aliases the package (their loaders). Inside the split bundle their code
 * would share files with index.mjs, and each file at init costs the cold start (docs/performance.md):
 * - the S3 client: one of @smithy/core's files it shares, loaded at init, makes Node.js load its web
 *   streams (lambda/adapters/s3/s3-sdk.ts);
 * - the Tracer: the Powertools and invoke-store code it shares would be two more files at init even where
 *   tracing is off (lambda/adapters/xray/tracer-sdk.ts).
 * Built only for an entry whose bundle holds the loader.
 */
export const OWN_BUNDLES = [
  { package: '@aws-sdk/client-s3', loader: 'lambda/adapters/s3/s3-sdk-loader.ts', source: 'lambda/adapters/s3/s3-sdk.ts', file: 's3-sdk.mjs' },
  { package: '@aws-lambda-powertools/tracer', loader: 'lambda/adapters/xray/tracer-sdk-loader.ts', source: 'lambda/adapters/xray/tracer-sdk.ts', file: 'tracer-sdk.mjs' },
] as const;

/** Where `npm run build` writes an entry's bundle, relative to the project root. */
export function bundlePath(entry: LambdaEntryName | OrgLambdaEntryName): string {
  return `dist/lambda/${entry}/${HANDLER_FILE}`;
}
