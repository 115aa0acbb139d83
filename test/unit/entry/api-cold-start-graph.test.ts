import { resolve } from 'node:path';

import { build, type Metafile } from 'esbuild';

import { lambdaBuildOptions } from '../../../lib/lambda-bundling';

/**
 * What the API function loads at init: its index.mjs and the chunks that file imports statically
 * (lib/lambda-bundling.ts splits at every `await import()`). Route-specific code stays behind
 * lazy-routes.ts, and the controller's own code sits in index.mjs plus at most one shared chunk:
 * each file at init costs the cold start about a millisecond (docs/performance.md, "Cold start: one lazy chunk").
 */
describe('the API bundle at init', () => {
  let initInputs: string[];
  let ownChunks: number;
  let sharedWithTracer: string[];

  beforeAll(async () => {
    const root = resolve(__dirname, '../../..');
    const result = await build({ ...lambdaBuildOptions(resolve(root, 'lambda/entry/api.ts'), resolve(root, 'dist/test-api-graph')), absWorkingDir: root, metafile: true, write: false, logLevel: 'silent' });
    const outputs = result.metafile.outputs;
    const index = Object.keys(outputs).find((name) => name.endsWith('/index.mjs'))!;
    const init = staticClosure(outputs, index);
    initInputs = init.flatMap((name) => Object.keys(outputs[name]!.inputs));
    const tracing = Object.keys(outputs).find((name) => Object.keys(outputs[name]!.inputs).includes('lambda/adapters/xray/powertools-tracing.ts'))!;
    // esbuild's runtime helpers (no input of ours or of a package) are in every bundle's init anyway
    sharedWithTracer = staticClosure(outputs, tracing).filter((name) => name !== tracing && init.includes(name)).flatMap((name) => Object.keys(outputs[name]!.inputs));
    ownChunks = init.filter((name) => name !== index && Object.keys(outputs[name]!.inputs).some((input) => input.startsWith('lambda/'))).length;
  }, 60_000);

  it('loads no route-specific code: content filter, recovery, selective start, dry run, DLQ, archive and decision routes, replay routing', () => {
    const deferred = [
      'lambda/domain/content-filter/',
      'lambda/domain/recovery/recovery-machine.ts',
      'lambda/domain/operations/advance-recovery.ts',
      'lambda/domain/operations/start-selective-task.ts',
      'lambda/domain/operations/dry-run-selection.ts',
      'lambda/domain/replay/replay-route.ts',
      'lambda/adapters/http/handle-dlq-route.ts',
      'lambda/adapters/http/handle-archive-route.ts',
      'lambda/adapters/http/handle-decision-route.ts',
      'lambda/dashboard/',
      '@aws-crypto/sha256-js',
      '@aws-sdk/client-eventbridge',
      // the S3 client is a bundle of its own: inside the split bundle its stream code would load at init
      '@aws-sdk/client-s3',
      'util-stream/checksum/ChecksumStream',
    ];
    expect(initInputs.filter((input) => deferred.some((path) => input.includes(path)))).toEqual([]);
    // the common path is there: a start, a cancel, the task list
    expect(initInputs).toEqual(expect.arrayContaining(['lambda/domain/operations/start-task.ts', 'lambda/domain/operations/cancel-task.ts', 'lambda/domain/operations/read-tasks.ts']));
  });

  it('shares no file of its init with the Tracer: where tracing is off, the Tracer adds no file to init (OWN_BUNDLES in lib/lambda-bundling.ts)', () => {
    expect(sharedWithTracer).toEqual([]);
    expect(initInputs.filter((input) => input.includes('@aws-lambda-powertools/tracer') || input.includes('aws-xray-sdk'))).toEqual([]);
  });

  it('holds the controller code it shares with its lazy routes in one chunk', () => {
    expect(ownChunks).toBeLessThanOrEqual(1);
  });
});

function staticClosure(outputs: Metafile['outputs'], start: string): string[] {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const imported of outputs[name]!.imports) if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
  }
  return [...seen];
}
