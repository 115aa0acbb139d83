// Replay (API.md section 11) on the local stack with a local world: EventBridge dead letters replayed
// to the one target that failed, a function (Lambda Invoke, asynchronous, one call a message) and a
// queue (SendMessageBatch), timed from the start request to COMPLETED; SQS and DynamoDB calls per
// replayed message (recording proxies), Lambda invocations per replayed message (counted by the world
// function itself), and the ratios: function / queue, replay to a queue / the selective mover moving the
// same number of messages on the same stack. Alone: `npm run bench -- replay` or `npx tsx bench/replay-throughput.ts [messages]`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

import { parseTaskHandle } from '../lambda/domain/task-handle';
import { type LocalWorld, parseWorld } from '../local/world/world-file';
import { startTestStack, type TestStack } from '../test/support/local-stack-fixture';
import { moveOnce } from './mover-throughput';
import { ratio, type Report } from './report';
import { runAlone } from './run-alone';

const FINAL = new Set(['COMPLETED', 'CANCELLED', 'FAILED']);

interface ReplayRun {
  readonly moved: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly sqsCalls: number;
  readonly dynamoDbCalls: number;
}

/** A world of one function that only counts its invocations (a line each in `countFile`) and one rule whose two targets have DLQs. */
function benchWorld(dir: string, countFile: string): LocalWorld {
  writeFileSync(join(dir, 'count.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function handler() { appendFileSync(${JSON.stringify(countFile)}, '.'); return {}; }\n`);
  return parseWorld({
    functions: [{ name: 'bench-sink', handler: 'count.mjs', maximumRetryAttempts: 0 }],
    rules: [
      {
        name: 'bench-rule',
        eventBusName: 'default',
        eventPattern: { source: ['bench.replay'] },
        targets: [
          { id: 'fn', function: 'bench-sink', deadLetterQueue: 'bench-fn-dlq', maximumRetryAttempts: 0 },
          { id: 'queue', queue: 'bench-target', deadLetterQueue: 'bench-queue-dlq', maximumRetryAttempts: 0 },
        ],
      },
    ],
  }, dir);
}

/** `messages` EventBridge dead letters naming `targetArn` in `dlq`, replayed by one task. */
async function replayOnce(t: TestStack, dlq: string, targetArn: string, messages: number): Promise<ReplayRun> {
  const account = t.stack.accountId;
  const dlqUrl = `${t.stack.sqsUrl}/${account}/${dlq}`;
  const ruleArn = `arn:aws:events:${t.stack.region}:${account}:rule/bench-rule`;
  for (let at = 0; at < messages; at += 10) {
    await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: Array.from({ length: Math.min(10, messages - at) }, (_, n) => ({
          Id: String(n),
          MessageBody: JSON.stringify({ version: '0', id: randomUUID(), 'detail-type': 'Bench', source: 'bench.replay', account, time: new Date().toISOString(), region: t.stack.region, resources: [], detail: { n: at + n } }),
          MessageAttributes: {
            RULE_ARN: { DataType: 'String', StringValue: ruleArn },
            TARGET_ARN: { DataType: 'String', StringValue: targetArn },
            ERROR_CODE: { DataType: 'String', StringValue: 'NO_RESOURCE' },
          },
        })),
      }),
    );
  }
  t.sqsProxy.reset();
  t.dynamoDbProxy.reset();
  const started = performance.now();
  const answer = await t.post('/StartMessageMoveTask', { SourceArn: `arn:aws:sqs:${t.stack.region}:${account}:${dlq}`, Reason: 'bench' });
  if (answer.status !== 200) throw new Error(`replay refused: ${answer.text}`);
  const { taskId } = parseTaskHandle((answer.body as { TaskHandle: string }).TaskHandle);
  let record: Record<string, { S?: string; N?: string }> | undefined;
  for (const deadline = Date.now() + 600_000; Date.now() < deadline; ) {
    record = (await t.dynamoDb.send(new GetItemCommand({ TableName: t.stack.tableName, Key: { taskId: { S: taskId } }, ConsistentRead: true }))).Item as typeof record;
    if (record && FINAL.has(record.status?.S ?? '')) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const moved = Number(record?.approximateNumberOfMessagesMoved?.N ?? 0);
  if (record?.status?.S !== 'COMPLETED' || moved !== messages) throw new Error(`replay ${taskId} ended ${record?.status?.S ?? 'never'} with ${moved} of ${messages}`);
  return { moved, seconds, perSecond: moved / seconds, sqsCalls: t.sqsProxy.calls.length, dynamoDbCalls: t.dynamoDbProxy.calls.length };
}

export async function measureReplayThroughput(report: Report, messages: number): Promise<void> {
  const section = 'replay';
  const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
  const countFile = join(dir, 'invocations');
  writeFileSync(countFile, '');
  const t = await startTestStack({ world: benchWorld(dir, countFile), worldRetryDelayMs: 50 });
  try {
    for (const name of ['bench-fn-dlq', 'bench-queue-dlq', 'bench-target']) await t.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await t.stack.refreshInventory();
    const toFunction = await replayOnce(t, 'bench-fn-dlq', t.stack.world!.functionArns['bench-sink']!, messages);
    await t.stack.world!.idle();
    const invocations = readFileSync(countFile, 'utf8').length;
    const toQueue = await replayOnce(t, 'bench-queue-dlq', `arn:aws:sqs:${t.stack.region}:${t.stack.accountId}:bench-target`, messages);
    const selective = await moveOnce(
      {
        stack: t.stack,
        sqs: t.sqs,
        dynamoDb: t.dynamoDb,
        post: (path, body) => t.post(path, body),
        calls: () => ({ sqs: t.sqsProxy.calls.map((call) => call.target), dynamoDb: t.dynamoDbProxy.calls.map((call) => call.target) }),
        resetCalls: () => {
          t.sqsProxy.reset();
          t.dynamoDbProxy.reset();
        },
        stop: () => t.stop(),
      },
      messages,
      1,
    );
    const perSecond = (n: number) => n.toFixed(0);
    const perMessage = (n: number) => n.toFixed(2);
    report.info(section, `to a function (Invoke, InvocationType Event), ${messages} EventBridge dead letters, recording proxies: messages/s, start request to COMPLETED`, perSecond(toFunction.perSecond));
    report.atMost(section, 'to a function: Lambda invocations per replayed message (counted by the function)', invocations / toFunction.moved, 1, perMessage);
    report.info(section, 'to a function: SQS calls per replayed message', perMessage(toFunction.sqsCalls / toFunction.moved));
    report.info(section, 'to a function: DynamoDB calls per 10 replayed', perMessage((toFunction.dynamoDbCalls / toFunction.moved) * 10));
    report.info(section, `to a queue (SendMessageBatch), ${messages} EventBridge dead letters: messages/s, start request to COMPLETED`, perSecond(toQueue.perSecond));
    report.atMost(section, 'to a queue: SQS calls per replayed message', toQueue.sqsCalls / toQueue.moved, 0.35, perMessage);
    report.info(section, 'to a queue: DynamoDB calls per 10 replayed', perMessage((toQueue.dynamoDbCalls / toQueue.moved) * 10));
    report.info(section, `the selective mover on the same stack, ${messages} messages to their source queue: messages/s`, perSecond(selective.perSecond));
    report.info(section, 'replay to a function / replay to a queue (messages/s)', ratio(toFunction.perSecond / toQueue.perSecond));
    report.info(section, 'replay to a queue / selective mover (messages/s)', ratio(toQueue.perSecond / selective.perSecond));
  } finally {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/replay-throughput.ts [messages]`: this file alone (after npm run build)
if (require.main === module) runAlone(measureReplayThroughput, 500);
