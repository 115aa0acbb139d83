// The selective mover on the local stack: CPU per moved message in the mover's own process (a fresh
// instance's first task and a warm instance's later ones), messages moved per second with a
// match-everything filter and no rate, the fixed time of a task over an empty or 1-message DLQ, the SQS
// emulator alone at the mover's concurrency in the same run (and the ratio), SQS and DynamoDB calls per
// moved message. The emulators run in this process, the mover in its own, as `npm start` runs them.
// Alone: `npm run bench -- mover` or `npx tsx bench/mover-throughput.ts [messages]`.
import { randomUUID } from 'node:crypto';

import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type SQSClient } from '@aws-sdk/client-sqs';

import { parseTaskHandle } from '../lambda/domain/task-handle';
import { type LocalStack, type LocalStackOptions } from '../local/local-stack';
import { seedDlq } from '../local/seed-dlq';
import { startTestStack } from '../test/support/local-stack-fixture';
import { startBenchStack } from './bench-stack';
import { ratio, type Report } from './report';
import { runAlone } from './run-alone';
import { runSqsLoops } from './sqs-loops';

interface Stack {
  readonly stack: LocalStack;
  readonly sqs: SQSClient;
  readonly dynamoDb: DynamoDBClient;
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** SQS and DynamoDB calls the functions made, by X-Amz-Target, when proxies record them */
  calls?(): { sqs: string[]; dynamoDb: string[] };
  resetCalls?(): void;
  stop(): Promise<void>;
}

export interface MoveRun {
  readonly messages: number;
  readonly moved: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** from 10% to 90% of the matches moved, as the record showed them */
  readonly steadyPerSecond: number;
  /** CPU the mover's process and this process (the emulators) used, as a share of the run's wall time */
  readonly moverCpu: number;
  /** the mover's CPU (user + system, all its threads) per moved message, ms */
  readonly moverCpuPerMessageMs: number;
  readonly emulatorCpu: number;
  readonly sqsCalls?: number;
  readonly sqsCallsByAction?: Record<string, number>;
  readonly dynamoDbCalls?: number;
  readonly dynamoDbCallsByAction?: Record<string, number>;
}

const FINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/** `messages` in one DLQ, `every`-th a match (1: all), moved by one selective task; timed from the start request to the final status. */
export async function moveOnce(t: Stack, messages: number, every: number, rate?: number, pollMs = 20): Promise<MoveRun> {
  const dlq = await seedDlq(t.sqs, `bench-mover-${randomUUID().slice(0, 6)}`, messages, (index) => JSON.stringify({ tenant: index % every === 0 ? 'a' : 'b', n: index }));
  t.resetCalls?.();
  // the process the task runs in (a new one only if the last died): its own reading of its CPU time
  const mover = t.stack.mover;
  const moverCpuBefore = await mover.cpuUsage();
  const ownCpuBefore = process.cpuUsage();
  const started = performance.now();
  const answer = await t.post('/StartMessageMoveTask', {
    SourceArn: dlq.dlqArn,
    FilterPolicy: { tenant: ['a'] },
    FilterPolicyScope: 'MessageBody',
    ...(rate === undefined ? {} : { MaxNumberOfMessagesPerSecond: rate }),
  });
  if (answer.status !== 200) throw new Error(`start refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const { taskId } = parseTaskHandle((answer.body as { TaskHandle: string }).TaskHandle);
  let record: Record<string, { S?: string; N?: string }> | undefined;
  // when the record first showed 10% and 90% of the messages moved: the steady rate, without the start and the end
  let tenth: number | undefined;
  let ninth: number | undefined;
  for (const deadline = Date.now() + 600_000; Date.now() < deadline; ) {
    record = (await t.dynamoDb.send(new GetItemCommand({ TableName: t.stack.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }))).Item as typeof record;
    const movedNow = Number(record?.approximateNumberOfMessagesMoved?.N ?? 0);
    if (tenth === undefined && movedNow >= messages / every / 10) tenth = performance.now();
    if (ninth === undefined && movedNow >= (messages / every) * 0.9) ninth = performance.now();
    if (record && FINAL.has(record.status?.S ?? '')) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const seconds = (performance.now() - started) / 1000;
  if (record?.status?.S !== 'COMPLETED') throw new Error(`task ${taskId} ended ${record?.status?.S ?? 'never'}`);
  const moved = Number(record.approximateNumberOfMessagesMoved?.N ?? 0);
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const moverCpuAfter = await mover.cpuUsage();
  const moverCpuMs = (moverCpuAfter.user + moverCpuAfter.system - moverCpuBefore.user - moverCpuBefore.system) / 1000;
  const calls = t.calls?.();
  const byAction = countByAction(calls?.sqs ?? []);
  return {
    messages,
    moved,
    seconds,
    perSecond: moved / seconds,
    steadyPerSecond: tenth !== undefined && ninth !== undefined && ninth > tenth ? ((messages / every) * 0.8) / ((ninth - tenth) / 1000) : Number.NaN,
    moverCpu: moverCpuMs / 1000 / seconds,
    moverCpuPerMessageMs: moverCpuMs / moved,
    emulatorCpu: (ownCpu.user + ownCpu.system) / 1e6 / seconds,
    ...(calls ? { sqsCalls: calls.sqs.length, sqsCallsByAction: byAction, dynamoDbCalls: calls.dynamoDb.length, dynamoDbCallsByAction: countByAction(calls.dynamoDb) } : {}),
  };
}

/** X-Amz-Target values (`AmazonSQS.ReceiveMessage`, `DynamoDB_20120810.PutItem`) counted by action. */
function countByAction(targets: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const target of targets) {
    const action = target.slice(target.indexOf('.') + 1);
    counts[action] = (counts[action] ?? 0) + 1;
  }
  return counts;
}

/** The local stack with no proxies in the path (the figure is the mover's and the emulators'). */
export async function directStack(options: Pick<LocalStackOptions, 'moverExecArgv'> = {}): Promise<Stack> {
  const t = await startBenchStack(options);
  return { ...t, post: async (path, body) => postJson(t.stack.apiUrl, path, body) };
}

/** The local stack with recording proxies before SQS and DynamoDB, to count calls (they cost time too). */
export async function recordedStack(): Promise<Stack> {
  const t = await startTestStack();
  return {
    stack: t.stack,
    sqs: t.sqs,
    dynamoDb: t.dynamoDb,
    post: (path, body) => t.post(path, body),
    calls: () => ({ sqs: t.sqsProxy.calls.map((call) => call.target), dynamoDb: t.dynamoDbProxy.calls.map((call) => call.target) }),
    resetCalls: () => {
      t.sqsProxy.calls.length = 0;
      t.dynamoDbProxy.calls.length = 0;
    },
    stop: () => t.stop(),
  };
}

export async function postJson(apiUrl: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The emulator alone now: `loops` receive → send → delete loops with a plain SDK client, in their own process. */
export async function rawLoops(t: Stack, messages: number, loops: number): Promise<number> {
  const dlq = await seedDlq(t.sqs, `bench-raw-${randomUUID().slice(0, 6)}`, messages);
  const { perSecond } = await runSqsLoops({ endpoint: t.stack.sqsUrl, dlqUrl: dlq.dlqUrl, targetUrl: dlq.sourceQueueUrl, loops });
  return perSecond;
}

const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
const cpuMs = (n: number) => `${n.toFixed(3)} ms`;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const list = (values: readonly number[], format: (n: number) => string) => values.map(format).join(', ');

/** The mover's loops on a standard queue without rate or canary (run-mover-slice.ts): the emulator alone runs as many. */
const MOVER_LOOPS = 8;
const FRESH_RUNS = Number(process.env.BENCH_MOVER_FRESH_RUNS ?? 2);
const WARM_RUNS = Number(process.env.BENCH_MOVER_WARM_RUNS ?? 3);
const FIXED_RUNS = Number(process.env.BENCH_MOVER_FIXED_RUNS ?? 5);
/** a directory: the mover's processes write V8 CPU profiles there (`--cpu-prof`), one per process, on stop */
const CPU_PROFILE_DIR = process.env.BENCH_MOVER_CPU_PROF;

export async function measureMoverThroughput(report: Report, messages: number): Promise<void> {
  const section = 'selective mover';
  const direct = await directStack(CPU_PROFILE_DIR ? { moverExecArgv: ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] } : {});
  try {
    // the emulator alone before and after the mover's runs: the machine's load drifts within a run
    const rawBefore = await rawLoops(direct, messages, MOVER_LOOPS);
    // fresh: a new instance's first task (its code not yet optimised); warm: the same instance's later tasks
    const fresh: MoveRun[] = [];
    for (let run = 0; run < FRESH_RUNS; run += 1) {
      await direct.stack.restartMover();
      fresh.push(await moveOnce(direct, messages, 1));
    }
    const warm: MoveRun[] = [];
    for (let run = 0; run < WARM_RUNS; run += 1) warm.push(await moveOnce(direct, messages, 1));
    const rawAfter = await rawLoops(direct, messages, MOVER_LOOPS);
    // a task's fixed time, warm: the API's start, the lease, the end-of-pass confirmation, the release and the final write
    const empty: number[] = [];
    const one: number[] = [];
    for (let run = 0; run < FIXED_RUNS; run += 1) {
      empty.push((await moveOnce(direct, 0, 1, undefined, 5)).seconds);
      one.push((await moveOnce(direct, 1, 1, undefined, 5)).seconds);
    }
    const raw = (rawBefore + rawAfter) / 2;
    const freshCpu = median(fresh.map((run) => run.moverCpuPerMessageMs));
    const warmCpu = median(warm.map((run) => run.moverCpuPerMessageMs));
    const endToEnd = median(warm.map((run) => run.perSecond));
    const steady = median(warm.map((run) => run.steadyPerSecond));
    report.atMost(section, `fresh mover (a new process's first task), ${messages} messages: CPU per moved message, median of ${fresh.length}`, freshCpu, 0.45, cpuMs);
    report.info(section, 'fresh mover: each run', list(fresh.map((run) => run.moverCpuPerMessageMs), cpuMs));
    report.atMost(section, `warm mover (later tasks, same process): CPU per moved message, median of ${warm.length}`, warmCpu, 0.15, cpuMs);
    report.info(section, 'warm mover: each run', list(warm.map((run) => run.moverCpuPerMessageMs), cpuMs));
    report.atLeast(section, `warm, match all, ${messages} messages, no rate, no proxies: messages/s, start request to COMPLETED`, endToEnd, 1000, (n) => n.toFixed(0));
    report.info(section, 'warm: messages/s while moving (10% to 90% of the messages)', steady.toFixed(0));
    report.info(section, `the emulator alone, ${MOVER_LOOPS} receive/send/delete loops in their own process: messages/s, before / after the mover`, `${rawBefore.toFixed(0)} / ${rawAfter.toFixed(0)}`);
    report.atLeast(section, 'mover while moving / emulator alone', steady / raw, 0.8, ratio);
    report.info(section, 'mover start request to COMPLETED / emulator alone', ratio(endToEnd / raw));
    report.info(section, 'warm: CPU of the mover / of the emulators (share of wall time)', `${pct(median(warm.map((run) => run.moverCpu)))} / ${pct(median(warm.map((run) => run.emulatorCpu)))}`);
    report.atMost(section, `fixed time per task, empty DLQ: start request to COMPLETED, median of ${empty.length}`, median(empty), 0.3, (n) => `${n.toFixed(2)} s`);
    report.atMost(section, `fixed time per task, 1 message: start request to COMPLETED, median of ${one.length}`, median(one), 0.3, (n) => `${n.toFixed(2)} s`);
    if (CPU_PROFILE_DIR) report.info(section, `CPU profiles in ${CPU_PROFILE_DIR}`, `summarise one with npx tsx bench/cpu-profile-summary.ts <file>`);
  } finally {
    await direct.stop();
  }
  const recorded = await recordedStack();
  try {
    const all = await moveOnce(recorded, messages, 1);
    report.info(section, `match all, ${all.messages} messages, recording proxies: messages/s`, all.perSecond.toFixed(0));
    report.atMost(section, 'match all: SQS calls per moved message', all.sqsCalls! / all.moved, 0.35, (n) => n.toFixed(2));
    report.info(section, 'match all: SQS calls by action', describe(all.sqsCallsByAction!));
    report.atMost(section, 'match all: DynamoDB calls per 10 moved', (all.dynamoDbCalls! / all.moved) * 10, 0.35, (n) => n.toFixed(2));
    report.info(section, 'match all: DynamoDB calls by action', describe(all.dynamoDbCallsByAction!));
    const tenth = await moveOnce(recorded, Math.round(messages / 2), 10);
    report.info(section, `10% match, ${tenth.messages} messages: SQS calls per considered message`, (tenth.sqsCalls! / tenth.messages).toFixed(2));
    report.info(section, '10% match: SQS calls by action', describe(tenth.sqsCallsByAction!));
  } finally {
    await recorded.stop();
  }
}

function describe(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([, a], [, b]) => b - a).map(([action, n]) => `${action} ${n}`).join(', ');
}

// `npx tsx bench/mover-throughput.ts [messages]`: this file alone (after npm run build)
if (require.main === module) runAlone(measureMoverThroughput, 2000);
