import { SqsError } from '../../domain/sqs-error';
import { queryCodeOf } from '../query-error-codes';
import type { HttpResponse, ResponseStyle } from './http-request';
import { element, escapeXml } from './xml';

/** Errors that are not SqsError are our own faults: a fixed message out, the detail to the log only. */
export function asSqsError(error: unknown, requestId: string): SqsError {
  if (error instanceof SqsError) return error;
  return new SqsError('InternalFailure', `The controller failed to handle this request; its logs have request id ${requestId}`, 500);
}

/**
 * The only place that knows SQS's error formats: the JSON protocol's `__type` body with the
 * `x-amzn-query-error` header, and the Query protocol's `<ErrorResponse>`.
 */
export function renderError(error: SqsError, style: ResponseStyle, requestId: string): HttpResponse {
  const queryCode = queryCodeOf(error.code);
  const fault = error.isCallerFault ? 'Sender' : 'Receiver';
  if (style === 'query') {
    const body =
      '<?xml version="1.0"?>\n<ErrorResponse>' +
      element('Error', element('Type', fault) + element('Code', escapeXml(queryCode)) + element('Message', escapeXml(error.message))) +
      element('RequestId', escapeXml(requestId)) +
      '</ErrorResponse>';
    return { statusCode: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
  }
  return {
    statusCode: error.status,
    headers: {
      'content-type': style === 'json' ? 'application/x-amz-json-1.0' : 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${queryCode};${fault}`,
    },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${error.code}`, message: error.message }),
  };
}
