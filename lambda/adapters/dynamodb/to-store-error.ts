import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';

import { SqsError } from '../../domain/sqs-error';

const THROTTLING = ['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'];
const NETWORK_CODES = ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED'];

/** No answer at all: connection refused or reset, a timeout. */
function isNoAnswer(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return error.name === 'TimeoutError' || (typeof code === 'string' && NETWORK_CODES.includes(code));
}

/**
 * A table that is throttled, failing or out of reach (after the SDK's retries) is not the caller's
 * fault and may pass: 503 ServiceUnavailable. Anything else (a failed condition, a validation error
 * from our own request) passes through unchanged, for the store to handle or to surface as our fault.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DynamoDBServiceException) {
    if (error.$fault === 'server' || THROTTLING.includes(error.name)) {
      return new SqsError('ServiceUnavailable', 'The task table is unavailable right now; try again', 503, { cause: error });
    }
    return error;
  }
  if (isNoAnswer(error)) {
    return new SqsError('ServiceUnavailable', `The task table could not be reached (${(error as Error).name}); try again`, 503, { cause: error });
  }
  // anything else is our own fault (a bug, a marshalling error): it surfaces as a 500
  return error;
}
