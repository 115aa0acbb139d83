// The reconciler's AWS calls and time with 10 active tasks while the table holds 10, 1,000 and 10,000
// finished ones: its cost must follow the active tasks, not the history. Runs once the reconciler
// bundle exists (issue 10); until then the table says so.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';

import { toItem } from '../lambda/adapters/dynamodb/task-item';
import { inParallel } from '../lambda/domain/in-parallel';
import { encodeTaskHandle } from '../lambda/domain/task-handle';
import { TaskStatus } from '../lambda/domain/task-status';
import { LambdaHost } from '../local/lambda-host';
import { startTestStack, type TestStack } from '../test/support/local-stack-fixture';
import { ms, type Report } from './report';
import { seedDlqs, startRunningTasks } from './running-tasks';

export const RECONCILER_BUNDLE = resolve(__dirname, '..', 'dist/lambda/reconciler/index.mjs');
const FINISHED = [10, 1_000, 10_000] as const;
const ACTIVE = 10;

export async function measureReconcilerScaling(report: Report): Promise<void> {
  const section = 'reconciler';
  if (!existsSync(RECONCILER_BUNDLE)) {
    report.info(section, 'calls and time vs finished tasks', 'not built yet (dist/lambda/reconciler/index.mjs, issue 10)');
    return;
  }
  const t = await startTestStack({ onLog: () => undefined });
  // discovery off: locally it lists every queue of the emulator, and each size adds queues
  const reconciler = await LambdaHost.start({ bundle: RECONCILER_BUNDLE, env: { ...t.stack.functionEnvs.reconciler, DISCOVERY_QUEUES: 'none' }, onLog: () => undefined });
  try {
    // the same ACTIVE tasks throughout: at 1 message a second they outlast the whole measurement
    await startRunningTasks({ sqs: t.sqs, dynamoDb: t.dynamoDb, tableName: t.stack.tableName }, await seedDlqs(t.sqs, ACTIVE, 'bench-reconcile', 600));
    const figures: { finished: number; reads: number; ms: number }[] = [];
    let inserted = 0;
    for (const finished of FINISHED) {
      await insertFinished(t, finished - inserted);
      inserted = finished;
      await reconcile(reconciler); // settles what the inserts and the clock changed
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
      const started = performance.now();
      await reconcile(reconciler);
      const elapsed = performance.now() - started;
      // writes follow the tasks whose counts moved since the last run (at most one per active task)
      const writes = t.dynamoDbProxy.count('DynamoDB_20120810.PutItem');
      const reads = t.sqsProxy.calls.length + t.dynamoDbProxy.calls.length - writes;
      figures.push({ finished, reads, ms: elapsed });
      report.info(section, `${ACTIVE} active, ${finished} finished`, `SQS ${t.sqsProxy.calls.length}; DynamoDB reads ${t.dynamoDbProxy.calls.length - writes}, writes ${writes}; ${ms(elapsed)}`);
      report.atMost(section, `writes with ${finished} finished`, writes, ACTIVE, String);
    }
    const first = figures[0]!;
    const last = figures[figures.length - 1]!;
    report.atMost(section, `reads at ${last.finished} finished / at ${first.finished}`, last.reads / Math.max(1, first.reads), 1, (n) => n.toFixed(2));
  } finally {
    await reconciler.stop();
    await t.stop();
  }
}

function reconcile(host: LambdaHost): Promise<unknown> {
  // the scheduled EventBridge event Lambda receives
  return host.invoke({ version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', time: new Date().toISOString(), resources: [], detail: {} });
}

async function insertFinished(t: TestStack, count: number): Promise<void> {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const items = Array.from({ length: count }, () => {
    const taskId = randomUUID();
    const sourceArn = `arn:aws:sqs:${t.stack.region}:${t.stack.accountId}:bench-history-dlq`;
    return toItem({
      taskId,
      taskHandle: encodeTaskHandle(taskId, sourceArn),
      sourceArn,
      status: TaskStatus.COMPLETED,
      approximateNumberOfMessagesMoved: 10,
      createdAt: at,
      updatedAt: at,
      completedAt: at,
      startedBy: 'bench',
      origin: 'api',
      version: 2,
    });
  });
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) => items.slice(i * 25, i * 25 + 25));
  await inParallel(batches, 4, async (batch) => {
    let pending = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) {
      const output = await t.dynamoDb.send(new BatchWriteItemCommand({ RequestItems: { [t.stack.tableName]: pending } }));
      pending = (output.UnprocessedItems?.[t.stack.tableName] ?? []) as typeof pending;
    }
  });
}
