// The calls a successful cancel makes, made directly on the emulators in a process of their own (as the
// function's are): GetItem, the conditional claim (PutItem with the event promised in the outbox),
// CancelMessageMoveTask, PutEvents, and the conditional PutItem that records the count and clears the
// sent event. Forked by bench/latency.ts; each request over IPC names a task, the answer is the time
// those calls took (timed here, so the IPC hop is not in the figure).
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CancelMessageMoveTaskCommand, SQSClient } from '@aws-sdk/client-sqs';

import { fromItem, toItem } from '../lambda/adapters/dynamodb/task-item';
import { EVENT_SOURCE, TaskEventType } from '../lambda/domain/task-event';
import type { TaskRecord } from '../lambda/domain/task-record';
import { TaskStatus } from '../lambda/domain/task-status';
import { nextRecord, withOutbox } from '../lambda/domain/transitions';

interface Job {
  readonly id: number;
  readonly taskId: string;
  readonly taskHandle: string;
}

const env = JSON.parse(process.argv[2] ?? '{}') as { sqsUrl: string; dynamoDbUrl: string; eventsUrl: string; region: string; tableName: string };
const options = { region: env.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 };
const sqs = new SQSClient({ ...options, endpoint: env.sqsUrl });
const dynamoDb = new DynamoDBClient({ ...options, endpoint: env.dynamoDbUrl });
const events = new EventBridgeClient({ ...options, endpoint: env.eventsUrl });

async function replace(expected: TaskRecord, next: TaskRecord): Promise<void> {
  await dynamoDb.send(
    new PutItemCommand({
      TableName: env.tableName,
      Item: toItem(next),
      ConditionExpression: 'version = :version AND #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':version': { N: String(expected.version) }, ':status': { S: expected.status } },
    }),
  );
}

async function cancel(job: Job): Promise<void> {
  const at = new Date().toISOString();
  const read = await dynamoDb.send(new GetItemCommand({ TableName: env.tableName, Key: { taskId: { S: job.taskId } }, ConsistentRead: true }));
  const record = fromItem(read.Item!);
  const claim = nextRecord(record, { status: TaskStatus.CANCELLING, cancelRequestedAt: at, cancelledBy: 'bench' }, at, TaskEventType.CancelRequested);
  await replace(record, claim);
  const { ApproximateNumberOfMessagesMoved: moved = 0 } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: job.taskHandle }));
  const [event] = claim.outbox ?? [];
  await events.send(
    new PutEventsCommand({ Entries: [{ Source: EVENT_SOURCE, DetailType: event!.detailType, Detail: JSON.stringify({ eventId: event!.id, ...event!.record }) }] }),
  );
  await replace(claim, withOutbox(nextRecord(claim, { approximateNumberOfMessagesMoved: moved }, new Date().toISOString()), []));
}

process.on('message', (job: Job) => {
  const started = performance.now();
  cancel(job).then(
    () => process.send!({ id: job.id, ms: performance.now() - started }),
    (error: unknown) => process.send!({ id: job.id, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
