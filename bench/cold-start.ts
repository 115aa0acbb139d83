// Cold start: module initialisation of the bundled API handler against a floor bundle (an SQS client,
// a DynamoDB client and a Powertools logger) built with the same esbuild settings.
//
// Measured as Lambda's INIT sees it: a fresh Node.js process, process.hrtime around
// `await import(bundle)` (read, parse, compile and evaluate the module, clients constructed at top
// level, including the entry's top-level await of `initialized`: the Tracer, where tracing is on;
// lambda/entry/with-tracing.ts). The bench awaits the export too, for a bundle that does not. Process start-up itself is outside the timer. Twice:
// with tracing off against the floor (entry.ts), and with tracing on against a floor that loads the
// Tracer too (traced-entry.ts), since every function loads it where tracing is on. Runs alternate floor/API so that drift on a
// shared machine hits both alike; the figure is the median.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { buildLambdaBundle } from '../scripts/build';

const run = promisify(execFile);
const root = resolve(__dirname, '..');

export const FLOOR_BUNDLE = resolve(root, 'dist/bench/floor/index.mjs');
export const TRACED_FLOOR_BUNDLE = resolve(root, 'dist/bench/traced-floor/index.mjs');

/** Builds bench/floor/entry.ts exactly as scripts/build.ts builds the Lambda entries. */
export async function buildFloorBundle(): Promise<string> {
  await buildLambdaBundle(resolve(root, 'bench/floor/entry.ts'), FLOOR_BUNDLE);
  return FLOOR_BUNDLE;
}

/** The floor with Powertools Tracer (bench/floor/traced-entry.ts), built the same way. */
export async function buildTracedFloorBundle(): Promise<string> {
  await buildLambdaBundle(resolve(root, 'bench/floor/traced-entry.ts'), TRACED_FLOOR_BUNDLE);
  return TRACED_FLOOR_BUNDLE;
}

/** What a Lambda instance's environment holds; the API's settings are read at init. */
export const INIT_ENV: Readonly<Record<string, string>> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  TASK_TABLE_NAME: 'redrive-tasks',
  CONTROLLER_ACCOUNT_ID: '123456789012',
  MANAGED_QUEUES: 'arn:aws:sqs:us-east-1:123456789012:*',
  POWERTOOLS_SERVICE_NAME: 'redrive-controller',
  // as Lambda sets it: without it the Tracer turns itself off and skips its HTTPS capture
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'redrive-controller-api',
  // aws-xray-sdk-core runs its Lambda set-up (a facade segment, no sampling pollers) where this is set
  LAMBDA_TASK_ROOT: '/var/task',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
};

/** The stack's two settings of POWERTOOLS_TRACE_ENABLED: deployed (on) and the local stack's (off). */
export const TRACING_ON: Readonly<Record<string, string>> = {};
export const TRACING_OFF: Readonly<Record<string, string>> = { POWERTOOLS_TRACE_ENABLED: 'false' };

// timed with process.hrtime: a first performance.now() loads perf_hooks (1.4 to 2 ms), which the
// bundles would then find loaded, as they may not on Lambda
const TIMED_IMPORT =
  'const url = process.argv[1]; const t0 = process.hrtime.bigint(); const module = await import(url); await module.initialized; ' +
  'process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));';

/** One fresh process importing `bundle`; answers milliseconds spent in the import and its `initialized`. */
export async function timeImport(bundle: string, node = process.execPath, nodeArgs: readonly string[] = [], env: Readonly<Record<string, string>> = {}): Promise<number> {
  const { stdout } = await run(node, [...nodeArgs, '--input-type=module', '-e', TIMED_IMPORT, pathToFileURL(bundle).href], {
    env: { ...INIT_ENV, ...env },
  });
  const ms = Number(stdout.trim());
  if (!Number.isFinite(ms)) throw new Error(`importing ${bundle} printed ${JSON.stringify(stdout)}`);
  return ms;
}

export interface ColdStartResult {
  readonly node: string;
  readonly runs: number;
  readonly floorInitMs: number;
  readonly apiInitMs: number;
  readonly floorBytes: number;
  readonly apiBytes: number;
  /** each run's API over the floor run beside it: the spread says how noisy the machine was */
  readonly pairRatios: readonly number[];
}

export async function measureColdStart(options: {
  apiBundle: string;
  floorBundle: string;
  runs: number;
  node?: string;
  nodeArgs?: readonly string[];
  /** added to INIT_ENV, e.g. TRACING_OFF */
  env?: Readonly<Record<string, string>>;
}): Promise<ColdStartResult> {
  const node = options.node ?? process.execPath;
  const nodeArgs = options.nodeArgs ?? [];
  const env = options.env ?? {};
  const floor: number[] = [];
  const api: number[] = [];
  // one unmeasured pair warms the file cache
  await timeImport(options.floorBundle, node, nodeArgs, env);
  await timeImport(options.apiBundle, node, nodeArgs, env);
  for (let i = 0; i < options.runs; i += 1) {
    // alternate which goes first, so neither always follows the other
    if (i % 2 === 0) {
      floor.push(await timeImport(options.floorBundle, node, nodeArgs, env));
      api.push(await timeImport(options.apiBundle, node, nodeArgs, env));
    } else {
      api.push(await timeImport(options.apiBundle, node, nodeArgs, env));
      floor.push(await timeImport(options.floorBundle, node, nodeArgs, env));
    }
  }
  const { stdout: version } = await run(node, [...nodeArgs, '--version']);
  return {
    node: version.trim(),
    runs: options.runs,
    floorInitMs: median(floor),
    apiInitMs: median(api),
    floorBytes: initBytes(options.floorBundle),
    apiBytes: initBytes(options.apiBundle),
    pairRatios: api.map((ms, i) => ms / floor[i]!),
  };
}

/**
 * Bytes loaded at init: the bundle and the chunks it imports statically, not those behind an
 * `import()` (a split bundle loads them on first use; lib/lambda-bundling.ts).
 */
export function initBytes(bundle: string, seen = new Set<string>()): number {
  if (seen.has(bundle)) return 0;
  seen.add(bundle);
  const code = readFileSync(bundle, 'utf8');
  let bytes = statSync(bundle).size;
  // esbuild's static imports: `import{a as b}from"./chunks/x.mjs"` or `import"./chunks/x.mjs"`; `import("…")` is lazy
  for (const [, path] of code.matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+\.mjs)"/g)) bytes += initBytes(resolve(dirname(bundle), path!), seen);
  return bytes;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile, interpolated between the two nearest values. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  return sorted[below]! + (sorted[Math.min(below + 1, sorted.length - 1)]! - sorted[below]!) * (at - below);
}
