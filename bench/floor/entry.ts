// The cold-start floor: what any handler of this shape cannot avoid loading (an SQS client, a
// DynamoDB client and a Powertools logger, built at init). bench/cold-start.ts bundles it with the
// same esbuild settings as the Lambda entries and compares the API bundle against it.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

const logger = new Logger({ serviceName: 'floor' });
const sqs = new SQSClient({ region: process.env.AWS_REGION });
const dynamoDb = new DynamoDBClient({ region: process.env.AWS_REGION });

export async function handler(): Promise<unknown> {
  logger.info('floor');
  return { sqs: sqs.config.serviceId, dynamoDb: dynamoDb.config.serviceId };
}
