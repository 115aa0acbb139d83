// The selective mover on the local stack: messages moved per second with a match-everything filter
// and no rate (target ≥ 1,000/s), SQS calls per moved message (≤ 0.35), a 10% match's calls per
// considered message, and where the time goes (the function's CPU, the emulators' CPU). The emulators
// run in this process, the mover in its own, as `npm start` runs them.
import { randomUUID } from 'node:crypto';

import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

import { parseTaskHandle } from '../lambda/domain/task-handle';
import { type LocalStack } from '../local/local-stack';
import { seedDlq } from '../local/seed-dlq';
import { startTestStack } from '../test/support/local-stack-fixture';
import { processCpuMs, startBenchStack } from './bench-stack';
import { ratio, type Report } from './report';

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
  readonly emulatorCpu: number;
  readonly sqsCalls?: number;
  readonly sqsCallsByAction?: Record<string, number>;
  readonly dynamoDbCalls?: number;
}

const FINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

/** `messages` in one DLQ, `every`-th a match (1: all), moved by one selective task; timed from the start request to the final status. */
export async function moveOnce(t: Stack, messages: number, every: number, rate?: number): Promise<MoveRun> {
  const dlq = await seedDlq(t.sqs, `bench-mover-${randomUUID().slice(0, 6)}`, messages, (index) => JSON.stringify({ tenant: index % every === 0 ? 'a' : 'b', n: index }));
  t.resetCalls?.();
  const moverPid = t.stack.mover.pid;
  const moverCpuBefore = moverPid === undefined ? undefined : processCpuMs(moverPid);
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
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  if (record?.status?.S !== 'COMPLETED') throw new Error(`task ${taskId} ended ${record?.status?.S ?? 'never'}`);
  const moved = Number(record.approximateNumberOfMessagesMoved?.N ?? 0);
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const moverCpuAfter = moverPid === undefined ? undefined : processCpuMs(moverPid);
  const calls = t.calls?.();
  const byAction: Record<string, number> = {};
  for (const target of calls?.sqs ?? []) byAction[target.replace('AmazonSQS.', '')] = (byAction[target.replace('AmazonSQS.', '')] ?? 0) + 1;
  return {
    messages,
    moved,
    seconds,
    perSecond: moved / seconds,
    steadyPerSecond: tenth !== undefined && ninth !== undefined && ninth > tenth ? ((messages / every) * 0.8) / ((ninth - tenth) / 1000) : Number.NaN,
    moverCpu: moverCpuBefore === undefined || moverCpuAfter === undefined ? Number.NaN : (moverCpuAfter - moverCpuBefore) / 1000 / seconds,
    emulatorCpu: (ownCpu.user + ownCpu.system) / 1e6 / seconds,
    ...(calls ? { sqsCalls: calls.sqs.length, sqsCallsByAction: byAction, dynamoDbCalls: calls.dynamoDb.length } : {}),
  };
}

/** The local stack with no proxies in the path (the figure is the mover's and the emulators'). */
export async function directStack(): Promise<Stack> {
  const t = await startBenchStack();
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

async function postJson(apiUrl: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The emulator's own ceiling now: `loops` receive(10) → SendMessageBatch(10) → DeleteMessageBatch(10) loops from this process. */
export async function rawLoops(sqs: SQSClient, messages: number, loops: number): Promise<number> {
  const dlq = await seedDlq(sqs, `bench-raw-${randomUUID().slice(0, 6)}`, messages);
  let moved = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async () => {
      for (let empty = 0; empty < 2; ) {
        const received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.dlqUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }))).Messages ?? [];
        if (received.length === 0) {
          empty += 1;
          continue;
        }
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlq.sourceQueueUrl, Entries: received.map((message, at) => ({ Id: String(at), MessageBody: message.Body! })) }));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: dlq.dlqUrl, Entries: received.map((message, at) => ({ Id: String(at), ReceiptHandle: message.ReceiptHandle! })) }));
        moved += received.length;
      }
    }),
  );
  return moved / ((performance.now() - started) / 1000);
}

const pct = (share: number) => `${(share * 100).toFixed(0)}%`;

export async function measureMoverThroughput(report: Report, messages: number): Promise<void> {
  const section = 'selective mover';
  const direct = await directStack();
  try {
    const raw = await rawLoops(direct.sqs, messages, 8);
    const all = await moveOnce(direct, messages, 1);
    report.atLeast(section, `match all, ${all.messages} messages, no rate, no proxies: messages/s, start request to COMPLETED`, all.perSecond, 1000, (n) => n.toFixed(0));
    report.info(section, 'match all: messages/s while moving (10% to 90% of the messages)', all.steadyPerSecond.toFixed(0));
    report.info(section, 'the emulator alone, 8 receive/send/delete loops from one process: messages/s', raw.toFixed(0));
    report.info(section, 'match all: mover (start to COMPLETED) / emulator alone', ratio(all.perSecond / raw));
    report.info(section, 'match all: CPU of the mover / of the emulators (share of wall time)', `${pct(all.moverCpu)} / ${pct(all.emulatorCpu)}`);
  } finally {
    await direct.stop();
  }
  const recorded = await recordedStack();
  try {
    const all = await moveOnce(recorded, messages, 1);
    report.info(section, `match all, ${all.messages} messages, recording proxies: messages/s`, all.perSecond.toFixed(0));
    report.atMost(section, 'match all: SQS calls per moved message', all.sqsCalls! / all.moved, 0.35, (n) => n.toFixed(2));
    report.info(section, 'match all: SQS calls by action', describe(all.sqsCallsByAction!));
    report.info(section, 'match all: DynamoDB calls per 10 moved', ((all.dynamoDbCalls! / all.moved) * 10).toFixed(2));
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

// `npx tsx bench/mover-throughput.ts [messages]`: this file alone
if (require.main === module) {
  void (async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { Report } = await import('./report');
    const report = new Report();
    await measureMoverThroughput(report, Number(process.argv[2] ?? 2000));
    console.log(report.render());
    process.exit(0);
  })();
}
