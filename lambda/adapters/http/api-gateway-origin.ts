// API Gateway event --> checkApiGatewayOrigin --> nothing, or an SqsError for an event API Gateway did not send
import { SqsError } from '../../domain/sqs-error';

/** Which REST API and stage the api function serves (from API_GATEWAY_ID / API_GATEWAY_STAGE). */
export interface ApiGatewayOrigin {
  readonly apiId?: string;
  readonly stage?: string;
}

/**
 * Refuses an event whose `requestContext` lacks API Gateway's own fields for this API (`apiId`,
 * `stage`). Defence in depth, not authentication: anyone allowed `lambda:InvokeFunction` can copy
 * them into a made-up event. It stops a careless direct invoke from being recorded as a caller;
 * IAM (no invoke rights but API Gateway's) is what closes that door (docs/deploy.md).
 */
export function checkApiGatewayOrigin(requestContext: unknown, expected: ApiGatewayOrigin): void {
  const context = typeof requestContext === 'object' && requestContext !== null ? (requestContext as Record<string, unknown>) : {};
  const { apiId, stage } = context;
  if (typeof apiId !== 'string' || apiId === '' || typeof stage !== 'string' || stage === '') {
    throw new SqsError('InvalidSecurity', 'The request did not come through API Gateway: requestContext.apiId and requestContext.stage are missing');
  }
  if ((expected.apiId !== undefined && apiId !== expected.apiId) || (expected.stage !== undefined && stage !== expected.stage)) {
    throw new SqsError('InvalidSecurity', 'The request did not come through this API: requestContext names another API or stage');
  }
}
