// The local stack as the latency and throughput benchmarks use it: no proxies between the function
// and the emulators (they would add a hop the raw calls do not pay; BENCH_ENFORCE=1 puts the policy
// proxies back), logs kept out of the table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

import { LOCAL_CREDENTIALS, type LocalStack, type LocalStackOptions, startLocalStack } from '../local/local-stack';

export interface BenchStack {
  readonly stack: LocalStack;
  readonly sqs: SQSClient;
  readonly dynamoDb: DynamoDBClient;
  /** POSTs a JSON body to the API; answers the status */
  post(path: string, body: unknown): Promise<number>;
  get(path: string): Promise<number>;
  /** CPU time (user + system) the function's process has used so far, or undefined off Linux */
  functionCpuMs(): number | undefined;
  stop(): Promise<void>;
}

/**
 * Without the local stack's policy enforcement unless `BENCH_ENFORCE=1`: its proxies (a hop and a policy
 * evaluation per call) and the gateway's resource-policy evaluation are local plumbing the deployed path
 * does not have in the function's process, and the necessary work the latency is judged against pays none of it.
 */
export async function startBenchStack(stackOptions: Pick<LocalStackOptions, 'functionEnv' | 'moverExecArgv' | 'enforce' | 'reconcileIntervalMs'> = {}): Promise<BenchStack> {
  const stack = await startLocalStack({ apiPort: 0, sqsPort: 0, dynamoDbPort: 0, eventsPort: 0, lambdaPort: 0, onLog: () => undefined, enforce: process.env.BENCH_ENFORCE === '1', ...stackOptions });
  const options = { region: stack.region, credentials: LOCAL_CREDENTIALS };
  const sqs = new SQSClient({ ...options, endpoint: stack.sqsUrl });
  const dynamoDb = new DynamoDBClient({ ...options, endpoint: stack.dynamoDbUrl });
  // node:http with keep-alive: a lighter client than fetch, so the figure is the server's
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const api = new URL(stack.apiUrl);
  const send = (method: string, path: string, body?: string) =>
    new Promise<number>((done, failed) => {
      const outgoing = request(
        { agent, host: api.hostname, port: api.port, method, path, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (incoming) => {
          incoming.resume();
          incoming.on('end', () => done(incoming.statusCode ?? 0));
          incoming.on('error', failed);
        },
      );
      outgoing.on('error', failed);
      outgoing.end(body);
    });
  return {
    stack,
    sqs,
    dynamoDb,
    post: (path, body) => send('POST', path, JSON.stringify(body)),
    get: (path) => send('GET', path),
    functionCpuMs: () => (stack.api.pid === undefined ? undefined : processCpuMs(stack.api.pid)),
    stop: async () => {
      agent.destroy();
      sqs.destroy();
      dynamoDb.destroy();
      await stack.stop();
    },
  };
}

let ticksPerSecond: number | undefined;

/** CPU time (user + system) a process has used so far, from /proc; undefined off Linux. */
export function processCpuMs(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks; the name (field 2) may hold spaces
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
