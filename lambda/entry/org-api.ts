// org API Gateway (REST, IAM authorization) --> handleOrgRequest --> one log line per request
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

import { DynamoDbOrgStore } from '../adapters/dynamodb/dynamodb-org-store';
import { callerOf, toHttpRequest } from '../adapters/http/api-gateway-event';
import { checkApiGatewayOrigin } from '../adapters/http/api-gateway-origin';
import { handleOrgRequest, type OrgApiDependencies } from '../adapters/http/org/handle-org-request';
import { HttpAccountApi } from '../adapters/http/org/http-account-api';
import { renderError } from '../adapters/http/render-error';
import { oneSignerPerClient } from '../adapters/one-signer-per-client';
import { ORG_ENV, readOrgSettings } from '../config/org-environment';
import { SqsError } from '../domain/sqs-error';
import { clockMs, elapsedMs } from './elapsed-ms';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const settings = readOrgSettings(process.env);
const clientOptions = { region: settings.region, maxAttempts: 3, retryMode: 'standard', cacheMiddleware: true, requestHandler: { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true } } as const;
// service name and level from POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL, which the stack sets
const logger = new Logger();
const deps: OrgApiDependencies = {
  store: new DynamoDbOrgStore(traced(oneSignerPerClient(new DynamoDBClient(clientOptions))), settings.tableName),
  directory: settings.directory,
  accounts: new HttpAccountApi(settings.region),
};
const origin = { apiId: process.env[ORG_ENV.apiGatewayId] || undefined, stage: process.env[ORG_ENV.apiGatewayStage] || undefined };

async function handle(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const started = clockMs();
  logger.addContext(context);
  try {
    checkApiGatewayOrigin(event.requestContext, origin);
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    logger.warn('request refused: not from API Gateway', { reason: error.message });
    return renderError(error, 'path', context.awsRequestId);
  }
  const request = toHttpRequest(event, context.awsRequestId);
  logger.setCorrelationId(request.requestId);
  const caller = callerOf(event);
  const { response, summary, error } = await handleOrgRequest(deps, request, caller);
  const line = { ...summary, caller, durationMs: elapsedMs(started) };
  if (error) logger.error('request failed', { ...line, error: error as Error });
  else logger.info('request', line);
  return response;
}

export const handler = withTracing('org-api', handle);

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
