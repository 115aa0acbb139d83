// API Gateway (REST, proxy integration) --> handleHttpRequest --> one log line per request
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

import { callerOf, toHttpRequest } from '../adapters/http/api-gateway-event';
import { checkApiGatewayOrigin } from '../adapters/http/api-gateway-origin';
import { handleHttpRequest } from '../adapters/http/handle-http-request';
import { callerThroughOrg, type RequestCaller } from '../adapters/http/org-caller';
import { renderError } from '../adapters/http/render-error';
import { styleOf } from '../adapters/http/route-request';
import { ENV } from '../config/environment';
import { SqsError } from '../domain/sqs-error';
import { createRuntime } from './dependencies';
import { clockMs, elapsedMs } from './elapsed-ms';
import { withMetrics } from './with-metrics';
import { initialized, traced, withTracing } from './with-tracing';

export { initialized };

const runtime = createRuntime(process.env, traced);
const origin = { apiId: process.env[ENV.apiGatewayId] || undefined, stage: process.env[ENV.apiGatewayStage] || undefined };

async function handle(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  const started = clockMs();
  runtime.logger.addContext(context);
  try {
    checkApiGatewayOrigin(event.requestContext, origin);
  } catch (error) {
    // a direct invoke with a made-up event: nothing of it is trusted, not even its claimed caller
    if (!(error instanceof SqsError)) throw error;
    runtime.logger.warn('request refused: not from API Gateway', { reason: error.message });
    return renderError(error, 'path', context.awsRequestId);
  }
  const request = toHttpRequest(event, context.awsRequestId);
  // API Gateway's request id is the one the caller sees (x-amzn-requestid, InternalFailure's message)
  runtime.logger.setCorrelationId(request.requestId);
  // the org view's role may name who asked through it, and this account accepts only the persons it allows
  let caller: RequestCaller;
  try {
    caller = callerThroughOrg(callerOf(event), request.headers, { orgCallers: runtime.settings.orgCallers, allowedCallers: runtime.settings.orgAllowedCallers });
  } catch (error) {
    if (!(error instanceof SqsError)) throw error;
    runtime.logger.warn('request refused: the org named a caller this account does not allow', { caller: callerOf(event), reason: error.message, durationMs: elapsedMs(started) });
    return renderError(error, styleOf(request), request.requestId);
  }
  const { response, summary, error } = await handleHttpRequest(runtime.deps, request, caller, { requireReason: runtime.settings.requireReason, messageReaders: runtime.settings.messageReaders });
  const line = { ...summary, caller: caller.name, durationMs: elapsedMs(started) };
  if (error) runtime.logger.error('request failed', { ...line, error: error as Error });
  else runtime.logger.info('request', line);
  return response;
}

export const handler = withTracing('api', withMetrics(runtime.metrics, handle));

// the Tracer loads during Lambda's INIT, not in the first request (lambda/entry/with-tracing.ts)
await initialized;
