import { resolve } from 'node:path';

import { build } from 'esbuild';

import { LAMBDA_ENTRIES, lambdaBuildOptions, ORG_LAMBDA_ENTRIES } from '../../../lib/lambda-bundling';

const ROOT = resolve(__dirname, '../../..');
const TRACER_ADAPTER = 'lambda/adapters/xray/powertools-tracing.ts';

/** The inputs and exports of an entry's bundle, as bundleLambda bundles it (split at its `import()`s). */
async function bundleOf(entry: string): Promise<{ inputs: string[]; exports: string[] }> {
  const { metafile } = await build({ ...lambdaBuildOptions(entry, resolve(ROOT, 'dist/.metafile-only')), absWorkingDir: ROOT, write: false, metafile: true, logLevel: 'silent' });
  const index = Object.values(metafile.outputs).find((output) => output.entryPoint === entry)!;
  return { inputs: Object.keys(metafile.inputs), exports: index.exports };
}

describe('every function traces (issue 26: Powertools Tracer on every function)', () => {
  it.each(Object.entries({ ...LAMBDA_ENTRIES, ...ORG_LAMBDA_ENTRIES }))(
    '%s bundles the Tracer adapter and exports `initialized`, which the first invocation awaits',
    async (_name, entry) => {
      // Act
      const bundle = await bundleOf(entry);

      // Assess: the adapter is its only importer of the Tracer, so without it the function is untraced
      expect(bundle.inputs).toContain(TRACER_ADAPTER);
      expect(bundle.exports).toEqual(expect.arrayContaining(['handler', 'initialized']));
    },
  );
});
