// A cold request: what a caller waits for when its request meets a new instance, Lambda's INIT plus the
// first invocation. A fresh Node.js process imports the bundle, awaits `initialized` and handles one
// ListMessageMoveTasks, against a floor whose first request makes only the calls that request needs
// (bench/floor/first-request-entry.ts). Both send to a stub endpoint in this process, which answers
// SQS and DynamoDB with empty results at once, so the figure is the code's, not an emulator's.
// Timed with process.hrtime, as bench/cold-start.ts is. Tracing off, as in the local stack. Informational: the target is on init alone (bench/cold-start.ts).
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { buildLambdaBundle } from '../scripts/build';
import { listMoveTasksEvent } from '../test/support/list-move-tasks-event';
import { INIT_ENV, median, TRACING_OFF } from './cold-start';

const run = promisify(execFile);

export const FIRST_REQUEST_FLOOR_BUNDLE = resolve(__dirname, '..', 'dist/bench/first-request-floor/index.mjs');

export async function buildFirstRequestFloorBundle(): Promise<string> {
  await buildLambdaBundle(resolve(__dirname, 'floor/first-request-entry.ts'), FIRST_REQUEST_FLOOR_BUNDLE);
  return FIRST_REQUEST_FLOOR_BUNDLE;
}

const TIMED_REQUEST =
  'const t0 = process.hrtime.bigint(); const module = await import(process.argv[1]); await module.initialized; ' +
  "const answer = await module.handler(JSON.parse(process.env.BENCH_EVENT), { awsRequestId: 'r-1', functionName: 'api', getRemainingTimeInMillis: () => 10000 }); " +
  "if (answer.statusCode !== 200) throw new Error('status ' + answer.statusCode + ' ' + answer.body); " +
  "process.stderr.write('ms=' + Number(process.hrtime.bigint() - t0) / 1e6);";

/** Answers SQS's and DynamoDB's JSON protocols with empty results, whatever the call. */
function stubEndpoint(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = target.startsWith('AmazonSQS.') ? { Results: [] } : { Items: [], Count: 0, ScannedCount: 0 };
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
    });
  });
  return new Promise((listening) => server.listen(0, '127.0.0.1', () => listening(server)));
}

async function timeRequest(bundle: string, node: string, endpoint: string): Promise<number> {
  // the logger's line goes to stdout; the time to stderr
  const { stderr } = await run(node, ['--input-type=module', '-e', TIMED_REQUEST, pathToFileURL(bundle).href], {
    env: { ...INIT_ENV, ...TRACING_OFF, AWS_ENDPOINT_URL: endpoint, BENCH_EVENT: JSON.stringify(listMoveTasksEvent()) },
  });
  const ms = Number(/ms=([\d.]+)/.exec(stderr)?.[1]);
  if (!Number.isFinite(ms)) throw new Error(`a cold request to ${bundle} printed ${JSON.stringify(stderr)}`);
  return ms;
}

export interface ColdRequestResult {
  readonly runs: number;
  readonly floorMs: number;
  readonly apiMs: number;
  /** each run's API over the floor run beside it */
  readonly pairRatios: readonly number[];
}

/** Alternating floor and API runs after one unmeasured pair, as bench/cold-start.ts does; medians. */
export async function measureColdRequest(options: { apiBundle: string; floorBundle: string; runs: number; node?: string }): Promise<ColdRequestResult> {
  const node = options.node ?? process.execPath;
  const server = await stubEndpoint();
  try {
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const floor: number[] = [];
    const api: number[] = [];
    await timeRequest(options.floorBundle, node, endpoint);
    await timeRequest(options.apiBundle, node, endpoint);
    for (let i = 0; i < options.runs; i += 1) {
      const pair = i % 2 === 0 ? [options.floorBundle, options.apiBundle] : [options.apiBundle, options.floorBundle];
      for (const bundle of pair) (bundle === options.floorBundle ? floor : api).push(await timeRequest(bundle, node, endpoint));
    }
    return { runs: options.runs, floorMs: median(floor), apiMs: median(api), pairRatios: api.map((ms, i) => ms / floor[i]!) };
  } finally {
    server.close();
  }
}
