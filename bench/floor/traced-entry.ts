// The cold-start floor of a traced handler: entry.ts's clients and logger, plus the Powertools Tracer
// that every function of the stack loads where tracing is on, capturing both clients. What it costs
// (aws-xray-sdk-core's load, the global HTTPS capture) is the Tracer's, in the floor and the API alike.
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

const logger = new Logger({ serviceName: 'floor' });
const tracer = new Tracer({ serviceName: 'floor' });
const sqs = tracer.captureAWSv3Client(new SQSClient({ region: process.env.AWS_REGION }));
const dynamoDb = tracer.captureAWSv3Client(new DynamoDBClient({ region: process.env.AWS_REGION }));

export async function handler(): Promise<unknown> {
  logger.info('floor');
  return { sqs: sqs.config.serviceId, dynamoDb: dynamoDb.config.serviceId };
}
