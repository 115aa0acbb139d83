// The calls a successful cancel cannot avoid, made directly on the emulators in a process of their
// own (as the function's are): conditional UpdateItem, CancelMessageMoveTask, UpdateItem. Forked by
// bench/latency.ts; each request over IPC names a task, the answer is the time the three calls took
// (timed here, so the IPC hop is not in the figure).
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CancelMessageMoveTaskCommand, SQSClient } from '@aws-sdk/client-sqs';

interface Job {
  readonly id: number;
  readonly taskId: string;
  readonly taskHandle: string;
}

const env = JSON.parse(process.argv[2] ?? '{}') as { sqsUrl: string; dynamoDbUrl: string; region: string; tableName: string };
const options = { region: env.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 };
const sqs = new SQSClient({ ...options, endpoint: env.sqsUrl });
const dynamoDb = new DynamoDBClient({ ...options, endpoint: env.dynamoDbUrl });

async function cancel(job: Job): Promise<void> {
  const at = new Date().toISOString();
  const key = { taskId: { S: job.taskId } };
  await dynamoDb.send(
    new UpdateItemCommand({
      TableName: env.tableName,
      Key: key,
      ConditionExpression: '#status = :running AND taskHandle = :handle',
      UpdateExpression: 'SET #status = :cancelling, cancelRequestedAt = :at, cancelledBy = :by, updatedAt = :at, version = version + :one REMOVE cancelReason',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':running': { S: 'RUNNING' },
        ':cancelling': { S: 'CANCELLING' },
        ':handle': { S: job.taskHandle },
        ':at': { S: at },
        ':by': { S: 'bench' },
        ':one': { N: '1' },
      },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const { ApproximateNumberOfMessagesMoved: moved = 0 } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: job.taskHandle }));
  await dynamoDb.send(
    new UpdateItemCommand({
      TableName: env.tableName,
      Key: key,
      ConditionExpression: '#status = :expected',
      UpdateExpression: 'SET approximateNumberOfMessagesMoved = :moved, updatedAt = :at, version = version + :one',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':moved': { N: String(moved) }, ':at': { S: at }, ':one': { N: '1' }, ':expected': { S: 'CANCELLING' } },
    }),
  );
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
