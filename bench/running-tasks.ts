// Setup for the benchmarks that cancel: many DLQs, and RUNNING tasks started on them right before use
// (straight on the SQS emulator, recorded with PutItem as the API would), so setup stays fast.
import { randomUUID } from 'node:crypto';

import { type DynamoDBClient,PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type SQSClient,StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';

import { toItem } from '../lambda/adapters/dynamodb/task-item';
import { inParallel } from '../lambda/domain/in-parallel';
import { parseTaskHandle } from '../lambda/domain/task-handle';
import type { TaskRecord } from '../lambda/domain/task-record';
import { TaskStatus } from '../lambda/domain/task-status';
import { seedDlq, type SeededDlq } from '../local/seed-dlq';

/** Messages per DLQ: at 1 message a second, a task stays RUNNING this many seconds. */
const MESSAGES_PER_DLQ = 10;

export interface RunningTask {
  readonly taskId: string;
  readonly taskHandle: string;
  readonly sourceArn: string;
}

export async function seedDlqs(sqs: SQSClient, count: number, prefix: string, messages = MESSAGES_PER_DLQ): Promise<SeededDlq[]> {
  const run = randomUUID().slice(0, 6);
  return inParallel(Array.from({ length: count }, (_, i) => i), 8, (i) => seedDlq(sqs, `${prefix}-${run}-${i}`, messages));
}

/** Starts one slow task per DLQ and records each as RUNNING in the task table. */
export async function startRunningTasks(
  clients: { sqs: SQSClient; dynamoDb: DynamoDBClient; tableName: string },
  dlqs: readonly SeededDlq[],
): Promise<RunningTask[]> {
  return inParallel(dlqs, 8, async (dlq) => {
    const { TaskHandle } = await clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1 }));
    const handle = parseTaskHandle(TaskHandle);
    const now = new Date().toISOString();
    const record: TaskRecord = {
      taskId: handle.taskId,
      taskHandle: handle.handle,
      sourceArn: dlq.dlqArn,
      maxNumberOfMessagesPerSecond: 1,
      status: TaskStatus.RUNNING,
      approximateNumberOfMessagesMoved: 0,
      createdAt: now,
      updatedAt: now,
      startedBy: 'bench',
      origin: 'api',
      version: 1,
    };
    await clients.dynamoDb.send(new PutItemCommand({ TableName: clients.tableName, Item: toItem(record) }));
    return { taskId: handle.taskId, taskHandle: handle.handle, sourceArn: dlq.dlqArn };
  });
}
