// npm run build: bundles every Lambda entry exactly as the CDK stack does, into dist/lambda/<entry>/.
import { chmod, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

import { build } from 'esbuild';

import { bundleLambda, bundlePath, HANDLER_FILE, LAMBDA_ENTRIES, type LambdaEntryName, ORG_LAMBDA_ENTRIES, type OrgLambdaEntryName } from '../lib/lambda-bundling';

const root = resolve(__dirname, '..');

/** Bundles one entry with the Lambda settings into outfile's folder; the benchmark's floor bundle is built the same way. */
export async function buildLambdaBundle(entryPoint: string, outfile: string): Promise<void> {
  if (basename(outfile) !== HANDLER_FILE) throw new Error(`a Lambda bundle is <dir>/${HANDLER_FILE}, not ${outfile}`);
  const outdir = dirname(outfile);
  // old chunks would otherwise pile up beside the new ones
  await rm(join(outdir, 'chunks'), { recursive: true, force: true });
  bundleLambda(entryPoint, outdir);
}

export async function buildLambdas(): Promise<void> {
  const entries: Record<LambdaEntryName | OrgLambdaEntryName, string> = { ...LAMBDA_ENTRIES, ...ORG_LAMBDA_ENTRIES };
  await Promise.all(
    (Object.keys(entries) as (LambdaEntryName | OrgLambdaEntryName)[]).map((entry) => buildLambdaBundle(resolve(root, entries[entry]), resolve(root, bundlePath(entry)))),
  );
}

/** The `redrive` CLI: one CommonJS file with a node shebang, run by the package's `bin` entry. */
export const CLI_BUNDLE = 'dist/cli/redrive.js';

export async function buildCli(): Promise<void> {
  const outfile = resolve(root, CLI_BUNDLE);
  await build({
    entryPoints: [resolve(root, 'bin/redrive.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755);
}

if (require.main === module) {
  Promise.all([buildLambdas(), buildCli()]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
