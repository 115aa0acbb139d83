// API Gateway (REST, proxy integration) --> handleHttpRequest --> one log line per request
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

import { callerOf, toHttpRequest } from '../adapters/http/api-gateway-event';
import { handleHttpRequest } from '../adapters/http/handle-http-request';
import { createRuntime } from './dependencies';
import { elapsedMs } from './elapsed-ms';

const runtime = createRuntime();

export async function handler(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const started = performance.now();
  runtime.logger.addContext(context);
  const request = toHttpRequest(event, context.awsRequestId);
  // API Gateway's request id is the one the caller sees (x-amzn-requestid, InternalFailure's message)
  runtime.logger.setCorrelationId(request.requestId);
  const caller = callerOf(event);
  const { response, summary, error } = await handleHttpRequest(runtime.deps, request, caller);
  const line = { ...summary, caller, durationMs: elapsedMs(started) };
  if (error) runtime.logger.error('request failed', { ...line, error: error as Error });
  else runtime.logger.info('request', line);
  return response;
}
