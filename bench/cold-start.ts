// Cold start: module initialisation of the bundled API handler against a floor bundle (an SQS client,
// a DynamoDB client and a Powertools logger) built with the same esbuild settings.
//
// Measured as Lambda's INIT sees it: a fresh Node.js process, performance.now() around
// `await import(bundle)` (read, parse, compile and evaluate the module, clients constructed at top
// level). Process start-up itself is outside the timer. Runs alternate floor/API so that drift on a
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

/** Builds bench/floor/entry.ts exactly as scripts/build.ts builds the Lambda entries. */
export async function buildFloorBundle(): Promise<string> {
  await buildLambdaBundle(resolve(root, 'bench/floor/entry.ts'), FLOOR_BUNDLE);
  return FLOOR_BUNDLE;
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
};

const TIMED_IMPORT =
  'const url = process.argv[1]; const t0 = performance.now(); await import(url); ' +
  'process.stdout.write(String(performance.now() - t0));';

/** One fresh process importing `bundle`; answers milliseconds spent in the import. */
export async function timeImport(bundle: string, node = process.execPath, nodeArgs: readonly string[] = []): Promise<number> {
  const { stdout } = await run(node, [...nodeArgs, '--input-type=module', '-e', TIMED_IMPORT, pathToFileURL(bundle).href], {
    env: INIT_ENV,
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
}

export async function measureColdStart(options: {
  apiBundle: string;
  floorBundle: string;
  runs: number;
  node?: string;
  nodeArgs?: readonly string[];
}): Promise<ColdStartResult> {
  const node = options.node ?? process.execPath;
  const nodeArgs = options.nodeArgs ?? [];
  const floor: number[] = [];
  const api: number[] = [];
  // one unmeasured pair warms the file cache
  await timeImport(options.floorBundle, node, nodeArgs);
  await timeImport(options.apiBundle, node, nodeArgs);
  for (let i = 0; i < options.runs; i += 1) {
    // alternate which goes first, so neither always follows the other
    if (i % 2 === 0) {
      floor.push(await timeImport(options.floorBundle, node, nodeArgs));
      api.push(await timeImport(options.apiBundle, node, nodeArgs));
    } else {
      api.push(await timeImport(options.apiBundle, node, nodeArgs));
      floor.push(await timeImport(options.floorBundle, node, nodeArgs));
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
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
