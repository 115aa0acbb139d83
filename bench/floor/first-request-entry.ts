// The floor of a cold request: entry.ts's clients and logger, and a first request that makes only the
// calls the API's ListMessageMoveTasks needs (SQS's tasks and the task table's, in parallel).
// bench/cold-request.ts times import plus this first call against the API's.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ListMessageMoveTasksCommand, SQSClient } from '@aws-sdk/client-sqs';

const logger = new Logger({ serviceName: 'floor' });
const sqs = new SQSClient({ region: process.env.AWS_REGION });
const dynamoDb = new DynamoDBClient({ region: process.env.AWS_REGION });

export async function handler(): Promise<unknown> {
  const sourceArn = `arn:aws:sqs:${process.env.AWS_REGION}:123456789012:orders-dlq`;
  const [native, recorded] = await Promise.all([
    sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn })),
    dynamoDb.send(new QueryCommand({ TableName: 'redrive-tasks', KeyConditionExpression: 'sourceArn = :s', ExpressionAttributeValues: { ':s': { S: sourceArn } } })),
  ]);
  logger.info('floor', { tasks: (native.Results?.length ?? 0) + (recorded.Count ?? 0) });
  return { statusCode: 200, body: JSON.stringify({ Results: native.Results ?? [] }) };
}
