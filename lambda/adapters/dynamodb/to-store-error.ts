import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { SqsError } from '../../domain/sqs-error';

const THROTTLING = ['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded'];

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
  if (error instanceof Error && !(error instanceof SqsError)) {
    // no answer at all: connection refused or reset, timeout
    return new SqsError('ServiceUnavailable', `The task table could not be reached (${error.name}); try again`, 503, { cause: error });
  }
  return error;
}
